//! What a journal entry may be about: one rule in the core, met by every
//! shell through `write_entry`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use common::Phone;
use hearth_core::journal::entry::{EntryLink, LinkKind, NewEntry};
use hearth_core::{Error, ExerciseFilter};

fn about(phone: &Phone, kind: LinkKind, id: &str) -> Result<(), Error> {
    phone
        .hearth
        .write_entry(NewEntry {
            body: "We tried it tonight.".into(),
            link: Some(EntryLink {
                kind,
                id: id.into(),
            }),
            ..NewEntry::default()
        })
        .map(|_| ())
}

/// A sexual-content exercise of the library.
fn sensitive_exercise() -> String {
    hearth_core::content::embedded::catalog()
        .unwrap()
        .exercises()
        .iter()
        .find(|e| e.sensitive)
        .expect("the library has sexual-content exercises")
        .id
        .clone()
}

#[test]
fn an_entry_links_only_to_what_exists() {
    let phone = Phone::new("Robin");
    let question = phone.hearth.daily_question("2026-11-26").unwrap().question;
    about(&phone, LinkKind::Question, &question.id).unwrap();
    let exercise = &phone.hearth.exercises(&ExerciseFilter::default()).unwrap()[0];
    about(&phone, LinkKind::Exercise, &exercise.id).unwrap();
    about(&phone, LinkKind::Program, "intimacy-30").unwrap();
    about(&phone, LinkKind::CheckIn, "2026-11-01").unwrap();

    for (kind, id) in [
        (LinkKind::Question, "q99999"),
        (LinkKind::Exercise, "no-such-exercise"),
        (LinkKind::Program, "no-such-program"),
    ] {
        let refused = about(&phone, kind, id).unwrap_err();
        assert!(
            matches!(&refused, Error::NotFound { id: missing, .. } if missing == id),
            "{kind:?} {id}: {refused:?}"
        );
    }
    assert!(matches!(
        about(&phone, LinkKind::CheckIn, "last month"),
        Err(Error::InvalidDate(_))
    ));
    // Nothing refused was written.
    assert_eq!(phone.entries().len(), 4);
}

#[test]
fn sexual_content_links_follow_the_same_consent_as_the_library() {
    let phone = Phone::new("Robin");
    let id = sensitive_exercise();
    assert!(matches!(phone.hearth.exercise(&id), Err(Error::NotOptedIn)));
    assert!(matches!(
        about(&phone, LinkKind::Exercise, &id),
        Err(Error::NotOptedIn)
    ));
    assert!(matches!(
        about(&phone, LinkKind::Program, "sensual-30"),
        Err(Error::NotOptedIn)
    ));
    assert!(phone.entries().is_empty());
}
