//! The date jar: the couple's own ideas, each its own item document (see
//! [`super::items`]) with its projection row, and the draw. The starter
//! ideas are the catalogue's, in [`crate::content::date_jar`].

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use time::Date;

use super::day;
use super::flat::{self, Fields};
use super::items::{self, Item};
use crate::content::seed::RandomSource;
use crate::error::Result;
use crate::journal::Actor;
use crate::journal::entry::{People, Person};
use crate::kind::DocumentKind;

/// The kind of date-jar documents.
pub(crate) const KIND: DocumentKind = DocumentKind::DateIdea;
/// The projection table.
pub(crate) const TABLE: &str = "date_ideas";

/// An idea in the date jar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DateIdea {
    /// The idea's id.
    pub id: String,
    /// Who put it in the jar.
    pub author: Person,
    /// The idea.
    pub text: String,
    /// The day it was done, if it was.
    pub done_on: Option<String>,
}

/// Puts an idea in the date jar.
pub(crate) fn add_date_idea(conn: &Connection, who: &Actor<'_>, text: &str) -> Result<String> {
    items::create(conn, who, KIND, text, Vec::new())
}

/// Marks a date idea done on `on`.
pub(crate) fn mark_date_done(conn: &Connection, who: &Actor<'_>, id: &str, on: Date) -> Result<()> {
    items::change(
        conn,
        who,
        KIND,
        id,
        &[("done_on".to_owned(), flat::s(day::format(on)))],
    )
}

/// Draws one idea at random from those still open in the jar, each equally
/// likely. `is_open` says which ideas are still in the jar (not done, not
/// removed); `random` is injected so tests are repeatable and the app can
/// use a real source. `None` when nothing is open.
///
/// ```
/// use hearth_core::guidance::date_jar::draw;
/// use hearth_core::content::seed::SplitMix64;
///
/// let jar = [("picnic", false), ("museum", true), ("stargazing", false)];
/// let (idea, done) = draw(&jar, |(_, done)| !done, &mut SplitMix64::new(7)).unwrap();
/// assert!(!done, "done ideas stay out of the draw: {idea}");
/// ```
pub fn draw<'a, T>(
    jar: &'a [T],
    is_open: impl Fn(&T) -> bool,
    random: &mut impl RandomSource,
) -> Option<&'a T> {
    let open: Vec<&T> = jar.iter().filter(|i| is_open(i)).collect();
    let n = u64::try_from(open.len()).ok()?;
    if n == 0 {
        return None;
    }
    let pick = usize::try_from(random.below(n)).ok()?;
    open.get(pick).copied()
}

/// Rebuilds a date idea's row from its document.
pub(crate) fn project(conn: &Connection, id: &str, item: &Item, fields: &Fields) -> Result<()> {
    let (author, text, created) = (&item.author, &item.text, item.created);
    conn.prepare_cached(
        "INSERT OR REPLACE INTO date_ideas (id, author, text, created_at, done_on)
             VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        id,
        author,
        text,
        created,
        flat::text(fields, "done_on")
    ])?;
    Ok(())
}

/// Every date idea, oldest first.
pub(crate) fn date_ideas(conn: &Connection, people: &People<'_>) -> Result<Vec<DateIdea>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, author, text, done_on FROM date_ideas ORDER BY created_at, id",
    )?;
    let rows: Vec<(String, String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, author, text, done_on)| {
            Ok(DateIdea {
                id,
                author: people.get(conn, &author)?,
                text,
                done_on,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::seed::SplitMix64;

    struct Slip {
        name: &'static str,
        done: bool,
    }

    fn jar() -> Vec<Slip> {
        vec![
            Slip {
                name: "picnic",
                done: false,
            },
            Slip {
                name: "museum",
                done: true,
            },
            Slip {
                name: "stargazing",
                done: false,
            },
            Slip {
                name: "cook",
                done: false,
            },
        ]
    }

    #[test]
    fn draws_only_open_ideas_and_reaches_all_of_them() {
        let jar = jar();
        let mut rng = SplitMix64::new(42);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let slip = draw(&jar, |s| !s.done, &mut rng).unwrap();
            assert!(!slip.done);
            seen.insert(slip.name);
        }
        assert_eq!(seen.len(), 3);
    }

    #[test]
    fn the_same_source_draws_the_same_idea() {
        let jar = jar();
        let a = draw(&jar, |s| !s.done, &mut SplitMix64::new(9))
            .unwrap()
            .name;
        let b = draw(&jar, |s| !s.done, &mut SplitMix64::new(9))
            .unwrap()
            .name;
        assert_eq!(a, b);
    }

    #[test]
    fn an_empty_jar_draws_nothing() {
        let jar = jar();
        assert!(draw(&jar, |_| false, &mut SplitMix64::new(1)).is_none());
        assert!(draw::<Slip>(&[], |_| true, &mut SplitMix64::new(1)).is_none());
    }

    #[test]
    fn draws_are_fair() {
        // Four open slips, 4000 draws: each should land near 1000.
        let slips: Vec<u32> = (0..4).collect();
        let mut counts = [0_u32; 4];
        let mut rng = SplitMix64::new(2024);
        for _ in 0..4000 {
            counts[*draw(&slips, |_| true, &mut rng).unwrap() as usize] += 1;
        }
        assert!(counts.iter().all(|c| (850..1150).contains(c)), "{counts:?}");
    }
}
