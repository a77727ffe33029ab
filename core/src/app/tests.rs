//! The app's presentation rules on one device: opening, the lock, drafts
//! that survive the app being killed, private-by-default prompts, nothing
//! that needs a partner offered while unpaired, coalesced reloads. The
//! rules between two paired devices (live sync, the reveal, notifications)
//! are tested against a real relay in `tests/tests/app.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use super::testing::{Device, Effect, RecordingShell};
use super::*;
use crate::clock::ManualClock;
use crate::error::ErrorKind;
use crate::guidance::assessment::AssessmentKind;
use crate::guidance::drill::TurnMove;

const START: i64 = 1_764_000_000_000;

/// A device on a manual clock, in its own folder.
struct Local {
    device: Device,
    clock: Arc<ManualClock>,
}

impl std::ops::Deref for Local {
    type Target = Device;
    fn deref(&self) -> &Device {
        &self.device
    }
}

impl Local {
    async fn start(dir: &Path) -> Self {
        Self::start_with(dir, Arc::new(RecordingShell::default())).await
    }

    async fn start_with(dir: &Path, shell: Arc<RecordingShell>) -> Self {
        let clock = Arc::new(ManualClock::new(START));
        let config = AppConfig {
            clock: Some(clock.clone()),
            ..AppConfig::new(dir)
        };
        Self {
            device: Device::start(config, shell).await,
            clock,
        }
    }

    /// A device set up with `name`, in front.
    async fn named(dir: &Path, name: &str) -> Self {
        let device = Self::start(dir).await;
        device.act(Action::Begin { name: name.into() }).await;
        device.act(Action::PairLater).await;
        device.act(Action::Foreground).await;
        device
    }
}

#[tokio::test]
async fn a_new_device_asks_for_a_name_and_a_refused_name_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::start(dir.path()).await;
    assert_eq!(device.app.view().phase, AppPhase::Welcome { problem: None });
    assert!(device.app.view().screens.is_none());

    device.act(Action::Begin { name: "  ".into() }).await;
    let AppPhase::Welcome {
        problem: Some(problem),
    } = device.app.view().phase
    else {
        panic!("a blank name goes back to the welcome screen with a reason");
    };
    assert_eq!(problem.kind, ErrorKind::InvalidInput);

    device.act(Action::Begin { name: "Sam".into() }).await;
    let view = device.app.view();
    assert_eq!(view.phase, AppPhase::Ready);
    let screens = view.screens.unwrap();
    assert_eq!(screens.profile.me.name, "Sam");
    assert!(
        screens.pairing.is_some(),
        "a new person is offered pairing at once"
    );
}

#[tokio::test]
async fn an_enabled_lock_hides_everything_until_the_owner_unlocks() {
    let dir = tempfile::tempdir().unwrap();
    {
        let device = Local::named(dir.path(), "Sam").await;
        device.act(Action::SetAppLock { enabled: true }).await;
        assert!(device.screens().settings.app_lock);
        device.app.close().await;
    }
    let device = Local::start(dir.path()).await;
    device.act(Action::Foreground).await;
    let view = device.app.view();
    assert!(view.lock.locked, "locked at launch");
    assert!(view.screens.is_none(), "no content while locked");
    assert!(device.shell.take_effects().contains(&Effect::RequestUnlock));

    device.act(Action::UnlockFailed).await;
    assert!(device.app.view().lock.locked);
    device.act(Action::UnlockSucceeded).await;
    assert!(!device.app.view().lock.locked);
    assert!(device.app.view().screens.is_some());
}

#[tokio::test]
async fn the_lock_waits_out_a_short_trip_away_and_locks_after_a_long_one() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device.act(Action::SetAppLock { enabled: true }).await;

    device.act(Action::Background).await;
    device.clock.advance(GRACE_MS - 1);
    device.act(Action::Foreground).await;
    assert!(!device.app.view().lock.locked);

    device.act(Action::Background).await;
    device.clock.advance(GRACE_MS);
    device.act(Action::Foreground).await;
    assert!(device.app.view().lock.locked);
}

#[tokio::test]
async fn with_the_device_lock_gone_the_lock_screen_offers_a_way_in() {
    let dir = tempfile::tempdir().unwrap();
    let shell = Arc::new(RecordingShell::default());
    {
        let device = Local::start_with(dir.path(), shell.clone()).await;
        device.act(Action::Begin { name: "Sam".into() }).await;
        device.act(Action::SetAppLock { enabled: true }).await;
        device.app.close().await;
    }
    // The person removed the phone's own screen lock since.
    shell.set_device_lock(false);
    let device = Local::start_with(dir.path(), shell.clone()).await;
    device.act(Action::Foreground).await;
    let lock = device.app.view().lock;
    assert!(lock.locked && lock.device_lock_gone);
    assert!(
        !shell.take_effects().contains(&Effect::RequestUnlock),
        "a prompt that cannot succeed is not shown"
    );

    device.act(Action::TurnOffLockWithoutDevice).await;
    let view = device.app.view();
    assert!(!view.lock.locked && !view.lock.enabled);
    assert!(view.screens.is_some());
}

#[tokio::test]
async fn the_way_in_without_a_device_lock_is_refused_while_the_device_has_one() {
    let dir = tempfile::tempdir().unwrap();
    {
        let device = Local::named(dir.path(), "Sam").await;
        device.act(Action::SetAppLock { enabled: true }).await;
        device.app.close().await;
    }
    let device = Local::start(dir.path()).await;
    device.act(Action::TurnOffLockWithoutDevice).await;
    assert!(device.app.view().lock.locked);
}

#[tokio::test]
async fn the_lock_cannot_be_turned_on_without_a_device_lock() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device.shell.set_device_lock(false);
    device.act(Action::SetAppLock { enabled: true }).await;
    let settings = device.screens().settings;
    assert!(!settings.app_lock);
    assert!(!settings.can_lock);
    assert_eq!(settings.problem.unwrap().kind, ErrorKind::NotAllowed);
}

#[tokio::test]
async fn notifications_stay_off_until_the_platform_grants_them() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    assert!(!device.screens().settings.partner_news, "off by default");
    device.shell.take_effects();

    device.act(Action::SetPartnerNews { enabled: true }).await;
    assert_eq!(
        device.shell.take_effects(),
        vec![Effect::RequestNotificationPermission]
    );
    assert!(
        !device.screens().settings.partner_news,
        "not before the answer"
    );

    device
        .act(Action::NotificationPermission { granted: false })
        .await;
    let settings = device.screens().settings;
    assert!(!settings.partner_news && settings.notifications_blocked);

    device.act(Action::SetPartnerNews { enabled: true }).await;
    device
        .act(Action::NotificationPermission { granted: true })
        .await;
    let settings = device.screens().settings;
    assert!(settings.partner_news && !settings.notifications_blocked);
}

#[tokio::test]
async fn a_half_written_entry_and_answer_survive_the_app_being_killed() {
    let dir = tempfile::tempdir().unwrap();
    {
        let device = Local::named(dir.path(), "Sam").await;
        device.act(Action::Compose).await;
        device
            .act(Action::EditDraft {
                title: "Sunday".into(),
                body: "We walked to the".into(),
                emotions: Vec::new(),
                private: false,
            })
            .await;
        device
            .act(Action::EditAnswer {
                text: "A quiet morning".into(),
            })
            .await;
        // Killed: no close, no save.
        drop(device);
    }
    let device = Local::start(dir.path()).await;
    device.act(Action::Foreground).await;
    let screens = device.screens();
    let composer = screens.journal.composer.expect("the editor comes back");
    assert_eq!(composer.title, "Sunday");
    assert_eq!(composer.body, "We walked to the");
    assert_eq!(
        screens.today.question.unwrap().draft,
        "A quiet morning",
        "the answer draft comes back"
    );
}

#[tokio::test]
async fn closing_the_editor_with_back_keeps_the_draft_and_cancel_drops_it() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device.act(Action::Compose).await;
    device
        .act(Action::EditDraft {
            title: String::new(),
            body: "Half a thought".into(),
            emotions: Vec::new(),
            private: false,
        })
        .await;
    device.act(Action::Back).await;
    assert!(device.screens().journal.composer.is_none());
    device.act(Action::Compose).await;
    assert_eq!(
        device.screens().journal.composer.unwrap().body,
        "Half a thought"
    );
    device.act(Action::CancelCompose).await;
    device.act(Action::Compose).await;
    assert_eq!(device.screens().journal.composer.unwrap().body, "");
}

#[tokio::test]
async fn a_refused_entry_keeps_the_editor_open_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device.act(Action::Compose).await;
    device.act(Action::SaveEntry).await;
    let journal = device.screens().journal;
    assert!(journal.composer.is_some());
    assert_eq!(journal.problem.unwrap().kind, ErrorKind::InvalidInput);
}

#[tokio::test]
async fn a_solo_exercise_prompt_opens_a_private_entry() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device
        .act(Action::WriteAboutExercise {
            exercise_id: "thought-record".into(),
        })
        .await;
    let composer = device.screens().journal.composer.unwrap();
    assert!(composer.private);
    assert!(composer.prompt.is_some());
    device.act(Action::CancelCompose).await;

    device
        .act(Action::WriteAboutExercise {
            exercise_id: "listen-and-sum-up".into(),
        })
        .await;
    let composer = device.screens().journal.composer.unwrap();
    // Together, but unpaired: it stays on this device until pairing anyway.
    assert!(composer.private && !composer.can_choose_private);
}

#[tokio::test]
async fn nothing_that_needs_a_partner_is_offered_while_unpaired() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    let screens = device.screens();
    assert!(!screens.paired);
    assert_eq!(
        screens.today.question.unwrap().partner,
        PartnerAnswerView::Unpaired,
        "no 'your partner has not answered yet' before there is a partner"
    );

    device
        .act(Action::StartExercise {
            id: "listen-and-sum-up".into(),
        })
        .await;
    let run = device.screens().exercises.run.unwrap();
    assert!(!run.can_take_turns);

    device
        .act(Action::StartDrill {
            exercise_id: "listen-and-sum-up".into(),
        })
        .await;
    let exercises = device.screens().exercises;
    assert!(exercises.drill.is_none());
    assert_eq!(exercises.problem.unwrap().kind, ErrorKind::NotAllowed);
    // A move with no drill shown does nothing.
    device
        .act(Action::DrillMove {
            action: TurnMove::Ready,
        })
        .await;
}

#[tokio::test]
async fn an_answer_is_saved_and_the_draft_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device
        .act(Action::EditAnswer {
            text: "Cooking together".into(),
        })
        .await;
    device.act(Action::SubmitAnswer).await;
    let question = device.screens().today.question.unwrap();
    assert_eq!(question.mine.as_deref(), Some("Cooking together"));
    assert_eq!(question.draft, "");
}

#[tokio::test]
async fn a_burst_of_actions_renders_once_not_once_per_action() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device.act(Action::Compose).await;
    let before = device.shell.renders();
    for n in 0..50 {
        device.app.dispatch(Action::EditDraft {
            title: String::new(),
            body: "x".repeat(n + 1),
            emotions: Vec::new(),
            private: false,
        });
    }
    device.app.settle().await;
    let renders = device.shell.renders() - before;
    assert!(renders >= 1);
    assert!(renders < 50, "{renders} renders for 50 keystrokes");
    assert_eq!(device.screens().journal.composer.unwrap().body.len(), 50);
}

#[tokio::test]
async fn writing_an_entry_lists_it_and_opening_shows_what_may_be_done() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device.act(Action::Compose).await;
    device
        .act(Action::EditDraft {
            title: "First".into(),
            body: "Our first entry".into(),
            emotions: Vec::new(),
            private: false,
        })
        .await;
    device.act(Action::SaveEntry).await;
    let journal = device.screens().journal;
    assert!(journal.composer.is_none());
    assert_eq!(journal.entries.len(), 1);
    let id = journal.entries[0].id.clone();

    device.act(Action::OpenEntry { id: id.clone() }).await;
    let open = device.screens().journal.open.unwrap();
    assert!(open.can_edit);
    assert!(!open.can_change_visibility, "sharing needs a partner");

    device.act(Action::DeleteEntry { id }).await;
    let journal = device.screens().journal;
    assert!(journal.entries.is_empty() && journal.open.is_none());
}

#[tokio::test]
async fn a_safety_concern_turns_suggestions_into_help() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    let check = device.screens().safety.check;
    for item in &check.items {
        device
            .act(Action::AnswerSafety {
                item_id: item.id.clone(),
                yes: true,
            })
            .await;
    }
    device.act(Action::SubmitSafetyCheck).await;
    let screens = device.screens();
    assert!(screens.safety.outcome.unwrap().concern);
    assert!(matches!(
        screens.today.suggestion,
        Some(Suggestion::SeeHelp { .. })
    ));
    // Only exercises for the person alone are suggested after a concern.
    assert!(!screens.exercises.recommended.is_empty());
    assert!(
        screens
            .exercises
            .recommended
            .iter()
            .all(|r| r.exercise.personal)
    );
}

#[tokio::test]
async fn an_assessment_is_taken_step_by_step_and_scored() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device
        .act(Action::BeginAssessment {
            kind: AssessmentKind::ProfessionalHelp,
        })
        .await;
    let forms = device.screens().us.assessments.forms;
    for item in &forms.professional_help.items {
        device
            .act(Action::AnswerAssessment {
                answer: AssessmentItemAnswer::Signal {
                    item_id: item.id.clone(),
                    present: false,
                },
            })
            .await;
    }
    let draft = device.screens().us.assessments.draft.unwrap();
    assert_eq!(draft.answered, draft.total);
    device.act(Action::SubmitAssessment).await;
    let assessments = device.screens().us.assessments;
    assert!(assessments.draft.is_none());
    assert!(assessments.just_taken.is_some());
    let summary = assessments
        .summaries
        .iter()
        .find(|s| s.kind == AssessmentKind::ProfessionalHelp)
        .unwrap();
    assert!(summary.mine.is_some() && !summary.shared);
}

#[tokio::test]
async fn export_hands_a_named_file_to_the_platform() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device.shell.take_effects();
    device
        .act(Action::Export {
            format: ExportFormat::Markdown,
        })
        .await;
    let effects = device.shell.take_effects();
    let [Effect::SaveExport(file)] = effects.as_slice() else {
        panic!("one export expected, got {effects:?}");
    };
    assert!(file.file_name.starts_with("hearth-journal-"));
    assert!(file.file_name.ends_with(".md"));
    assert!(!device.screens().settings.exporting);
}

#[tokio::test]
async fn erasing_everything_deletes_the_profile_and_starts_over() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("profile");
    let device = Local::named(&data, "Sam").await;
    device
        .act(Action::EraseEverything { leave_first: true })
        .await;
    assert_eq!(device.app.view().phase, AppPhase::Welcome { problem: None });
    assert!(!data.exists());
    assert!(device.shell.take_effects().contains(&Effect::Erased));
}

#[tokio::test]
async fn closing_twice_is_harmless_and_actions_after_close_do_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device.app.close().await;
    device.app.close().await;
    device.app.dispatch(Action::Compose);
    device.app.settle().await;
}

#[tokio::test]
async fn the_question_of_the_day_can_be_swapped() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    let before = device.screens().today.question.unwrap().text;
    device.act(Action::SwapQuestion).await;
    let after = device.screens().today.question.unwrap().text;
    assert_ne!(before, after);
}

#[tokio::test]
async fn after_a_cleared_concern_closeness_stays_paused_until_resumed() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    for item in device.screens().safety.check.items {
        device
            .act(Action::AnswerSafety {
                item_id: item.id,
                yes: true,
            })
            .await;
    }
    device.act(Action::SubmitSafetyCheck).await;
    device.act(Action::ClearSafetyCheck).await;
    let screens = device.screens();
    assert!(screens.safety.outcome.is_none());
    assert!(screens.safety.closeness_paused, "clearing does not resume");
    device.act(Action::ResumeClosenessSuggestions).await;
    let screens = device.screens();
    assert!(!screens.safety.closeness_paused);
    assert!(matches!(
        screens.today.suggestion,
        Some(Suggestion::TryExercise { .. })
    ));
}

#[tokio::test]
async fn a_game_round_and_a_rated_check_in_show_on_us() {
    let dir = tempfile::tempdir().unwrap();
    let device = Local::named(dir.path(), "Sam").await;
    device.act(Action::StartGameRound { i_answer: true }).await;
    let game = device.screens().us.game;
    assert_eq!(game.len(), 1);
    device
        .act(Action::PlayGameRound {
            id: game[0].id.clone(),
            text: "Tea, always".into(),
        })
        .await;
    assert!(device.screens().us.problem.is_none());

    device.act(Action::BeginCheckIn).await;
    device.act(Action::FinishCheckIn { month: Some(4) }).await;
    let us = device.screens().us;
    assert!(us.check_in_session.is_none());
    assert!(us.check_in.unwrap().last_held.is_some());
}
