//! Export everything, restore from it: an export -> import round trip
//! brings back every kind of item (a full export of the restored profile
//! matches the original's), the restored profile keeps this person's
//! member id and authorship, and a bad file or a profile in use is refused
//! with a typed error and every file byte-identical (sha256 before and
//! after). Pairing the restored profile again is in the cross-crate tests
//! (`tests/tests/restore.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use common::{Phone, START_MS};
use hearth_core::clock::ManualClock;
use hearth_core::content::taxonomy::Dimension;
use hearth_core::guidance::assessment::{AssessmentAnswers, AssessmentKind};
use hearth_core::guidance::assessment::{DimensionRating, ItemAnswer};
use hearth_core::guidance::drill::TurnMove;
use hearth_core::guidance::safety::SafetyAnswer;
use hearth_core::journal::reaction::Reaction;
use hearth_core::{Error, ExportOptions, Hearth, ImportError, OpenOptions};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

const DAY: &str = "2026-11-26";

/// Every file under `dir`, by relative path, with its sha256.
fn hashes(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(at) = stack.pop() {
        for item in std::fs::read_dir(&at).unwrap() {
            let path = item.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let digest = Sha256::digest(std::fs::read(&path).unwrap());
                let hex = hex::encode(digest);
                out.insert(path.strip_prefix(dir).unwrap().to_owned(), hex);
            }
        }
    }
    out
}

fn swap(a: &Phone, b: &Phone) {
    a.send_all_to(b);
    b.send_all_to(a);
}

fn intimacy() -> AssessmentAnswers {
    AssessmentAnswers::Intimacy {
        ratings: Dimension::ALL
            .iter()
            .filter(|&&d| d != Dimension::Sexual)
            .map(|&dimension| DimensionRating {
                dimension,
                importance: 4,
                satisfaction: 3,
            })
            .collect(),
    }
}

/// Robin and Sam, with at least one item of every kind on Robin's phone:
/// entries (shared, private, Sam's) with reactions and comments, daily
/// answers, goals, a check-in, program progress, shared and private
/// assessment results, a date idea, appreciation notes, a game round, a
/// drill, the exercise log and a safety check.
fn a_full_couple() -> (Phone, Phone) {
    let a = Phone::new("Robin");
    let b = Phone::new("Sam");
    b.hearth.adopt_space_id("our-shared-space").unwrap();
    a.hearth.adopt_space_id("our-shared-space").unwrap();
    swap(&a, &b);

    let ours = a.write("We walked by the river until dark.");
    a.write_private("Only for me: I was nervous all day.");
    b.write("Sam's entry about the market.");
    swap(&a, &b);
    b.hearth.react(&ours.id, Some(Reaction::Heart)).unwrap();
    b.hearth
        .add_comment(&ours.id, "Best walk this year.")
        .unwrap();
    a.hearth.add_comment(&ours.id, "Again next week.").unwrap();

    a.hearth.answer_daily_question(DAY, "Your laugh.").unwrap();
    b.hearth
        .answer_daily_question(DAY, "Your patience.")
        .unwrap();
    a.hearth.add_goal("Cook together on Sundays").unwrap();
    b.hearth.add_goal("A weekend away in spring").unwrap();
    a.hearth.record_check_in_rated("2026-11-20", 4).unwrap();
    b.hearth.record_check_in_rated("2026-11-20", 5).unwrap();
    a.hearth.join_program("intimacy-30", DAY).unwrap();
    a.hearth
        .complete_program_day("intimacy-30", 1, DAY)
        .unwrap();
    a.hearth.take_assessment(&intimacy()).unwrap();
    a.hearth.share_assessment(AssessmentKind::Intimacy).unwrap();
    b.hearth.take_assessment(&intimacy()).unwrap();
    b.hearth.share_assessment(AssessmentKind::Intimacy).unwrap();
    let items = a.hearth.assessments().unwrap().communication.items;
    a.hearth
        .take_assessment(&AssessmentAnswers::Communication {
            answers: items
                .iter()
                .map(|i| ItemAnswer {
                    item_id: i.id.clone(),
                    value: 4,
                })
                .collect(),
        })
        .unwrap();
    let idea = a.hearth.add_date_idea("Picnic on the hill").unwrap();
    a.hearth.mark_date_done(&idea.id, DAY).unwrap();
    b.hearth.add_date_idea("Salsa class").unwrap();
    a.hearth.appreciate("Thank you for the soup.").unwrap();
    b.hearth.appreciate("Thank you for listening.").unwrap();
    let round = a.hearth.start_game_round(true).unwrap();
    swap(&a, &b);
    b.hearth.play_game_round(&round.id, "Pancakes").unwrap();
    a.hearth.play_game_round(&round.id, "Soup").unwrap();
    let drill = a.hearth.start_drill("listen-and-sum-up").unwrap();
    a.hearth
        .drill_move(&drill.id, TurnMove::DoneSpeaking)
        .unwrap();
    a.hearth
        .log_exercise("listen-and-sum-up", DAY, true)
        .unwrap();
    a.hearth
        .record_safety_check(&[SafetyAnswer {
            item_id: "safety-afraid".into(),
            yes: false,
        }])
        .unwrap();
    swap(&a, &b);
    (a, b)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Imports `export` into a new folder on a manual clock.
fn import(export: &str) -> (tempfile::TempDir, hearth_core::Result<Hearth>) {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("export.json");
    std::fs::write(&file, export).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = OpenOptions {
        clock: Some(Arc::new(ManualClock::new(START_MS + 86_400_000))),
        ..OpenOptions::default()
    };
    let result = Hearth::import(dir.path(), options, &file);
    (dir, result)
}

/// The heads of each saved document in an export's restore section.
fn document_heads(export: &Value) -> BTreeMap<String, (String, Vec<String>)> {
    export["restore"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(d["data"].as_str().unwrap())
                .unwrap();
            let mut doc = automerge::AutoCommit::load(&bytes).unwrap();
            let mut heads: Vec<String> = doc.get_heads().iter().map(|h| h.to_string()).collect();
            heads.sort();
            (
                d["id"].as_str().unwrap().to_owned(),
                (d["kind"].as_str().unwrap().to_owned(), heads),
            )
        })
        .collect()
}

/// `value` with the partner's name as a profile that never met them shows
/// it, and without what differs by design (the time of export, the list of
/// people, the documents' bytes).
fn comparable(mut value: Value, partner: &str) -> Value {
    let map = value.as_object_mut().unwrap();
    map.remove("exported_at");
    map.remove("people");
    map["restore"].as_object_mut().unwrap().remove("documents");
    rename(&mut value, partner);
    value
}

/// `value` with `partner`'s name as a profile that never met them shows it.
fn rename(value: &mut Value, partner: &str) {
    match value {
        Value::Object(map) => {
            if map.get("id").and_then(Value::as_str) == Some(partner) && map.contains_key("name") {
                map.insert("name".into(), "Your partner".into());
            }
            map.values_mut().for_each(|v| rename(v, partner));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename(v, partner)),
        _ => {}
    }
}

#[test]
fn a_version_1_export_restores_the_journal() {
    let (a, b) = a_full_couple();
    let sam = b.hearth.profile().unwrap().me.id;
    let current = json(&a.hearth.export_json().unwrap());
    // What version 1 wrote: the journal alone.
    let mut v1 = serde_json::Map::new();
    for key in ["format", "exported_at", "people", "entries"] {
        v1.insert(key.into(), current[key].clone());
    }
    v1.insert("version".into(), 1.into());
    let (_dir, restored) = import(&Value::Object(v1).to_string());
    let restored = restored.unwrap();
    assert_eq!(
        restored.profile().unwrap().me,
        a.hearth.profile().unwrap().me
    );
    let mut before = current["entries"].clone();
    let mut after = json(&restored.export_json().unwrap())["entries"].clone();
    rename(&mut before, &sam);
    rename(&mut after, &sam);
    assert_eq!(after, before);
    assert_eq!(after.as_array().unwrap().len(), 3);
    // Its shared entries wait to be sent once paired.
    assert_eq!(restored.sync_status().unwrap().pending, 3);
}

#[test]
fn an_export_holds_every_kind_of_item_and_marks_the_private_ones() {
    let (a, _b) = a_full_couple();
    let export = json(&a.hearth.export_json().unwrap());
    assert_eq!(export["format"], "hearth-journal");
    assert_eq!(export["version"], 2);
    for section in [
        "entries",
        "daily_answers",
        "goals",
        "check_ins",
        "check_in_ratings",
        "programs",
        "program_days",
        "shared_assessments",
        "my_assessments",
        "date_ideas",
        "appreciations",
        "exercise_log",
        "drills",
        "game_rounds",
        "game_entries",
    ] {
        let items = export[section].as_array().unwrap();
        assert!(!items.is_empty(), "{section} is empty");
    }
    assert_eq!(export["daily_answers"].as_array().unwrap().len(), 2);
    assert_eq!(export["goals"].as_array().unwrap().len(), 2);
    assert_eq!(export["game_entries"].as_array().unwrap().len(), 2);
    let private: Vec<&Value> = export["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["visibility"] == "private")
        .collect();
    assert_eq!(private.len(), 1);
    // The intimacy result is shared; the communication one stays private.
    let mine = export["my_assessments"].as_array().unwrap();
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().any(|r| r["private"] == true));
    assert!(mine.iter().any(|r| r["private"] == false));
    assert!(export["exercise_log"][0]["private"] == true);
    assert!(export["goals"][0]["private"] == false);
    // Safety data only when asked for.
    assert!(export.get("safety_check").is_none());
    let with_safety = json(
        &a.hearth
            .export_json_with(ExportOptions {
                include_safety: true,
            })
            .unwrap(),
    );
    assert_eq!(with_safety["safety_check"].as_array().unwrap().len(), 1);

    let md = a.hearth.export_markdown().unwrap();
    assert!(md.contains("1 of them are private"), "{md}");
    assert!(md.contains("*Robin · private*"), "{md}");
}

#[test]
fn what_the_app_hides_stays_out_of_the_export() {
    let a = Phone::new("Robin");
    let b = Phone::new("Sam");
    b.hearth.adopt_space_id("our-shared-space").unwrap();
    a.hearth.adopt_space_id("our-shared-space").unwrap();
    swap(&a, &b);
    b.hearth
        .answer_daily_question(DAY, "A secret until Robin answers.")
        .unwrap();
    let round = b.hearth.start_game_round(false).unwrap();
    swap(&a, &b);
    a.hearth.play_game_round(&round.id, "My guess").unwrap();
    let export = a.hearth.export_json().unwrap();
    let readable = {
        let mut v = json(&export);
        v.as_object_mut().unwrap().remove("restore");
        v.to_string()
    };
    assert!(!readable.contains("A secret until Robin answers."));
    assert!(readable.contains("My guess"));
}

#[test]
fn an_export_restores_every_item_into_a_new_profile() {
    let (a, b) = a_full_couple();
    let sam = b.hearth.profile().unwrap().me.id;
    let options = ExportOptions {
        include_safety: true,
    };
    let original = a.hearth.export_json_with(options).unwrap();
    let (_dir, restored) = import(&original);
    let restored = restored.unwrap();

    let profile = restored.profile().unwrap();
    assert_eq!(profile.me, a.hearth.profile().unwrap().me);
    assert!(profile.partner.is_none());
    assert!(!restored.sync_status().unwrap().paired);
    assert_ne!(profile.device_id, a.hearth.profile().unwrap().device_id);

    let again = restored.export_json_with(options).unwrap();
    let (original, again) = (json(&original), json(&again));
    assert_eq!(document_heads(&again), document_heads(&original));
    assert_eq!(comparable(again, &sam), comparable(original, &sam));

    // The app reads the restored items as before, authors included.
    let entries = restored
        .list_entries(&Default::default(), 50, None)
        .unwrap()
        .entries;
    assert_eq!(entries.len(), 3);
    let by_sam = entries.iter().find(|e| e.author.id == sam).unwrap();
    assert!(!by_sam.author.is_me);
    assert_eq!(restored.goals().unwrap().len(), 2);
    assert!(
        restored
            .partner_assessment(AssessmentKind::Intimacy)
            .unwrap()
            .is_some()
    );
    assert!(restored.safety_outcome().unwrap().is_some());
    // Everything shared waits to be sent once paired again.
    assert!(restored.sync_status().unwrap().pending > 10);
}

#[test]
fn an_import_into_a_profile_opened_but_never_used_takes_its_place() {
    let (a, _b) = a_full_couple();
    let export = a.hearth.export_json().unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("export.json");
    std::fs::write(&file, &export).unwrap();
    let dir = tempfile::tempdir().unwrap();
    drop(Hearth::open(dir.path(), OpenOptions::default()).unwrap());
    let restored = Hearth::import(dir.path(), OpenOptions::default(), &file).unwrap();
    assert_eq!(restored.profile().unwrap().me.name, "Robin");
    assert_eq!(
        restored
            .list_entries(&Default::default(), 50, None)
            .unwrap()
            .entries
            .len(),
        3
    );
}

/// A closed profile with entries, for refusals.
fn closed_profile() -> tempfile::TempDir {
    let phone = Phone::new("Robin");
    phone.write("An entry that must stay.");
    phone.write_private("A private one that must stay.");
    let Phone { hearth, dir, .. } = phone;
    drop(hearth);
    dir
}

/// Imports `bytes` into a closed profile with entries and into a folder
/// that does not exist yet; both are refused with `expected` and no file
/// changes or appears.
fn refused(bytes: &[u8], expected: &ImportError) {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("export.json");
    std::fs::write(&file, bytes).unwrap();

    let profile = closed_profile();
    let before = hashes(profile.path());
    let err = Hearth::import(profile.path(), OpenOptions::default(), &file).unwrap_err();
    match &err {
        Error::Import(found) => assert_eq!(found, expected),
        other => panic!("expected {expected:?}, got {other:?}"),
    }
    assert!(err.to_string().contains("nothing was imported"), "{err}");
    assert_eq!(
        hashes(profile.path()),
        before,
        "a refused import changed a file"
    );

    let fresh = work.path().join("new-profile");
    assert!(Hearth::import(&fresh, OpenOptions::default(), &file).is_err());
    assert!(!fresh.exists(), "a refused import created a profile");
}

#[test]
fn bad_files_are_refused_with_typed_errors_and_change_no_file() {
    let (a, _b) = a_full_couple();
    let good = a.hearth.export_json().unwrap();

    refused(
        a.hearth.export_markdown().unwrap().as_bytes(),
        &ImportError::NotAnExport,
    );
    refused(
        b"{\"format\": \"something-else\", \"version\": 2}",
        &ImportError::NotAnExport,
    );
    let cut = &good.as_bytes()[..good.len() / 2];
    let Error::Import(ImportError::Damaged(why)) = import(std::str::from_utf8(cut).unwrap_or(""))
        .1
        .unwrap_err()
    else {
        panic!("a cut file must be damaged");
    };
    assert!(why.contains("ends too early"), "{why}");
    refused(cut, &ImportError::Damaged(why));

    let mut newer = json(&good);
    newer["version"] = 3.into();
    refused(
        newer.to_string().as_bytes(),
        &ImportError::NewerVersion {
            found: 3,
            supported: 2,
        },
    );
    let mut unknown = json(&good);
    unknown["version"] = 0.into();
    refused(
        unknown.to_string().as_bytes(),
        &ImportError::Damaged("its version is not one Hearth wrote".into()),
    );

    // A document whose bytes were changed.
    let mut tampered = json(&good);
    let data = tampered["restore"]["documents"][0]["data"]
        .as_str()
        .unwrap();
    let mut bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    tampered["restore"]["documents"][0]["data"] = base64::engine::general_purpose::STANDARD
        .encode(&bytes)
        .into();
    let err = import(&tampered.to_string()).1.unwrap_err();
    let Error::Import(expected @ ImportError::Damaged(_)) = err else {
        panic!("a changed document must be damaged: {err:?}");
    };
    refused(tampered.to_string().as_bytes(), &expected);

    // A part missing.
    let mut partial = json(&good);
    partial.as_object_mut().unwrap().remove("restore");
    let Error::Import(expected @ ImportError::Damaged(_)) =
        import(&partial.to_string()).1.unwrap_err()
    else {
        panic!("a file without its restore section must be damaged");
    };
    refused(partial.to_string().as_bytes(), &expected);
}

#[test]
fn a_missing_file_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Hearth::import(
        dir.path().join("profile"),
        OpenOptions::default(),
        dir.path().join("no-such-export.json"),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::Import(ImportError::Unreadable(_))),
        "{err:?}"
    );
    assert!(!dir.path().join("profile").exists());
}

#[test]
fn a_profile_in_use_is_refused_and_keeps_everything() {
    let (a, _b) = a_full_couple();
    let export = a.hearth.export_json().unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("export.json");
    std::fs::write(&file, &export).unwrap();

    let profile = closed_profile();
    let before = hashes(profile.path());
    let err = Hearth::import(profile.path(), OpenOptions::default(), &file).unwrap_err();
    assert!(
        matches!(err, Error::Import(ImportError::ProfileInUse)),
        "{err:?}"
    );
    assert_eq!(err.kind(), hearth_core::error::ErrorKind::NotAllowed);
    assert_eq!(
        hashes(profile.path()),
        before,
        "a refused import changed a file"
    );
}

#[test]
fn a_damaged_profile_is_not_imported_over_until_the_person_starts_over() {
    let (a, _b) = a_full_couple();
    let export = a.hearth.export_json().unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("export.json");
    std::fs::write(&file, &export).unwrap();

    let profile = closed_profile();
    std::fs::File::options()
        .write(true)
        .open(profile.path().join("hearth.db"))
        .unwrap()
        .set_len(0)
        .unwrap();
    let before = hashes(profile.path());
    let err = Hearth::import(profile.path(), OpenOptions::default(), &file).unwrap_err();
    assert!(matches!(err, Error::DamagedProfile(_)), "{err:?}");
    assert_eq!(
        hashes(profile.path()),
        before,
        "a refused import changed a file"
    );

    // Starting over sets the damaged files aside; the new profile takes
    // the export.
    drop(Hearth::start_over(profile.path(), OpenOptions::default()).unwrap());
    let restored = Hearth::import(profile.path(), OpenOptions::default(), &file).unwrap();
    assert_eq!(restored.profile().unwrap().me.name, "Robin");
    assert_eq!(restored.goals().unwrap().len(), 2);
}

#[test]
fn a_document_still_waiting_for_earlier_changes_is_exported_and_restored() {
    use automerge::transaction::Transactable as _;
    let a = Phone::new("Robin");
    let b = Phone::new("Sam");
    let entry = a.write("We walked by the river.");
    let whole = a.hearth.document_bytes(&entry.id).unwrap().unwrap();
    let mut doc = automerge::AutoCommit::load(&whole).unwrap();
    let heads = doc.get_heads();
    doc.put(automerge::ROOT, "title", "Evening").unwrap();
    doc.commit();
    let later = doc.save_after(&heads);
    assert_eq!(
        b.hearth.apply_remote(&entry.id, &later).unwrap(),
        hearth_core::merge::MergeOutcome::Waiting
    );
    b.write("Sam's own entry.");

    let export = b.hearth.export_json().unwrap();
    let (_dir, restored) = import(&export);
    let restored = restored.unwrap();
    assert_eq!(
        restored
            .list_entries(&Default::default(), 50, None)
            .unwrap()
            .entries
            .len(),
        1
    );
    // The rest arrives and the entry shows, as it would have on Sam's phone.
    assert_eq!(
        restored.apply_remote(&entry.id, &whole).unwrap(),
        hearth_core::merge::MergeOutcome::Applied
    );
    assert_eq!(
        restored.entry(&entry.id).unwrap().title.as_deref(),
        Some("Evening")
    );
}
