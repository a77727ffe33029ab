//! The guidance layer through the facade, on two phones that swap their
//! shared documents by hand: the daily question and its reveal, exercises
//! and drills, assessments, programs and the opt-in rule, check-ins, goals,
//! the date jar, notes, recommendations and the safety check.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::collections::HashSet;

use common::Phone;
use hearth_core::Error;
use hearth_core::ExerciseFilter;
use hearth_core::content::taxonomy::Dimension;
use hearth_core::guidance::assessment::{AssessmentAnswers, AssessmentKind};
use hearth_core::guidance::assessment::{AssessmentResult, DimensionRating, ItemAnswer};
use hearth_core::guidance::daily::PartnerAnswer;
use hearth_core::guidance::drill::{DrillPhase, TurnMove};
use hearth_core::guidance::goal::GoalStatus;
use hearth_core::guidance::recommend::RecommendationTarget;
use hearth_core::guidance::safety::SafetyAnswer;

/// Two phones in one couple's space, each knowing the other.
fn couple() -> (Phone, Phone) {
    let a = Phone::new("Robin");
    let b = Phone::new("Sam");
    b.hearth.adopt_space_id("our-shared-space").unwrap();
    a.hearth.adopt_space_id("our-shared-space").unwrap();
    swap(&a, &b);
    (a, b)
}

fn swap(a: &Phone, b: &Phone) {
    a.send_all_to(b);
    b.send_all_to(a);
}

const DAY: &str = "2026-11-26";

#[test]
fn both_phones_ask_the_same_question_and_answers_unlock_together() {
    let (a, b) = couple();
    let qa = a.hearth.daily_question(DAY).unwrap();
    let qb = b.hearth.daily_question(DAY).unwrap();
    assert_eq!(qa.question, qb.question);
    assert_eq!(qa.answers.partner, PartnerAnswer::NotYet);

    a.hearth
        .answer_daily_question(DAY, "The walk to the bakery.")
        .unwrap();
    swap(&a, &b);
    // Sam has not answered: Robin's answer is there but hidden, text and all.
    let seen_by_b = b.hearth.daily_question(DAY).unwrap();
    assert_eq!(seen_by_b.answers.partner, PartnerAnswer::Hidden);
    assert_eq!(seen_by_b.answers.mine, None);
    assert!(!format!("{seen_by_b:?}").contains("bakery"));

    b.hearth
        .answer_daily_question(DAY, "Your laugh at breakfast.")
        .unwrap();
    let after = b.hearth.daily_question(DAY).unwrap();
    assert_eq!(
        after.answers.partner,
        PartnerAnswer::Shown {
            text: "The walk to the bakery.".into()
        }
    );
    swap(&a, &b);
    assert_eq!(
        a.hearth.daily_question(DAY).unwrap().answers.partner,
        PartnerAnswer::Shown {
            text: "Your laugh at breakfast.".into()
        }
    );
    assert!(matches!(
        a.hearth.answer_daily_question(DAY, "  "),
        Err(Error::EmptyText { .. })
    ));
    assert!(matches!(
        a.hearth.daily_question("26/11/2026"),
        Err(Error::InvalidDate(_))
    ));
}

#[test]
fn no_question_repeats_within_a_year() {
    let (a, _) = couple();
    let mut day = time::Date::from_calendar_date(2026, time::Month::January, 1).unwrap();
    let mut seen = HashSet::new();
    for _ in 0..365 {
        let q = a
            .hearth
            .daily_question(&hearth_core::guidance::day::format(day))
            .unwrap();
        assert!(seen.insert(q.question.id), "repeat on {day}");
        day = day.next_day().unwrap();
    }
}

#[test]
fn sexual_content_needs_both_partners_and_either_can_withdraw() {
    let (a, b) = couple();
    let sensitive = |p: &Phone| {
        p.hearth
            .exercises(&ExerciseFilter::default())
            .unwrap()
            .iter()
            .filter(|e| e.sensitive)
            .count()
    };
    let offers_sensual = |p: &Phone| {
        p.hearth
            .programs()
            .unwrap()
            .iter()
            .any(|p| p.id == "sensual-30")
    };
    assert_eq!(sensitive(&a), 0);
    assert!(!offers_sensual(&a));
    assert!(matches!(
        a.hearth.join_program("sensual-30", DAY),
        Err(Error::NotOptedIn)
    ));

    a.hearth.set_sexual_content_opt_in(true).unwrap();
    swap(&a, &b);
    assert!(
        !offers_sensual(&a) && !offers_sensual(&b),
        "one yes is not enough"
    );
    b.hearth.set_sexual_content_opt_in(true).unwrap();
    swap(&a, &b);
    assert!(offers_sensual(&a) && offers_sensual(&b));
    assert!(sensitive(&a) > 0);
    a.hearth.join_program("sensual-30", DAY).unwrap();
    swap(&a, &b);
    assert_eq!(b.hearth.enrolments(DAY).unwrap().len(), 1);

    // Sam changes their mind: the program and the exercises are hidden again.
    b.hearth.set_sexual_content_opt_in(false).unwrap();
    swap(&a, &b);
    assert!(!offers_sensual(&a));
    assert_eq!(sensitive(&a), 0);
    assert!(a.hearth.enrolments(DAY).unwrap().is_empty());
}

#[test]
fn programs_resume_where_the_couple_left_off_without_penalty() {
    let (a, b) = couple();
    let joined = a.hearth.join_program("intimacy-30", "2026-11-01").unwrap();
    assert!(joined.joined_by_me);
    assert_eq!(joined.progress.next_day, Some(1));
    a.hearth
        .complete_program_day("intimacy-30", 1, "2026-11-01")
        .unwrap();
    a.hearth
        .complete_program_day("intimacy-30", 2, "2026-11-02")
        .unwrap();
    b.hearth.join_program("intimacy-30", "2026-11-01").unwrap();
    b.hearth
        .complete_program_day("intimacy-30", 1, "2026-11-01")
        .unwrap();
    swap(&a, &b);

    // Ten days away, then back: day 3 is next, and it is a welcome back.
    let back = a.hearth.enrolments("2026-11-12").unwrap();
    assert_eq!(back.len(), 1);
    let p = &back[0].progress;
    assert_eq!((p.done_by_me, p.done_by_partner, p.done_by_both), (2, 1, 1));
    assert_eq!(p.next_day, Some(3));
    assert_eq!(p.partner_next_day, Some(2));
    assert!(p.welcome_back);
    assert!(back[0].joined_by_partner);
    assert!(matches!(
        a.hearth.complete_program_day("intimacy-30", 31, DAY),
        Err(Error::Progress(_))
    ));
    a.hearth.leave_program("intimacy-30", DAY).unwrap();
    b.hearth.leave_program("intimacy-30", DAY).unwrap();
    swap(&a, &b);
    assert!(a.hearth.enrolments(DAY).unwrap().is_empty());
}

#[test]
fn the_next_check_in_is_a_month_after_the_last() {
    let (a, b) = couple();
    a.hearth.record_check_in("2026-01-31").unwrap();
    swap(&a, &b);
    let due = b.hearth.next_check_in("2026-02-10").unwrap();
    assert_eq!(due.last_held.as_deref(), Some("2026-01-31"));
    assert_eq!(due.due_on, "2026-02-28");
    assert!(!due.is_due);
    assert!(b.hearth.next_check_in("2026-03-01").unwrap().is_due);
    assert!(!a.hearth.check_in_guide().unwrap().sections.is_empty());
}

#[test]
fn goals_are_picked_together_and_follow_their_steps() {
    let (a, b) = couple();
    let hike = a.hearth.add_goal("Hike a long trail together").unwrap();
    assert!(!a.hearth.ready_to_pick_goals().unwrap());
    b.hearth.add_goal("Cook one new dish a month").unwrap();
    swap(&a, &b);
    assert!(a.hearth.ready_to_pick_goals().unwrap());
    assert_eq!(b.hearth.goals().unwrap().len(), 2);

    b.hearth
        .set_goal_status(&hike.id, GoalStatus::Chosen)
        .unwrap();
    swap(&a, &b);
    let picked = a.hearth.goals().unwrap();
    assert_eq!(
        picked.iter().find(|g| g.id == hike.id).unwrap().status,
        GoalStatus::Chosen
    );
    let dish = picked.iter().find(|g| g.id != hike.id).unwrap();
    assert_eq!(dish.status, GoalStatus::Idea);
    assert!(matches!(
        a.hearth.set_goal_status(&dish.id, GoalStatus::Done),
        Err(Error::GoalStatus(_))
    ));
    assert!(matches!(
        a.hearth.set_goal_status("goal:nope", GoalStatus::Chosen),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        a.hearth.add_goal(" "),
        Err(Error::EmptyText { .. })
    ));
}

#[test]
fn the_date_jar_draws_only_ideas_not_done() {
    let (a, b) = couple();
    assert!(a.hearth.draw_date_idea().unwrap().is_none());
    assert!(a.hearth.date_jar_starters().unwrap().len() >= 40);
    let picnic = a.hearth.add_date_idea("A picnic at dawn").unwrap();
    let museum = b
        .hearth
        .add_date_idea("The small museum by the station")
        .unwrap();
    swap(&a, &b);
    for _ in 0..20 {
        let drawn = a.hearth.draw_date_idea().unwrap().unwrap();
        assert!(drawn.id == picnic.id || drawn.id == museum.id);
    }
    a.hearth.mark_date_done(&picnic.id, DAY).unwrap();
    swap(&a, &b);
    for _ in 0..10 {
        assert_eq!(b.hearth.draw_date_idea().unwrap().unwrap().id, museum.id);
    }
    b.hearth.mark_date_done(&museum.id, DAY).unwrap();
    assert!(b.hearth.draw_date_idea().unwrap().is_none());
}

#[test]
fn appreciation_notes_reach_the_partner() {
    let (a, b) = couple();
    a.hearth
        .appreciate("Thank you for fixing the bike.")
        .unwrap();
    swap(&a, &b);
    let notes = b.hearth.appreciations().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].author.name, "Robin");
    assert!(!notes[0].author.is_me);
}

fn ratings(important_and_low: Dimension) -> AssessmentAnswers {
    AssessmentAnswers::Intimacy {
        ratings: Dimension::ALL
            .iter()
            // The sexual item is only asked once both partners opted in.
            .filter(|&&dimension| dimension != Dimension::Sexual)
            .map(|&dimension| {
                let (importance, satisfaction) = if dimension == important_and_low {
                    (5, 1)
                } else {
                    (3, 3)
                };
                DimensionRating {
                    dimension,
                    importance,
                    satisfaction,
                }
            })
            .collect(),
    }
}

#[test]
fn assessments_stay_private_until_shared_and_then_compare() {
    let (a, b) = couple();
    let mine = a
        .hearth
        .take_assessment(&ratings(Dimension::Dream))
        .unwrap();
    assert!(matches!(mine, AssessmentResult::Intimacy { .. }));
    swap(&a, &b);
    assert!(
        b.hearth
            .partner_assessment(AssessmentKind::Intimacy)
            .unwrap()
            .is_none(),
        "a result taken is private until shared"
    );

    a.hearth.share_assessment(AssessmentKind::Intimacy).unwrap();
    b.hearth
        .take_assessment(&ratings(Dimension::Dream))
        .unwrap();
    b.hearth.share_assessment(AssessmentKind::Intimacy).unwrap();
    swap(&a, &b);
    assert_eq!(
        b.hearth
            .partner_assessment(AssessmentKind::Intimacy)
            .unwrap(),
        Some(mine)
    );
    let comparison = a
        .hearth
        .compare_assessments(AssessmentKind::Intimacy)
        .unwrap()
        .unwrap();
    assert!(!comparison.differences.is_empty());

    // You both rated shared dreams important and low: the reason says so.
    let recs = a.hearth.recommendations(DAY, 5).unwrap();
    assert!(!recs.is_empty());
    assert!(
        recs[0].reason.to_lowercase().contains("both"),
        "{}",
        recs[0].reason
    );

    // Withdrawing deletes the shared copy here and, once told, there.
    a.hearth
        .unshare_assessment(AssessmentKind::Intimacy)
        .unwrap();
    assert!(
        a.hearth
            .pending_forgets()
            .unwrap()
            .iter()
            .any(|id| id.starts_with("assessment:"))
    );
    swap(&a, &b);
    assert!(
        b.hearth
            .partner_assessment(AssessmentKind::Intimacy)
            .unwrap()
            .is_none()
    );
    assert!(
        a.hearth
            .compare_assessments(AssessmentKind::Intimacy)
            .unwrap()
            .is_none()
    );
    assert!(
        a.hearth
            .my_assessment(AssessmentKind::Intimacy)
            .unwrap()
            .is_some()
    );
    assert!(matches!(
        a.hearth.take_assessment(&AssessmentAnswers::Attachment {
            answers: vec![ItemAnswer {
                item_id: "no-such-item".into(),
                value: 3
            }]
        }),
        Err(Error::Score(_))
    ));
}

#[test]
fn drills_take_turns_across_both_phones() {
    let (a, b) = couple();
    let started = a.hearth.start_drill("listen-and-sum-up").unwrap();
    swap(&a, &b);
    let on_b = b.hearth.drill(&started.id).unwrap();
    assert_ne!(on_b.my_seat, started.my_seat);
    assert!(on_b.view.moves.is_empty() || !on_b.view.moves.contains(&TurnMove::DoneSpeaking));
    assert!(matches!(
        b.hearth.drill_move(&started.id, TurnMove::DoneSpeaking),
        Err(Error::Turn(_))
    ));

    a.hearth
        .drill_move(&started.id, TurnMove::DoneSpeaking)
        .unwrap();
    swap(&a, &b);
    b.hearth
        .drill_move(&started.id, TurnMove::DoneReflecting)
        .unwrap();
    swap(&a, &b);
    a.hearth.drill_move(&started.id, TurnMove::Heard).unwrap();
    swap(&a, &b);
    // The roles switched: Sam speaks now.
    b.hearth
        .drill_move(&started.id, TurnMove::DoneSpeaking)
        .unwrap();
    // Both phones act at the same moment: both stop. The merged log is the
    // same on both, so both agree on the state.
    a.hearth.drill_move(&started.id, TurnMove::Stop).unwrap();
    b.hearth.drill_move(&started.id, TurnMove::Stop).unwrap();
    swap(&a, &b);
    let (sa, sb) = (
        a.hearth.drill(&started.id).unwrap(),
        b.hearth.drill(&started.id).unwrap(),
    );
    assert_eq!(sa.view.phase, sb.view.phase);
    assert_eq!(sa.view.phase, DrillPhase::Stopped);
    assert_eq!(sa.skipped_moves, sb.skipped_moves);
    assert!(sa.finished && a.hearth.open_drills().unwrap().is_empty());
    assert!(matches!(
        a.hearth.start_drill("a-week-of-thank-yous"),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn a_safety_concern_stops_closeness_nudges_and_never_leaves_the_phone() {
    let (a, b) = couple();
    a.hearth
        .take_assessment(&ratings(Dimension::Physical))
        .unwrap();
    a.hearth.join_program("intimacy-30", DAY).unwrap();
    let before = a.hearth.recommendations(DAY, 3).unwrap();
    assert!(matches!(
        before[0].target,
        RecommendationTarget::Exercise { .. }
    ));

    let outcome = a
        .hearth
        .record_safety_check(&[SafetyAnswer {
            item_id: "safety-afraid".into(),
            yes: true,
        }])
        .unwrap();
    assert!(outcome.concern);
    let recs = a.hearth.recommendations(DAY, 10).unwrap();
    assert_eq!(recs[0].target, RecommendationTarget::HelpResources);
    // Then help for this person alone, never couples sessions.
    let RecommendationTarget::ProfessionalHelp { kind_of_help } = &recs[1].target else {
        panic!("a professional comes second: {recs:?}")
    };
    assert!(kind_of_help.contains("on your own"), "{kind_of_help}");
    let catalog = hearth_core::content::embedded::catalog().unwrap();
    for r in &recs[2..] {
        let RecommendationTarget::Exercise { exercise_id } = &r.target else {
            panic!("help resources only once")
        };
        assert!(
            catalog.get(exercise_id).unwrap().personal,
            "{exercise_id} pushes closeness"
        );
    }
    let today = a.hearth.today(DAY).unwrap();
    assert!(today.programs.is_empty() && !today.check_in_due);
    assert_eq!(
        today.suggestion.map(|s| s.target),
        Some(RecommendationTarget::HelpResources)
    );

    // Nothing about it is in any shared document, queued or sent.
    swap(&a, &b);
    for phone in [&a, &b] {
        for id in phone.hearth.pending_documents().unwrap() {
            assert!(!id.contains("safety"));
            let bytes = phone.hearth.document_bytes(&id).unwrap().unwrap();
            let doc = automerge::AutoCommit::load(&bytes).unwrap();
            let dump = format!("{:?}", automerge::AutoSerde::from(&doc));
            assert!(!dump.contains("safety") && !dump.contains("afraid"), "{id}");
        }
    }
    assert!(b.hearth.safety_outcome().unwrap().is_none());
    a.hearth.clear_safety_check().unwrap();
    assert!(a.hearth.safety_outcome().unwrap().is_none());
    assert!(!common::contains(&a.database_bytes(), "safety-afraid"));
}

#[test]
fn the_sexual_assessment_item_waits_for_both_partners() {
    let (a, b) = couple();
    let sexual_items = |p: &Phone| {
        p.hearth
            .assessments()
            .unwrap()
            .intimacy
            .items
            .iter()
            .filter(|i| i.dimension == Dimension::Sexual)
            .count()
    };
    assert_eq!(sexual_items(&a), 0);
    let with_sexual = AssessmentAnswers::Intimacy {
        ratings: vec![DimensionRating {
            dimension: Dimension::Sexual,
            importance: 4,
            satisfaction: 2,
        }],
    };
    assert!(matches!(
        a.hearth.take_assessment(&with_sexual),
        Err(Error::NotOptedIn)
    ));
    a.hearth.set_sexual_content_opt_in(true).unwrap();
    b.hearth.set_sexual_content_opt_in(true).unwrap();
    swap(&a, &b);
    assert_eq!(sexual_items(&a), 1);
}

#[test]
fn either_partner_can_swap_the_question_and_both_land_on_the_same_one() {
    let (a, b) = couple();
    let original = a.hearth.daily_question(DAY).unwrap().question;
    a.hearth
        .answer_daily_question(DAY, "An early answer.")
        .unwrap();
    swap(&a, &b);

    let swapped = b.hearth.swap_daily_question(DAY).unwrap();
    assert_ne!(swapped.question, original);
    // A swap starts the day over: the answer to the old question no longer counts.
    assert_eq!(swapped.answers.partner, PartnerAnswer::NotYet);
    swap(&a, &b);
    let seen_by_a = a.hearth.daily_question(DAY).unwrap();
    assert_eq!(seen_by_a.question, swapped.question);
    assert_eq!(seen_by_a.answers.mine, None);

    // Both swap at once, offline: the swaps add up on both phones.
    a.hearth.swap_daily_question(DAY).unwrap();
    b.hearth.swap_daily_question(DAY).unwrap();
    swap(&a, &b);
    let qa = a.hearth.daily_question(DAY).unwrap().question;
    let qb = b.hearth.daily_question(DAY).unwrap().question;
    assert_eq!(qa, qb);
    assert_ne!(qa, swapped.question);
    assert_ne!(qa, original);

    a.hearth.answer_daily_question(DAY, "Here.").unwrap();
    b.hearth.answer_daily_question(DAY, "There.").unwrap();
    swap(&a, &b);
    assert_eq!(
        a.hearth.daily_question(DAY).unwrap().answers.partner,
        PartnerAnswer::Shown {
            text: "There.".into()
        }
    );
}

/// A day whose question is deep for the test couple.
fn a_deep_day(p: &Phone) -> String {
    let mut day = time::Date::from_calendar_date(2026, time::Month::January, 1).unwrap();
    for _ in 0..400 {
        let text = hearth_core::guidance::day::format(day);
        let q = p.hearth.daily_question(&text).unwrap().question;
        if q.depth == hearth_core::content::question::Depth::Deep {
            return text;
        }
        day = day.next_day().unwrap();
    }
    panic!("no deep question in 400 days");
}

#[test]
fn after_a_safety_concern_no_deep_question_is_served() {
    let (a, b) = couple();
    let day = a_deep_day(&a);
    let deep = a.hearth.daily_question(&day).unwrap().question;
    a.hearth
        .record_safety_check(&[SafetyAnswer {
            item_id: "safety-afraid".into(),
            yes: true,
        }])
        .unwrap();
    let gentle = a.hearth.daily_question(&day).unwrap().question;
    assert_ne!(gentle, deep);
    assert_ne!(gentle.depth, hearth_core::content::question::Depth::Deep);
    // Nothing changes for the partner until Robin answers; then it looks
    // like any swap, and both phones are on the same question.
    swap(&a, &b);
    assert_eq!(b.hearth.daily_question(&day).unwrap().question, deep);
    a.hearth
        .answer_daily_question(&day, "A quiet one.")
        .unwrap();
    swap(&a, &b);
    let seen_by_b = b.hearth.daily_question(&day).unwrap();
    assert_eq!(seen_by_b.question, gentle);
    assert_eq!(seen_by_b.answers.partner, PartnerAnswer::Hidden);
    assert_eq!(a.hearth.daily_question(&day).unwrap().question, gentle);

    // On another deep day, Robin swaps before answering: the swap still
    // brings a new question, not the one already shown in place of the deep one.
    let mut other = time::Date::from_calendar_date(2026, time::Month::January, 1).unwrap();
    let other_day = loop {
        let text = hearth_core::guidance::day::format(other);
        if text != day
            && b.hearth.daily_question(&text).unwrap().question.depth
                == hearth_core::content::question::Depth::Deep
        {
            break text;
        }
        other = other.next_day().unwrap();
    };
    let shown = a.hearth.daily_question(&other_day).unwrap().question;
    let swapped = a.hearth.swap_daily_question(&other_day).unwrap().question;
    assert_ne!(swapped, shown);
    assert_ne!(swapped.depth, hearth_core::content::question::Depth::Deep);
    swap(&a, &b);
    assert_eq!(
        b.hearth.daily_question(&other_day).unwrap().question,
        swapped
    );
    // No deep question on any day of the year for Robin.
    let mut d = time::Date::from_calendar_date(2026, time::Month::January, 1).unwrap();
    for _ in 0..365 {
        let q = a
            .hearth
            .daily_question(&hearth_core::guidance::day::format(d))
            .unwrap()
            .question;
        assert_ne!(q.depth, hearth_core::content::question::Depth::Deep, "{d}");
        d = d.next_day().unwrap();
    }
}

#[test]
fn clearing_the_safety_check_keeps_closeness_suggestions_paused() {
    let (a, _b) = couple();
    assert!(!a.hearth.closeness_suggestions_paused().unwrap());
    a.hearth
        .record_safety_check(&[SafetyAnswer {
            item_id: "safety-tracking".into(),
            yes: true,
        }])
        .unwrap();
    assert!(a.hearth.closeness_suggestions_paused().unwrap());
    a.hearth.clear_safety_check().unwrap();
    assert!(a.hearth.safety_outcome().unwrap().is_none());
    assert!(a.hearth.closeness_suggestions_paused().unwrap());
    let recs = a.hearth.recommendations(DAY, 3).unwrap();
    assert_eq!(recs[0].target, RecommendationTarget::HelpResources);

    a.hearth.resume_closeness_suggestions().unwrap();
    assert!(!a.hearth.closeness_suggestions_paused().unwrap());
    let recs = a.hearth.recommendations(DAY, 3).unwrap();
    assert!(matches!(
        recs[0].target,
        RecommendationTarget::Exercise { .. }
    ));
}

#[test]
fn hard_months_at_check_ins_bring_up_a_professional_on_both_phones() {
    let (a, b) = couple();
    let is_professional = |r: &hearth_core::guidance::recommend::Recommendation| -> bool {
        matches!(r.target, RecommendationTarget::ProfessionalHelp { .. })
    };
    a.hearth.record_check_in_rated("2026-09-20", 2).unwrap();
    b.hearth.record_check_in_rated("2026-09-20", 4).unwrap();
    swap(&a, &b);
    // One hard month is just a hard month.
    assert!(!is_professional(
        &a.hearth.recommendations(DAY, 1).unwrap()[0]
    ));
    b.hearth.record_check_in_rated("2026-10-20", 1).unwrap();
    swap(&a, &b);
    for phone in [&a, &b] {
        let recs = phone.hearth.recommendations(DAY, 5).unwrap();
        assert!(is_professional(&recs[0]), "{recs:?}");
        assert!(recs[0].reason.contains("last two check-ins"));
        // Never blocking: exercises follow.
        assert!(matches!(
            recs[1].target,
            RecommendationTarget::Exercise { .. }
        ));
    }
    // A good month ends the run.
    a.hearth.record_check_in_rated("2026-11-20", 4).unwrap();
    b.hearth.record_check_in_rated("2026-11-20", 5).unwrap();
    swap(&a, &b);
    assert!(!is_professional(
        &a.hearth.recommendations(DAY, 1).unwrap()[0]
    ));
    assert!(a.hearth.record_check_in_rated(DAY, 6).is_err());
    assert!(a.hearth.record_check_in_rated(DAY, 0).is_err());
}

#[test]
fn communication_styles_are_taken_shared_compared_and_explained() {
    let (a, b) = couple();
    let items = a.hearth.assessments().unwrap().communication.items;
    let answers = |value: u32| AssessmentAnswers::Communication {
        answers: items
            .iter()
            .map(|i| ItemAnswer {
                item_id: i.id.clone(),
                value,
            })
            .collect(),
    };
    let mine = a.hearth.take_assessment(&answers(5)).unwrap();
    b.hearth.take_assessment(&answers(2)).unwrap();
    let words = a.hearth.explain_assessment(&mine).unwrap();
    assert_eq!(words.details.len(), 4);
    assert!(!words.note.is_empty());
    assert!(
        a.hearth
            .compare_assessments(AssessmentKind::Communication)
            .unwrap()
            .is_none()
    );
    a.hearth
        .share_assessment(AssessmentKind::Communication)
        .unwrap();
    b.hearth
        .share_assessment(AssessmentKind::Communication)
        .unwrap();
    swap(&a, &b);
    let cmp = a
        .hearth
        .compare_assessments(AssessmentKind::Communication)
        .unwrap()
        .unwrap();
    assert_eq!(cmp.differences.len(), 4);
    assert!(matches!(
        cmp.partner,
        AssessmentResult::Communication { .. }
    ));
}

#[test]
fn the_game_reveals_answer_and_guess_once_both_are_in() {
    let (a, b) = couple();
    // Robin answers about themselves; Sam guesses.
    let round = a.hearth.start_game_round(true).unwrap();
    assert!(round.view.i_answer);
    assert!(round.prompt.text.ends_with('?'));
    swap(&a, &b);
    let seen_by_b = b.hearth.game_round(&round.id).unwrap();
    assert!(!seen_by_b.view.i_answer);
    assert_eq!(seen_by_b.prompt, round.prompt);

    b.hearth.play_game_round(&round.id, "Pancakes").unwrap();
    swap(&a, &b);
    // Robin sees that Sam is in, but not the guess.
    let robin = a.hearth.game_round(&round.id).unwrap();
    assert!(robin.view.partner_is_in && !robin.view.revealed);
    assert_eq!(robin.view.guess, None);
    assert!(!format!("{robin:?}").contains("Pancakes"));

    let robin = a.hearth.play_game_round(&round.id, "Soup").unwrap();
    assert!(robin.view.revealed);
    assert_eq!(robin.view.guess.as_deref(), Some("Pancakes"));
    swap(&a, &b);
    let sam = b.hearth.game_round(&round.id).unwrap();
    assert_eq!(sam.view.answer.as_deref(), Some("Soup"));
    assert_eq!(sam.view.guess.as_deref(), Some("Pancakes"));
    // Once both are in, the round is set.
    assert!(matches!(
        b.hearth.play_game_round(&round.id, "Soup!"),
        Err(Error::RoundRevealed)
    ));

    // The next round brings a new prompt; Sam answers this time.
    let next = b.hearth.start_game_round(true).unwrap();
    assert_ne!(next.prompt.id, round.prompt.id);
    swap(&a, &b);
    let rounds = a.hearth.game_rounds().unwrap();
    assert_eq!(rounds.len(), 2);
    assert!(rounds.iter().any(|r| r.id == next.id && !r.view.i_answer));
}

#[test]
fn a_partners_shared_barrier_signs_name_them_in_the_reasons() {
    let (a, b) = couple();
    let signs =
        |high: &[hearth_core::content::taxonomy::Barrier]| AssessmentAnswers::BarrierSigns {
            answers: a
                .hearth
                .assessments()
                .unwrap()
                .barrier_signs
                .items
                .iter()
                .map(|i| ItemAnswer {
                    item_id: i.id.clone(),
                    value: if high.contains(&i.barrier) { 5 } else { 1 },
                })
                .collect(),
        };
    use hearth_core::content::taxonomy::Barrier;
    // Sam flags old hurt and shares it; Robin flags nothing that needs help.
    b.hearth
        .take_assessment(&signs(&[Barrier::PastHurt]))
        .unwrap();
    b.hearth
        .share_assessment(AssessmentKind::BarrierSigns)
        .unwrap();
    a.hearth
        .take_assessment(&signs(&[Barrier::UnfairLoad]))
        .unwrap();
    swap(&a, &b);
    let recs = a.hearth.recommendations(DAY, 500).unwrap();
    let RecommendationTarget::ProfessionalHelp { kind_of_help } = &recs[0].target else {
        panic!("a professional first: {recs:?}")
    };
    assert!(
        recs[0].reason.starts_with("Sam said that old hurt"),
        "{}",
        recs[0].reason
    );
    assert!(kind_of_help.contains("trauma"));
    // Robin's own flag is Robin's: "which you flagged".
    assert!(
        recs.iter()
            .any(|r| r.reason == "It works on sharing the load fairly, which you flagged."),
        "{recs:?}"
    );
    // Robin's own barrier signs stay private: Sam sees nothing of them.
    assert!(
        b.hearth
            .partner_assessment(AssessmentKind::BarrierSigns)
            .unwrap()
            .is_none()
    );
}
