//! The journal on one phone: writing, editing, listing, searching, reacting,
//! commenting, deleting, exporting, and refusing bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use common::{Phone, START_MS, contains};
use hearth_core::Error;
use hearth_core::journal::emotion::Emotion;
use hearth_core::journal::entry::{
    EntryLink, EntryUpdate, LinkKind, MAX_BODY_CHARS, NewEntry, Visibility,
};
use hearth_core::journal::query::{AuthorFilter, EntryFilter};
use hearth_core::journal::reaction::Reaction;

#[test]
fn an_entry_is_written_read_back_and_survives_reopening() {
    let phone = Phone::new("Robin");
    let written = phone
        .hearth
        .write_entry(NewEntry {
            title: Some("  Pancakes  ".into()),
            body: "We made pancakes and burned the first one.".into(),
            emotions: vec![Emotion::Playful, Emotion::Joyful, Emotion::Playful],
            link: Some(EntryLink {
                kind: LinkKind::Exercise,
                id: "listen-and-sum-up".into(),
            }),
            visibility: Visibility::Shared,
        })
        .unwrap();
    assert_eq!(written.title.as_deref(), Some("Pancakes"));
    assert_eq!(written.emotions, vec![Emotion::Joyful, Emotion::Playful]);
    assert_eq!(written.author.name, "Robin");
    assert!(written.author.is_me);
    assert_eq!(written.created_at_ms, START_MS);

    let path = phone.dir.path().to_owned();
    drop(phone.hearth);
    let reopened = hearth_core::Hearth::open(&path, Default::default()).unwrap();
    assert_eq!(reopened.entry(&written.id).unwrap(), written);
    assert_eq!(reopened.profile().unwrap().me.name, "Robin");
}

#[test]
fn the_entry_a_write_returns_is_the_one_read_back() {
    // The write builds what it returns from what it stored, without
    // reading the row again: both must agree, private or shared.
    let phone = Phone::new("Robin");
    for visibility in [Visibility::Private, Visibility::Shared] {
        let written = phone
            .hearth
            .write_entry(NewEntry {
                title: Some(" Sunday ".into()),
                body: "  A slow morning, then the market.  ".into(),
                emotions: vec![Emotion::Calm, Emotion::Grateful],
                link: None,
                visibility,
            })
            .unwrap();
        assert_eq!(written.visibility, visibility);
        assert_eq!(phone.hearth.entry(&written.id).unwrap(), written);
    }
}

#[test]
fn each_user_action_is_one_automerge_change() {
    let phone = Phone::new("Robin");
    let entry = phone.write("first words");
    let changes = |id: &str| {
        let bytes = phone.hearth.document_bytes(id).unwrap().unwrap();
        automerge::AutoCommit::load(&bytes)
            .unwrap()
            .get_changes(&[])
            .len()
    };
    assert_eq!(changes(&entry.id), 1);
    phone
        .hearth
        .react(&entry.id, Some(Reaction::Heart))
        .unwrap();
    assert_eq!(changes(&entry.id), 2);
    // Saving the same thing again is not a change.
    phone
        .hearth
        .react(&entry.id, Some(Reaction::Heart))
        .unwrap();
    assert_eq!(changes(&entry.id), 2);
    // An edit is a new document of one change: no history keeps the old
    // words.
    let edited = phone
        .hearth
        .edit_entry(
            &entry.id,
            EntryUpdate {
                title: Some("Now with a title".into()),
                body: "first words, and more".into(),
                emotions: vec![Emotion::Hopeful],
            },
        )
        .unwrap();
    assert_ne!(edited.id, entry.id);
    assert_eq!(changes(&edited.id), 1);
    assert_eq!(edited.reactions.len(), 1);
    assert!(phone.hearth.document_bytes(&entry.id).unwrap().is_none());
}

#[test]
fn pages_follow_each_other_without_gaps_or_repeats() {
    let phone = Phone::new("Robin");
    let written: Vec<String> = (0..23)
        .map(|i| phone.write(&format!("entry {i}")).id)
        .collect();
    let listed: Vec<String> = phone.entries().into_iter().map(|e| e.id).collect();
    let mut newest_first = written.clone();
    newest_first.reverse();
    assert_eq!(listed, newest_first);

    let page = phone
        .hearth
        .list_entries(&EntryFilter::default(), 23, None)
        .unwrap();
    assert_eq!(page.entries.len(), 23);
    assert_eq!(page.next, None);

    // Entries dated the same second all list, each once.
    let burst: Vec<String> = (0..9)
        .map(|i| {
            phone
                .hearth
                .write_entry(NewEntry {
                    body: format!("quick note {i}"),
                    ..Default::default()
                })
                .unwrap()
                .id
        })
        .collect();
    let listed: Vec<String> = phone.entries().into_iter().map(|e| e.id).collect();
    assert_eq!(listed.len(), 32);
    for id in burst.iter().chain(&written) {
        assert_eq!(listed.iter().filter(|l| *l == id).count(), 1);
    }
    assert!(matches!(
        phone
            .hearth
            .list_entries(&EntryFilter::default(), 5, Some("garbage")),
        Err(Error::InvalidCursor)
    ));
}

#[test]
fn filters_narrow_by_author_date_emotion_and_visibility() {
    let me = Phone::new("Robin");
    let partner = Phone::new("Sam");
    let sad = me
        .hearth
        .write_entry(NewEntry {
            body: "A heavy day at work.".into(),
            emotions: vec![Emotion::Sad, Emotion::Tired],
            ..Default::default()
        })
        .unwrap();
    me.advance(86_400_000);
    let private = me.write_private("Just for me.");
    let theirs = partner.write("From Sam's phone.");
    partner.send_all_to(&me);

    let ids = |filter: EntryFilter| -> Vec<String> {
        me.hearth
            .list_entries(&filter, 50, None)
            .unwrap()
            .entries
            .into_iter()
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(
        ids(EntryFilter {
            author: Some(AuthorFilter::Partner),
            ..Default::default()
        }),
        vec![theirs.id.clone()]
    );
    let mine = ids(EntryFilter {
        author: Some(AuthorFilter::Me),
        ..Default::default()
    });
    assert_eq!(mine.len(), 2);
    assert!(!mine.contains(&theirs.id));
    assert_eq!(
        ids(EntryFilter {
            emotion: Some(Emotion::Tired),
            ..Default::default()
        }),
        vec![sad.id.clone()]
    );
    assert_eq!(
        ids(EntryFilter {
            visibility: Some(Visibility::Private),
            ..Default::default()
        }),
        vec![private.id.clone()]
    );
    assert_eq!(
        ids(EntryFilter {
            author: Some(AuthorFilter::Me),
            since_ms: Some(START_MS + 3_600_000),
            ..Default::default()
        }),
        vec![private.id.clone()]
    );
    assert_eq!(
        ids(EntryFilter {
            until_ms: Some(START_MS + 1),
            ..Default::default()
        }),
        vec![sad.id.clone()]
    );
}

#[test]
fn search_finds_words_with_prefixes_and_marks_them() {
    let phone = Phone::new("Robin");
    let walk = phone.write("We walked along the river at dusk.");
    phone.write("Dinner with friends, lots of laughing.");
    let hits = phone
        .hearth
        .search_entries("river du", &EntryFilter::default(), 10)
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].entry.id, walk.id);
    assert!(hits[0].excerpt.contains("[river]"), "{}", hits[0].excerpt);
    assert!(
        phone
            .hearth
            .search_entries("\"unbalanced AND (", &EntryFilter::default(), 10)
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        phone
            .hearth
            .search_entries(" ?! ", &EntryFilter::default(), 10),
        Err(Error::EmptySearch)
    ));
    // Edited words are found, replaced words are not.
    phone
        .hearth
        .edit_entry(
            &walk.id,
            EntryUpdate {
                body: "We walked along the canal at dusk.".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let search = |q: &str| {
        phone
            .hearth
            .search_entries(q, &EntryFilter::default(), 10)
            .unwrap()
            .len()
    };
    assert_eq!(search("river"), 0);
    assert_eq!(search("canal"), 1);
}

#[test]
fn reactions_are_one_per_partner_and_comments_keep_their_order() {
    let me = Phone::new("Robin");
    let partner = Phone::new("Sam");
    let entry = me.write("We planted tomatoes.");
    me.send_all_to(&partner);

    me.hearth.react(&entry.id, Some(Reaction::Heart)).unwrap();
    me.hearth.react(&entry.id, Some(Reaction::Proud)).unwrap();
    partner
        .hearth
        .react(&entry.id, Some(Reaction::Hug))
        .unwrap();
    partner.advance(1_000);
    partner
        .hearth
        .add_comment(&entry.id, "They will be huge.")
        .unwrap();
    me.advance(2_000);
    me.hearth.add_comment(&entry.id, "Let's hope!").unwrap();
    me.send_all_to(&partner);
    partner.send_all_to(&me);

    let seen = me.hearth.entry(&entry.id).unwrap();
    assert_eq!(seen.reactions.len(), 2);
    let mine = seen.reactions.iter().find(|r| r.by.is_me).unwrap();
    assert_eq!(mine.reaction, Reaction::Proud);
    let theirs = seen.reactions.iter().find(|r| !r.by.is_me).unwrap();
    assert_eq!(theirs.reaction, Reaction::Hug);
    let bodies: Vec<&str> = seen.comments.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, vec!["They will be huge.", "Let's hope!"]);
    assert_eq!(me.shared_view(), partner.shared_view());

    // Clearing a reaction, and deleting only your own comment.
    me.hearth.react(&entry.id, None).unwrap();
    let theirs = seen.comments.iter().find(|c| !c.author.is_me).unwrap();
    assert!(matches!(
        me.hearth.delete_comment(&entry.id, &theirs.id),
        Err(Error::NotYourComment)
    ));
    let mine = seen.comments.iter().find(|c| c.author.is_me).unwrap();
    let after = me.hearth.delete_comment(&entry.id, &mine.id).unwrap();
    assert_eq!(after.comments.len(), 1);
    assert_eq!(after.reactions.len(), 1);
    assert!(matches!(
        me.hearth.delete_comment(&entry.id, "no-such-comment"),
        Err(Error::CommentNotFound(_))
    ));
}

#[test]
fn private_entries_never_become_documents() {
    let phone = Phone::new("Robin");
    let entry_docs = |p: &Phone| -> Vec<String> {
        p.hearth
            .pending_documents()
            .unwrap()
            .into_iter()
            .filter(|id| !id.starts_with("member:"))
            .collect()
    };
    let private = phone.write_private("Something I am not ready to share.");
    assert!(phone.hearth.document_bytes(&private.id).unwrap().is_none());
    assert!(entry_docs(&phone).is_empty());
    assert!(matches!(
        phone.hearth.react(&private.id, Some(Reaction::Heart)),
        Err(Error::NotShared)
    ));
    assert!(matches!(
        phone.hearth.add_comment(&private.id, "hm"),
        Err(Error::NotShared)
    ));
    let edited = phone
        .hearth
        .edit_entry(
            &private.id,
            EntryUpdate {
                body: "Still not ready.".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(edited.body, "Still not ready.");
    assert!(entry_docs(&phone).is_empty());
}

#[test]
fn sharing_and_unsharing_keep_the_words_and_the_date() {
    let phone = Phone::new("Robin");
    let private = phone.write_private("I was nervous about the trip.");
    phone.advance(3_600_000);
    let shared = phone
        .hearth
        .set_entry_visibility(&private.id, Visibility::Shared)
        .unwrap();
    assert_ne!(shared.id, private.id);
    assert_eq!(shared.body, private.body);
    assert_eq!(shared.created_at_ms, private.created_at_ms);
    assert_eq!(shared.visibility, Visibility::Shared);
    assert!(matches!(
        phone.hearth.entry(&private.id),
        Err(Error::EntryNotFound(_))
    ));
    assert!(
        phone
            .hearth
            .pending_documents()
            .unwrap()
            .contains(&shared.id)
    );

    let private_again = phone
        .hearth
        .set_entry_visibility(&shared.id, Visibility::Private)
        .unwrap();
    assert_eq!(private_again.visibility, Visibility::Private);
    assert!(phone.hearth.document_bytes(&shared.id).unwrap().is_none());
    assert_eq!(phone.entries().len(), 1);
}

#[test]
fn only_the_author_deletes_and_deleted_entries_say_so() {
    let me = Phone::new("Robin");
    let partner = Phone::new("Sam");
    let entry = me.write("A shared memory.");
    me.send_all_to(&partner);
    assert!(matches!(
        partner.hearth.delete_entry(&entry.id),
        Err(Error::NotYourEntry)
    ));
    me.hearth.delete_entry(&entry.id).unwrap();
    let update = EntryUpdate {
        body: "edited after deletion".into(),
        ..Default::default()
    };
    assert!(matches!(
        me.hearth.edit_entry(&entry.id, update.clone()),
        Err(Error::EntryDeleted(_))
    ));
    assert!(matches!(
        me.hearth.react(&entry.id, Some(Reaction::Hug)),
        Err(Error::EntryDeleted(_))
    ));
    assert!(matches!(
        me.hearth.edit_entry("never-existed", update),
        Err(Error::EntryNotFound(_))
    ));
}

#[test]
fn the_partners_private_entry_cannot_be_edited() {
    // A private entry by someone else can only exist if a database was moved
    // between people; the journal still refuses to change it.
    let phone = Phone::new("Robin");
    let path = phone.dir.path().join("hearth.db");
    {
        use std::io::Write;
        let mut body = flate2::write::DeflateEncoder::new(Vec::new(), Default::default());
        body.write_all(b"not yours").unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO entries (id, visibility, author, created_at, updated_at, body)
             VALUES ('theirs', 'private', 'someone-else', 1, 1, ?1)",
            [body.finish().unwrap()],
        )
        .unwrap();
    }
    let before = phone.database_bytes();
    let err = phone
        .hearth
        .edit_entry(
            "theirs",
            EntryUpdate {
                body: "changed".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::NotYourEntry), "{err:?}");
    assert!(matches!(
        phone.hearth.delete_entry("theirs"),
        Err(Error::NotYourEntry)
    ));
    assert_eq!(phone.database_bytes(), before);
}

#[test]
fn bad_input_is_refused_with_typed_errors_and_changes_nothing() {
    let phone = Phone::new("Robin");
    let entry = phone.write("Something to edit.");
    let before = phone.database_bytes();
    let attempts: Vec<(&str, Error)> = vec![
        (
            "empty body",
            phone
                .hearth
                .write_entry(NewEntry {
                    body: "   \n".into(),
                    ..Default::default()
                })
                .unwrap_err(),
        ),
        (
            "body over the limit",
            phone
                .hearth
                .write_entry(NewEntry {
                    body: "x".repeat(MAX_BODY_CHARS + 1),
                    ..Default::default()
                })
                .unwrap_err(),
        ),
        (
            "title over the limit",
            phone
                .hearth
                .write_entry(NewEntry {
                    title: Some("t".repeat(500)),
                    body: "fine".into(),
                    ..Default::default()
                })
                .unwrap_err(),
        ),
        ("unknown emotion", Emotion::parse("hangry").unwrap_err()),
        (
            "empty edit",
            phone
                .hearth
                .edit_entry(&entry.id, EntryUpdate::default())
                .unwrap_err(),
        ),
        (
            "empty comment",
            phone.hearth.add_comment(&entry.id, " ").unwrap_err(),
        ),
        (
            "bad name",
            phone.hearth.set_display_name("   ").unwrap_err(),
        ),
    ];
    for (what, err) in &attempts {
        let message = err.to_string();
        assert!(message.len() > 20, "{what}: message too thin: {message}");
    }
    assert!(matches!(attempts[0].1, Error::EmptyBody));
    assert!(matches!(
        attempts[1].1,
        Error::BodyTooLong {
            max: MAX_BODY_CHARS,
            ..
        }
    ));
    assert!(matches!(attempts[2].1, Error::TitleTooLong { .. }));
    assert!(matches!(attempts[3].1, Error::UnknownEmotion(_)));
    assert!(matches!(attempts[4].1, Error::EmptyBody));
    assert!(matches!(attempts[5].1, Error::EmptyComment));
    assert!(matches!(attempts[6].1, Error::InvalidName { .. }));
    assert_eq!(
        phone.database_bytes(),
        before,
        "a refused action wrote to disk"
    );
    assert_eq!(phone.entries().len(), 1);
}

/// Entries' words reach the search index at the next search, not at the
/// write; words replaced or deleted before then never reach it, and words
/// the index already holds leave it with the edit that replaces them.
#[test]
fn the_search_index_takes_new_words_at_the_next_search() {
    let phone = Phone::new("Robin");
    let db = rusqlite::Connection::open(phone.path().join("hearth.db")).unwrap();
    let indexed = |word: &str| -> i64 {
        db.query_row(
            "SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?1",
            [word],
            |r| r.get(0),
        )
        .unwrap()
    };
    let marked = || -> i64 {
        db.query_row(
            "SELECT count(*) FROM entries WHERE unindexed = 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let search = |q: &str| -> Vec<String> {
        phone
            .hearth
            .search_entries(q, &EntryFilter::default(), 10)
            .unwrap()
            .into_iter()
            .map(|hit| hit.entry.id)
            .collect()
    };
    let kept = phone.write("An orchard walk in the rain.");
    assert!(matches!(
        phone
            .hearth
            .search_entries(" ?! ", &EntryFilter::default(), 10),
        Err(Error::EmptySearch)
    ));
    assert_eq!(marked(), 1, "a refused search leaves the index alone");
    assert_eq!(search("orchard"), vec![kept.id.clone()]);
    assert_eq!((indexed("orchard"), marked()), (1, 0));

    let later = phone.write_private("A lighthouse on the cliff.");
    let gone = phone.write("Pancakes for breakfast.");
    assert_eq!(indexed("lighthouse"), 0, "a write leaves the index alone");
    assert_eq!(marked(), 2);
    phone.hearth.delete_entry(&gone.id).unwrap();
    let kept = phone
        .hearth
        .edit_entry(
            &kept.id,
            EntryUpdate {
                body: "A meadow walk in the rain.".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(indexed("orchard"), 0, "replaced words leave at the edit");

    assert_eq!(search("lighthouse"), vec![later.id]);
    assert_eq!(search("meadow"), vec![kept.id]);
    assert!(search("orchard").is_empty());
    assert!(search("pancakes").is_empty());
    assert_eq!(marked(), 0);
    assert_eq!((indexed("meadow"), indexed("pancakes")), (1, 0));
}

#[test]
fn a_newer_database_is_refused_untouched() {
    let phone = Phone::new("Robin");
    phone.write("hello");
    let path = phone.dir.path().to_owned();
    drop(phone.hearth);
    {
        let conn = rusqlite::Connection::open(path.join("hearth.db")).unwrap();
        conn.pragma_update(None, "user_version", 42).unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    let before = std::fs::read(path.join("hearth.db")).unwrap();
    let err = hearth_core::Hearth::open(&path, Default::default()).unwrap_err();
    assert!(
        matches!(err, Error::NewerSchema { found: 42, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("update Hearth"));
    assert_eq!(std::fs::read(path.join("hearth.db")).unwrap(), before);
}

#[test]
fn deleted_words_are_gone_from_the_database_files() {
    let phone = Phone::new("Robin");
    let secret = "zanzibarquokka";
    let title_secret = "marmaladeowl";
    let keep = phone.write("An ordinary day, nothing special.");
    let doomed = phone
        .hearth
        .write_entry(NewEntry {
            title: Some(format!("About {title_secret}")),
            body: format!("I told you about {secret} and {secret} again."),
            ..Default::default()
        })
        .unwrap();
    // A private entry, and a reshared one, must also leave nothing.
    let private = phone.write_private("privatepangolin is a word only I know.");
    phone
        .hearth
        .add_comment(&doomed.id, "a comment about commentcassowary")
        .unwrap();
    for n in 0..40 {
        phone.write(&format!("filler entry number {n} to move pages around"));
    }
    // A search first, so the search index holds the words too and the
    // deletion must take them out of it.
    assert_eq!(
        phone
            .hearth
            .search_entries(secret, &Default::default(), 10)
            .unwrap()
            .len(),
        1
    );
    assert!(contains(&phone.database_bytes(), secret));

    phone.hearth.delete_entry(&doomed.id).unwrap();
    phone.hearth.delete_entry(&private.id).unwrap();
    let files = phone.database_bytes();
    for word in [secret, title_secret, "privatepangolin", "commentcassowary"] {
        assert!(
            !contains(&files, word),
            "{word} is still in the database files"
        );
    }
    assert!(
        phone
            .hearth
            .search_entries(secret, &Default::default(), 10)
            .unwrap()
            .is_empty()
    );
    assert_eq!(phone.hearth.entry(&keep.id).unwrap().body, keep.body);
}

#[test]
fn export_holds_every_entry_in_both_formats() {
    let me = Phone::new("Robin");
    let partner = Phone::new("Sam");
    let shared = me
        .hearth
        .write_entry(NewEntry {
            title: Some("Sunday".into()),
            body: "Long breakfast.\nThen a nap.".into(),
            emotions: vec![Emotion::Calm],
            ..Default::default()
        })
        .unwrap();
    me.send_all_to(&partner);
    partner
        .hearth
        .add_comment(&shared.id, "Best nap ever.")
        .unwrap();
    partner.send_all_to(&me);
    me.write_private("A private thought.");

    let json: serde_json::Value = serde_json::from_str(&me.hearth.export_json().unwrap()).unwrap();
    assert_eq!(json["format"], "hearth-journal");
    assert_eq!(json["version"], 2);
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["title"], "Sunday");
    assert_eq!(entries[0]["created_at"], "2026-11-26T09:00:00Z");
    assert_eq!(entries[0]["emotions"][0], "calm");
    assert_eq!(entries[0]["comments"][0]["body"], "Best nap ever.");
    assert_eq!(entries[1]["visibility"], "private");

    let md = me.hearth.export_markdown().unwrap();
    assert!(md.starts_with("# Our journal"));
    assert!(md.contains("## 2026-11-26 · Sunday"));
    assert!(md.contains("*Robin · calm*"));
    assert!(md.contains("Long breakfast.\nThen a nap."));
    // The partner's name arrived with their member document.
    assert!(md.contains("> **Sam**, 2026-11-26: Best nap ever."));
    assert!(md.contains("*Robin · private*"));
}

#[test]
fn listeners_hear_local_and_partner_changes_until_they_unsubscribe() {
    use hearth_core::events::{Event, Listener};
    use std::sync::{Arc, Mutex};

    #[derive(Default)]
    struct Heard(Mutex<Vec<Event>>);
    impl Listener for Heard {
        fn on_event(&self, event: Event) {
            // This test is about entries; member documents also arrive.
            if !matches!(event, Event::DocumentChanged { .. }) {
                self.0.lock().unwrap().push(event);
            }
        }
    }

    let me = Phone::new("Robin");
    let partner = Phone::new("Sam");
    let heard = Arc::new(Heard::default());
    let subscription = partner.hearth.subscribe(heard.clone());

    let entry = me.write("Heard on the other phone.");
    me.send_all_to(&partner);
    partner
        .hearth
        .react(&entry.id, Some(Reaction::Hug))
        .unwrap();
    me.hearth.delete_entry(&entry.id).unwrap();
    partner.hearth.forget_remote(&entry.id).unwrap();
    let changed = Event::EntryChanged {
        id: entry.id.clone(),
    };
    assert_eq!(
        *heard.0.lock().unwrap(),
        vec![
            changed.clone(),
            changed,
            Event::EntryRemoved {
                id: entry.id.clone()
            }
        ]
    );

    drop(subscription);
    partner.write("nobody is listening");
    assert_eq!(heard.0.lock().unwrap().len(), 3);
}

#[cfg(unix)]
#[test]
fn every_file_of_a_profile_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let phone = Phone::new("Sam");
    phone.write_private("Only for me.");
    let mode = |name: &str| {
        std::fs::metadata(phone.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(
        std::fs::metadata(phone.path())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o700
    );
    for file in ["hearth.db", "hearth.db-wal", "hearth.db-shm"] {
        if phone.path().join(file).exists() {
            assert_eq!(mode(file), 0o600, "{file}");
        }
    }
    assert_eq!(mode("hearth.db"), 0o600);
}
