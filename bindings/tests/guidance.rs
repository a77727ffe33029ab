//! The guidance methods through the exported facade: values and errors
//! arrive as the shells see them.
#![allow(clippy::unwrap_used)] // test code: a panic is a failure

use hearth_core::content::taxonomy::Dimension;
use hearth_core::guidance::assessment::{AssessmentAnswers, AssessmentKind};
use hearth_core::guidance::assessment::{AssessmentResult, DimensionRating};
use hearth_core::guidance::daily::PartnerAnswer;
use hearth_core::{ExerciseFilter, Today};
use hearth_ffi::{Hearth, HearthError};

const DAY: &str = "2026-03-01";

fn open() -> (tempfile::TempDir, std::sync::Arc<Hearth>) {
    let dir = tempfile::tempdir().unwrap();
    let hearth = Hearth::open(
        dir.path().to_str().unwrap().into(),
        Some("Ana".into()),
        None,
    )
    .unwrap();
    (dir, hearth)
}

fn ratings(importance: u32) -> AssessmentAnswers {
    AssessmentAnswers::Intimacy {
        ratings: Dimension::ALL
            .into_iter()
            .filter(|d| *d != Dimension::Sexual)
            .map(|dimension| DimensionRating {
                dimension,
                importance,
                satisfaction: 2,
            })
            .collect(),
    }
}

#[test]
fn the_daily_question_is_answered_and_today_shows_it() {
    let (_dir, hearth) = open();
    let asked = hearth.daily_question(DAY.into()).unwrap();
    assert_eq!(asked.day, DAY);
    assert_eq!(asked.answers.mine, None);
    assert_eq!(asked.answers.partner, PartnerAnswer::NotYet);
    let answered = hearth
        .answer_daily_question(DAY.into(), "A long walk by the sea.".into())
        .unwrap();
    assert_eq!(answered.question, asked.question);
    assert_eq!(
        answered.answers.mine.as_deref(),
        Some("A long walk by the sea.")
    );
    let Today { question, .. } = hearth.today(DAY.into()).unwrap();
    assert_eq!(question, answered);
}

#[test]
fn guidance_errors_arrive_typed() {
    let (_dir, hearth) = open();
    assert!(matches!(
        hearth.daily_question("tomorrow".into()),
        Err(HearthError::InvalidInput { .. })
    ));
    assert!(matches!(
        hearth.answer_daily_question(DAY.into(), "  ".into()),
        Err(HearthError::InvalidInput { .. })
    ));
    assert!(matches!(
        hearth.exercise("no-such-exercise".into()),
        Err(HearthError::NotFound { .. })
    ));
    assert!(matches!(
        hearth.join_program("no-such-program".into(), DAY.into()),
        Err(HearthError::NotFound { .. })
    ));
    match hearth.take_assessment(ratings(9)) {
        Err(HearthError::InvalidInput { reason }) => assert!(reason.contains("1 to 5"), "{reason}"),
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert_eq!(
        hearth.my_assessment(AssessmentKind::Intimacy).unwrap(),
        None
    );
}

#[test]
fn an_assessment_is_scored_kept_and_exercises_are_filtered() {
    let (_dir, hearth) = open();
    let result = hearth.take_assessment(ratings(5)).unwrap();
    let AssessmentResult::Intimacy { result: scored } = &result else {
        panic!("expected an intimacy result, got {result:?}");
    };
    assert!(scored.dimensions.iter().all(|d| d.gap == 3));
    assert_eq!(
        hearth.my_assessment(AssessmentKind::Intimacy).unwrap(),
        Some(result)
    );
    let all = hearth.exercises(ExerciseFilter::default()).unwrap();
    let dreams = hearth
        .exercises(ExerciseFilter {
            dimension: Some(Dimension::Dream),
            ..Default::default()
        })
        .unwrap();
    assert!(!dreams.is_empty() && dreams.len() < all.len());
    assert_eq!(hearth.exercise(dreams[0].id.clone()).unwrap(), dreams[0]);
    assert!(!hearth.date_jar_starters().unwrap().is_empty());
}
