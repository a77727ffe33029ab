//! The catalogue: the words behind guidance (exercises, daily questions,
//! assessments, programs, the check-in guide, date-jar starters, game
//! prompts, the safety check) and their loading. What the couple does with
//! them, each concept with its rules, shared document and projection, is
//! the guidance layer, [`crate::guidance`].
//!
//! The words live as TOML under core/content/ (embedded at build time,
//! parsed and checked once on first use, see [`embedded`]); this module
//! holds their types, loading and checks. Nothing here
//! touches storage or the network.
//!
//! - [`taxonomy`]: dimensions, barriers, techniques, love languages.
//! - [`exercise`]: the catalog.
//! - [`question`]: the daily question bank and the choice of the day.
//! - [`assessment`]: the assessments' items (scoring is in
//!   [`crate::guidance::assessment`]).
//! - [`program`]: the 30-day challenges and which are offered.
//! - [`checkin`]: the monthly check-in's guide.
//! - [`date_jar`]: the starter ideas for the date jar.
//! - [`game`]: the know-each-other game's prompts.
//! - [`safety`]: the safety check's questions and help resources (its
//!   outcome is in [`crate::guidance::safety`]).
//! - [`stats`]: the size and coverage of the content, as counts.
//!
//! Tests, including checks that every content file is valid and meets its
//! coverage counts: `cargo test -p hearth-core content`. Counts:
//! `cargo run -p hearth-core --example content_stats` or `hearth content-stats`.

pub mod assessment;
mod check;
pub mod checkin;
pub mod date_jar;
pub mod embedded;
pub mod error;
pub mod exercise;
pub mod game;
pub mod program;
pub mod question;
pub mod safety;
pub mod seed;
pub mod stats;
pub mod taxonomy;

pub use error::ContentError;

use time::Date;

/// The question of the day from the embedded bank, the same on both
/// phones: `couple_seed` is the couple's space id.
///
/// ```
/// use hearth_core::content::question_for;
/// use time::{Date, Month};
///
/// let day = Date::from_calendar_date(2025, Month::March, 1).unwrap();
/// let q = question_for("the-couples-space-id", day).unwrap();
/// assert!(q.text.ends_with('?'));
/// ```
pub fn question_for(
    couple_seed: &str,
    date: Date,
) -> Result<&'static question::Question, ContentError> {
    Ok(embedded::question_bank()?.question_for(couple_seed, date))
}

#[cfg(test)]
mod tests;

/// What an entry's link points at, in words: the question's text or the
/// exercise's or program's title; `None` when it is not in the library.
pub fn link_title(link: &crate::journal::entry::EntryLink) -> Option<String> {
    use crate::journal::entry::LinkKind;
    match link.kind {
        LinkKind::Question => embedded::question_bank()
            .ok()?
            .get(&link.id)
            .map(|q| q.text.clone()),
        LinkKind::Exercise => embedded::catalog()
            .ok()?
            .get(&link.id)
            .map(|e| e.title.clone()),
        LinkKind::Program => embedded::programs()
            .ok()?
            .get(&link.id)
            .map(|p| p.title.clone()),
        LinkKind::CheckIn => None,
    }
}
