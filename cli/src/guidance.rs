//! The guidance commands: the question of the day and the exercise library.

use std::io::Write;

use hearth_core::Hearth;
use hearth_core::content::consent::SexualContentConsent;
use hearth_core::content::exercise::Exercise;
use hearth_core::content::taxonomy::Dimension;
use hearth_core::content::{embedded, question_for};
use hearth_core::journal::entry::{EntryLink, LinkKind};
use time::{Date, OffsetDateTime};

use crate::error::{CliError, Result};
use crate::render;

/// `hearth today`: the question of the day.
///
/// Both phones pick the same question from the couple's space id. Until
/// pairing exists, this profile's member id stands in for it, so the
/// question is this profile's own.
pub fn today(hearth: &Hearth, date: Option<Date>, out: &mut impl Write) -> Result<()> {
    let date = date.unwrap_or_else(|| OffsetDateTime::now_utc().date());
    let profile = hearth.profile()?;
    let question = question_for(&profile.me.id, date)?;
    writeln!(out, "Question of the day, {date}:")?;
    writeln!(out)?;
    writeln!(out, "  {}", question.text)?;
    writeln!(out)?;
    writeln!(
        out,
        "({}; {})",
        question.dimension.label(),
        match question.depth {
            hearth_core::content::question::Depth::Light => "light",
            hearth_core::content::question::Depth::Medium => "reflective",
            hearth_core::content::question::Depth::Deep => "deep",
        }
    )?;
    writeln!(
        out,
        "Talk it over, then keep your answer in the journal: hearth write --question {} \"...\"",
        question.id
    )?;
    Ok(())
}

/// `hearth exercises`: the library, or one exercise in full.
///
/// Nothing here knows both partners' opt-in to sexual content yet, so
/// those exercises stay hidden, as the rule requires when a partner's
/// choice is unknown.
pub fn exercises(
    id: Option<&str>,
    dimension: Option<Dimension>,
    out: &mut impl Write,
) -> Result<()> {
    if let Some(id) = id {
        render::exercise(out, visible_exercise(id)?)?;
        return Ok(());
    }
    let consent = SexualContentConsent::default();
    let catalog = embedded::catalog()?;
    let mut shown = 0;
    for exercise in catalog
        .visible(consent)
        .filter(|e| dimension.is_none_or(|d| e.serves(d)))
    {
        render::exercise_line(out, exercise)?;
        shown += 1;
    }
    if shown == 0 {
        writeln!(
            out,
            "No exercises to show: sexual-closeness exercises appear only after both partners have opted in."
        )?;
    } else {
        writeln!(out)?;
        writeln!(
            out,
            "{shown} exercise(s). See one in full with: hearth exercises ID"
        )?;
    }
    Ok(())
}

/// A journal link to daily question `id`, which must exist.
pub fn question_link(id: String) -> Result<EntryLink> {
    if embedded::question_bank()?.get(&id).is_none() {
        return Err(CliError::UnknownQuestion(id));
    }
    Ok(EntryLink {
        kind: LinkKind::Question,
        id,
    })
}

/// A journal link to exercise `id`, which must exist and be shown.
pub fn exercise_link(id: String) -> Result<EntryLink> {
    visible_exercise(&id)?;
    Ok(EntryLink {
        kind: LinkKind::Exercise,
        id,
    })
}

/// The exercise `id`, if it exists and may be shown.
fn visible_exercise(id: &str) -> Result<&'static Exercise> {
    let exercise = embedded::catalog()?
        .get(id)
        .ok_or_else(|| CliError::UnknownExercise(id.to_owned()))?;
    if !exercise.visible_with(SexualContentConsent::default()) {
        return Err(CliError::NotOptedIn(id.to_owned()));
    }
    Ok(exercise)
}

/// What a linked entry is about, in words: the question or exercise title.
pub fn link_label(link: &EntryLink) -> String {
    let found = match link.kind {
        LinkKind::Question => embedded::question_bank()
            .ok()
            .and_then(|bank| bank.get(&link.id))
            .map(|q| q.text.clone()),
        LinkKind::Exercise => embedded::catalog()
            .ok()
            .and_then(|catalog| catalog.get(&link.id))
            .map(|e| e.title.clone()),
        _ => None,
    };
    found.unwrap_or_else(|| format!("{} {}", link.kind, link.id))
}
