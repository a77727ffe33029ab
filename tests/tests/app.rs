//! The app's rules between two paired devices, each an `App` over its own
//! profile, through a real relay: pairing with the code, live sync while in
//! front (and not in the background), the daily answer's reveal, a drill
//! across both, and the content-free notification after a background sync.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use hearth_core::app::testing::{Device, Effect, RecordingShell};
use hearth_core::app::{Action, AppConfig, BackgroundSyncOutcome, PairingStep, PartnerAnswerView};
use hearth_core::guidance::drill::TurnMove;
use hearth_tests::Relay;
use tempfile::TempDir;

/// A person's device, with the folder its profile lives in.
struct Person {
    device: Device,
    dir: TempDir,
}

impl std::ops::Deref for Person {
    type Target = Device;
    fn deref(&self) -> &Device {
        &self.device
    }
}

impl Person {
    /// A profile named `name`, in front, syncing through `relay`.
    async fn new(name: &str, relay: &Relay) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = AppConfig {
            default_relay: Some(relay.url()),
            ..AppConfig::new(dir.path())
        };
        let device = Device::start(config, Arc::new(RecordingShell::default())).await;
        device.act(Action::Begin { name: name.into() }).await;
        device.act(Action::Foreground).await;
        Self { device, dir }
    }
}

/// Pairs two devices through the app's pairing flow, as two people would.
async fn couple(relay: &Relay) -> (Person, Person) {
    let sam = Person::new("Sam", relay).await;
    let alex = Person::new("Alex", relay).await;
    sam.act(Action::ShowCode).await;
    let PairingStep::ShowCode { code, .. } = sam.screens().pairing.unwrap().step else {
        panic!("Sam's device shows a code");
    };
    alex.act(Action::EnterCode { code }).await;
    sam.until("Sam sees the safety number", |s| {
        matches!(
            s.pairing.as_ref().map(|p| &p.step),
            Some(PairingStep::Compare { .. })
        )
    })
    .await;
    let number = |d: &Person| match d.screens().pairing.unwrap().step {
        PairingStep::Compare {
            safety_number,
            partner_name,
        } => (safety_number, partner_name),
        other => panic!("comparing numbers, not {other:?}"),
    };
    let (sam_number, sams_partner) = number(&sam);
    let (alex_number, alexs_partner) = number(&alex);
    assert_eq!(sam_number, alex_number, "both devices show the same number");
    assert_eq!(
        (sams_partner.as_str(), alexs_partner.as_str()),
        ("Alex", "Sam")
    );
    for device in [&sam, &alex] {
        device.act(Action::ConfirmMatch).await;
        device.act(Action::PairLater).await;
        assert!(device.screens().paired);
        assert!(
            device
                .shell
                .take_effects()
                .contains(&Effect::ScheduleBackgroundSync(true))
        );
    }
    (sam, alex)
}

/// Asks `device` for a code to link another device of its person, from
/// Settings; returns the code and the relay it shows.
async fn show_link_code(device: &Person) -> (String, String) {
    use hearth_core::app::LinkingStep;

    device.act(Action::LinkDevice).await;
    device
        .until("the device shows a link code", |s| {
            matches!(s.settings.devices.linking, LinkingStep::ShowCode { .. })
        })
        .await;
    match device.screens().settings.devices.linking {
        LinkingStep::ShowCode {
            code, relay_url, ..
        } => (code, relay_url),
        other => panic!("showing a code, not {other:?}"),
    }
}

async fn write(device: &Person, body: &str) {
    device.act(Action::Compose).await;
    device
        .act(Action::EditDraft {
            title: String::new(),
            body: body.into(),
            emotions: Vec::new(),
            private: false,
        })
        .await;
    device.act(Action::SaveEntry).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_front_the_partners_entry_arrives_live_and_the_answer_reveals_once_both_answered() {
    let relay = Relay::start().await;
    let (sam, alex) = couple(&relay).await;

    write(&sam, "We found the old photos.").await;
    alex.until("Sam's entry arrives without a manual sync", |s| {
        s.journal
            .entries
            .iter()
            .any(|e| e.body == "We found the old photos.")
    })
    .await;

    sam.act(Action::EditAnswer {
        text: "The walk by the river".into(),
    })
    .await;
    sam.act(Action::SubmitAnswer).await;
    alex.until("Alex hears that Sam answered", |s| {
        s.today.question.as_ref().map(|q| &q.partner) == Some(&PartnerAnswerView::AnswerToSee)
    })
    .await;
    alex.act(Action::EditAnswer {
        text: "Breakfast on the balcony".into(),
    })
    .await;
    alex.act(Action::SubmitAnswer).await;
    let shown = |text: &str| PartnerAnswerView::Shown {
        name: if text.starts_with("The walk") {
            "Sam".into()
        } else {
            "Alex".into()
        },
        text: text.into(),
    };
    assert_eq!(
        alex.screens().today.question.unwrap().partner,
        shown("The walk by the river")
    );
    sam.until("Sam sees Alex's answer", |s| {
        s.today.question.as_ref().map(|q| q.partner.clone())
            == Some(shown("Breakfast on the balcony"))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_background_nothing_arrives_until_a_background_sync_which_notifies() {
    let relay = Relay::start().await;
    let (sam, alex) = couple(&relay).await;
    alex.act(Action::SetPartnerNews { enabled: true }).await;
    alex.act(Action::NotificationPermission { granted: true })
        .await;
    alex.act(Action::Background).await;
    alex.shell.take_effects();

    write(&sam, "A note for later.").await;
    sam.act(Action::SyncNow).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    alex.app.settle().await;
    assert!(
        alex.screens().journal.entries.is_empty(),
        "live sync stops in the background"
    );

    assert_eq!(
        alex.app.background_sync().await,
        BackgroundSyncOutcome::Synced
    );
    assert_eq!(alex.shell.take_effects(), vec![Effect::NotifyPartnerNews]);
    alex.app.settle().await;
    assert_eq!(alex.screens().journal.entries.len(), 1);

    // Nothing new: no notification.
    assert_eq!(
        alex.app.background_sync().await,
        BackgroundSyncOutcome::Synced
    );
    assert!(alex.shell.take_effects().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drill_takes_turns_across_both_devices() {
    let relay = Relay::start().await;
    let (sam, alex) = couple(&relay).await;
    sam.act(Action::StartExercise {
        id: "listen-and-sum-up".into(),
    })
    .await;
    assert!(sam.screens().exercises.run.unwrap().can_take_turns);
    sam.act(Action::StartDrill {
        exercise_id: "listen-and-sum-up".into(),
    })
    .await;
    let drill = sam.screens().exercises.drill.expect("the drill is shown");
    assert!(drill.session.view.moves.contains(&TurnMove::DoneSpeaking));

    alex.until("Alex sees the drill Sam started", |s| {
        s.exercises
            .open_drills
            .iter()
            .any(|d| d.session.id == drill.session.id)
    })
    .await;
    alex.act(Action::OpenDrill {
        id: drill.session.id.clone(),
    })
    .await;
    // Not Alex's turn yet: the move is refused and said so.
    alex.act(Action::DrillMove {
        action: TurnMove::DoneSpeaking,
    })
    .await;
    assert!(alex.screens().exercises.problem.is_some());

    sam.act(Action::DrillMove {
        action: TurnMove::DoneSpeaking,
    })
    .await;
    alex.until("Alex may reflect", |s| {
        s.exercises
            .drill
            .as_ref()
            .is_some_and(|d| d.session.view.moves.contains(&TurnMove::DoneReflecting))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mismatched_safety_number_leaves_the_space_at_once() {
    let relay = Relay::start().await;
    let sam = Person::new("Sam", &relay).await;
    let alex = Person::new("Alex", &relay).await;
    sam.act(Action::ShowCode).await;
    let PairingStep::ShowCode { code, .. } = sam.screens().pairing.unwrap().step else {
        panic!("a code is shown");
    };
    alex.act(Action::EnterCode { code }).await;
    alex.act(Action::ReportMismatch).await;
    assert_eq!(alex.screens().pairing.unwrap().step, PairingStep::Mismatch);
    assert!(!alex.screens().paired);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_links_a_laptop_and_removes_it_when_the_numbers_differ() {
    use hearth_core::app::LinkingStep;

    let relay = Relay::start().await;
    let (sam, alex) = couple(&relay).await;
    assert_eq!(sam.screens().settings.devices.devices.len(), 2);

    let (code, relay_url) = show_link_code(&sam).await;
    assert_eq!(relay_url, relay.url());
    // The laptop types the code (as `hearth link` does).
    let laptop_dir = tempfile::tempdir().unwrap();
    let (laptop, on_laptop) = hearth_core::Hearth::link(
        laptop_dir.path(),
        hearth_core::OpenOptions::default(),
        &relay_url,
        &code,
        Some("laptop"),
    )
    .await
    .unwrap();
    sam.until("Sam's device shows the number to compare", |s| {
        matches!(s.settings.devices.linking, LinkingStep::Compare { .. })
    })
    .await;
    let LinkingStep::Compare {
        device_id,
        device_label,
        safety_number,
    } = sam.screens().settings.devices.linking
    else {
        unreachable!()
    };
    assert_eq!(safety_number, on_laptop.safety_number);
    assert_eq!(device_label.as_deref(), Some("laptop"));
    assert_eq!(device_id, laptop.profile().unwrap().device_id);
    let listed = sam.screens().settings.devices.devices;
    assert!(
        listed
            .iter()
            .any(|d| d.device_id == device_id && d.mine && d.label.as_deref() == Some("laptop"))
    );

    // Sam sees a different number on the laptop: it is removed at once.
    sam.act(Action::ReportLinkMismatch).await;
    sam.until("the laptop is removed", |s| {
        s.settings.devices.linking == LinkingStep::Removed && !s.settings.devices.removing
    })
    .await;
    assert!(
        sam.screens()
            .settings
            .devices
            .devices
            .iter()
            .all(|d| d.device_id != device_id)
    );
    assert!(matches!(
        laptop.sync_now().await.unwrap_err(),
        hearth_core::Error::DeviceRemoved
    ));
    sam.act(Action::CancelLinking).await;
    assert_eq!(sam.screens().settings.devices.linking, LinkingStep::Idle);
    drop(alex);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_device_is_set_up_from_the_welcome_screen_with_a_code() {
    use hearth_core::app::{AppPhase, LinkingStep};

    let relay = Relay::start().await;
    let (sam, alex) = couple(&relay).await;
    write(&sam, "Sam wrote this on the phone.").await;
    sam.act(Action::SyncNow).await;

    let (code, relay_url) = show_link_code(&sam).await;

    // The laptop has no profile: its welcome screen takes the code.
    let dir = tempfile::tempdir().unwrap();
    let laptop = Device::start(
        AppConfig::new(dir.path()),
        Arc::new(RecordingShell::default()),
    )
    .await;
    assert_eq!(laptop.app.view().phase, AppPhase::Welcome { problem: None });
    laptop
        .act(Action::LinkThisDevice {
            code: format!(" {code} "),
            relay_url,
            label: Some("laptop".into()),
        })
        .await;
    let view = laptop.app.view();
    assert_eq!(view.phase, AppPhase::Ready, "{view:?}");
    assert!(!view.joining);
    let on_laptop = laptop.screens();
    assert_eq!(on_laptop.profile.me.name, "Sam");
    assert!(on_laptop.paired);
    sam.until("Sam's phone shows the number", |s| {
        matches!(s.settings.devices.linking, LinkingStep::Compare { .. })
    })
    .await;
    let number = |linking: LinkingStep| match linking {
        LinkingStep::Compare { safety_number, .. } => safety_number,
        other => panic!("comparing, not {other:?}"),
    };
    assert_eq!(
        number(sam.screens().settings.devices.linking),
        number(on_laptop.settings.devices.linking),
        "both devices show the same number"
    );
    for device in [&sam.device, &laptop] {
        device.act(Action::ConfirmLinkMatch).await;
        assert_eq!(
            device.screens().settings.devices.linking,
            LinkingStep::Linked
        );
    }
    laptop.act(Action::SyncNow).await;
    laptop
        .until("the shared journal arrives on the laptop", |s| {
            s.journal
                .entries
                .iter()
                .any(|e| e.body == "Sam wrote this on the phone.")
        })
        .await;

    // A second try on a device that is now set up is refused in words,
    // and the open profile stays.
    laptop
        .act(Action::LinkThisDevice {
            code: "1-river-lantern-moss".into(),
            relay_url: relay.url(),
            label: None,
        })
        .await;
    assert_eq!(laptop.app.view().phase, AppPhase::Ready);
    assert!(laptop.screens().settings.problem.is_some());
    drop(alex);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_leaving_settings_starts_a_new_space_and_keeps_the_old_profile() {
    let relay = Relay::start().await;
    let (sam, alex) = couple(&relay).await;
    write(&sam, "From the first space.").await;
    // While the space is open, nothing is moved.
    sam.act(Action::StartNewSpace).await;
    assert!(sam.screens().settings.problem.is_some());
    assert!(sam.screens().paired);

    sam.act(Action::LeaveSpace).await;
    assert!(sam.screens().closed);
    sam.act(Action::StartNewSpace).await;
    let screens = sam.screens();
    assert!(!screens.paired && !screens.closed);
    assert_eq!(screens.profile.me.name, "Sam");
    assert!(screens.journal.entries.is_empty());
    assert!(screens.pairing.is_some(), "pairing is offered at once");
    let kept = std::fs::read_dir(sam.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("old-space-")
        })
        .expect("the old profile is kept");
    let old = hearth_core::Hearth::open(&kept, hearth_core::OpenOptions::default()).unwrap();
    let entries = old
        .list_entries(&Default::default(), 10, None)
        .unwrap()
        .entries;
    assert_eq!(entries[0].body, "From the first space.");
    drop(alex);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_lets_a_partner_who_lost_every_device_back_in() {
    use hearth_core::app::{AppPhase, LinkingStep};

    let relay = Relay::start().await;
    let (sam, alex) = couple(&relay).await;
    write(&alex, "Alex wrote this before losing the phone.").await;
    alex.act(Action::SyncNow).await;
    sam.act(Action::SyncNow).await;
    let lost = alex.screens().settings.devices.devices[0].device_id.clone();

    sam.act(Action::LetPartnerBackIn).await;
    sam.until("Sam's phone shows a code", |s| {
        matches!(s.settings.devices.linking, LinkingStep::ShowCode { .. })
    })
    .await;
    let on_sam = sam.screens().settings.devices;
    assert!(on_sam.for_partner, "the flow says whom it is for");
    let LinkingStep::ShowCode {
        code, relay_url, ..
    } = on_sam.linking
    else {
        unreachable!()
    };

    // Alex's new phone has no profile: its welcome screen takes the code.
    let dir = tempfile::tempdir().unwrap();
    let new_phone = Device::start(
        AppConfig::new(dir.path()),
        Arc::new(RecordingShell::default()),
    )
    .await;
    new_phone
        .act(Action::RejoinThisDevice {
            code,
            relay_url,
            label: Some("new phone".into()),
        })
        .await;
    let view = new_phone.app.view();
    assert_eq!(view.phase, AppPhase::Ready, "{view:?}");
    let here = new_phone.screens();
    assert_eq!(here.profile.me.name, "Alex");
    sam.until("Sam's phone shows the number", |s| {
        matches!(s.settings.devices.linking, LinkingStep::Compare { .. })
    })
    .await;
    let number = |linking: LinkingStep| match linking {
        LinkingStep::Compare { safety_number, .. } => safety_number,
        other => panic!("comparing, not {other:?}"),
    };
    assert_eq!(
        number(sam.screens().settings.devices.linking),
        number(here.settings.devices.linking),
        "both devices show the same number"
    );
    sam.act(Action::ConfirmLinkMatch).await;
    assert_eq!(sam.screens().settings.devices.linking, LinkingStep::Linked);
    new_phone.act(Action::SyncNow).await;
    new_phone
        .until("Alex's journal is back", |s| {
            s.journal
                .entries
                .iter()
                .any(|e| e.body == "Alex wrote this before losing the phone.")
        })
        .await;
    // Sam's list holds the new phone and no longer the lost one.
    sam.act(Action::SyncNow).await;
    let listed = sam.screens().settings.devices.devices;
    assert!(listed.iter().all(|d| d.device_id != lost));
    assert!(
        listed
            .iter()
            .any(|d| d.member_name == "Alex" && d.label.as_deref() == Some("new phone"))
    );
    drop(alex);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_welcome_screen_restores_an_export_and_refuses_what_is_not_one() {
    use hearth_core::app::AppPhase;

    // Sam's journal, exported from the old phone.
    let old = tempfile::tempdir().unwrap();
    let sam = hearth_core::Hearth::open(
        old.path(),
        hearth_core::OpenOptions {
            display_name: Some("Sam".into()),
            ..hearth_core::OpenOptions::default()
        },
    )
    .unwrap();
    sam.write_entry(hearth_core::journal::entry::NewEntry {
        body: "Kept through an export.".into(),
        ..hearth_core::journal::entry::NewEntry::default()
    })
    .unwrap();
    let export = sam.export_json().unwrap();

    let dir = tempfile::tempdir().unwrap();
    let shell = Arc::new(RecordingShell::default());
    let phone = Device::start(AppConfig::new(dir.path()), shell.clone()).await;
    phone.act(Action::ChooseExportToRestore).await;
    assert!(
        shell
            .take_effects()
            .contains(&Effect::ChooseExportToRestore)
    );

    // A file that is not an export is refused in words, and nothing is set up.
    phone
        .act(Action::RestoreFromExport {
            bytes: b"# My journal (a Markdown export)".to_vec(),
        })
        .await;
    match phone.app.view().phase {
        AppPhase::Welcome { problem: Some(p) } => {
            assert!(
                p.reason.contains("not a Hearth JSON export"),
                "{}",
                p.reason
            );
        }
        other => panic!("the welcome screen with a problem, not {other:?}"),
    }
    assert!(!dir.path().join("hearth.db").exists());

    phone
        .act(Action::RestoreFromExport {
            bytes: export.clone().into_bytes(),
        })
        .await;
    assert_eq!(phone.app.view().phase, AppPhase::Ready);
    let screens = phone.screens();
    assert_eq!(screens.profile.me.name, "Sam");
    assert!(!screens.paired, "a restored profile pairs again");
    assert!(
        screens
            .journal
            .entries
            .iter()
            .any(|e| e.body == "Kept through an export.")
    );
    // Once set up, another restore changes nothing.
    phone
        .act(Action::RestoreFromExport {
            bytes: export.into_bytes(),
        })
        .await;
    assert!(phone.screens().settings.problem.is_some());
    assert_eq!(phone.screens().journal.entries.len(), 1);
}
