//! The exercise library: browse it, read one exercise, and note that you
//! did or skipped one; and the size of the built-in content.

use std::io::Write;
use std::path::PathBuf;

use hearth_core::content::embedded;
use hearth_core::content::exercise::Exercise;
use hearth_core::content::stats;
use hearth_core::content::taxonomy::Dimension;
use hearth_core::guidance::consent::SexualContentConsent;
use hearth_core::{ExerciseFilter, Hearth};
use time::Date;

use crate::error::{CliError, Result};
use crate::profile;
use crate::render;

/// Noting an exercise done or skipped.
#[derive(Debug, Clone, Copy)]
pub struct Log {
    /// Done (else skipped).
    pub done: bool,
    /// The day.
    pub day: Date,
}

/// `hearth exercises ...`: with a profile in the data folder the library
/// follows the couple's choices about sexual content; noting an exercise
/// needs one.
pub fn run(
    data_dir: Option<PathBuf>,
    id: Option<&str>,
    filter: &ExerciseFilter,
    log: Option<Log>,
    out: &mut impl Write,
) -> Result<()> {
    let dir = profile::data_dir(data_dir);
    let hearth = match &dir {
        Ok(dir) if profile::exists(dir) => Some(profile::open(dir)?),
        _ => None,
    };
    match (hearth, id, log) {
        (Some(hearth), Some(id), Some(log)) => self::log(&hearth, id, log.day, log.done, out),
        (None, Some(_), Some(_)) => Err(CliError::NoProfile(dir?)),
        (hearth, id, _) => exercises(hearth.as_ref(), id, filter, out),
    }
}

/// `hearth exercises`: the library, or one exercise in full, as this
/// couple may see it. Without a profile nothing knows both partners'
/// choice about sexual content, so those exercises stay hidden.
pub fn exercises(
    hearth: Option<&Hearth>,
    id: Option<&str>,
    filter: &ExerciseFilter,
    out: &mut impl Write,
) -> Result<()> {
    if let Some(id) = id {
        let exercise = match hearth {
            Some(hearth) => hearth.exercise(id)?,
            None => library(&ExerciseFilter::default())?
                .into_iter()
                .find(|e| e.id == id)
                .ok_or_else(|| hearth_core::Error::NotFound {
                    what: "exercise",
                    id: id.to_owned(),
                })?,
        };
        render::exercise(out, &exercise)?;
        return Ok(());
    }
    let shown = match hearth {
        Some(hearth) => hearth.exercises(filter)?,
        None => library(filter)?,
    };
    for exercise in &shown {
        render::exercise_line(out, exercise)?;
    }
    if shown.is_empty() && filter.dimension == Some(Dimension::Sexual) {
        writeln!(
            out,
            "No exercises to show. Sexual-closeness exercises appear only once you have both opted in (hearth opt-in yes)."
        )?;
    } else if shown.is_empty() {
        writeln!(
            out,
            "No exercises match all of that; try with fewer filters."
        )?;
    } else {
        writeln!(out)?;
        writeln!(
            out,
            "{} exercise(s). See one in full with: hearth exercises ID",
            shown.len()
        )?;
    }
    Ok(())
}

/// The library as anyone may see it, before any choice about sexual
/// content is known.
fn library(filter: &ExerciseFilter) -> Result<Vec<Exercise>> {
    Ok(embedded::catalog()?
        .visible(SexualContentConsent::default())
        .filter(|e| filter.dimension.is_none_or(|d| e.serves(d)))
        .filter(|e| filter.barrier.is_none_or(|b| e.addresses(b)))
        .filter(|e| filter.kind.is_none_or(|k| e.kind == k))
        .cloned()
        .collect())
}

/// `hearth content-stats`: the size and coverage of the built-in content.
pub fn content_stats(out: &mut impl Write) -> Result<()> {
    for c in stats::counts()? {
        writeln!(out, "{}: {}", c.label, c.count)?;
    }
    Ok(())
}

/// `hearth exercises ID --done` or `--skipped`: notes it in this profile
/// (never synced), so suggestions follow what you do.
pub fn log(hearth: &Hearth, id: &str, day: Date, done: bool, out: &mut impl Write) -> Result<()> {
    hearth.log_exercise(id, &day.to_string(), done)?;
    let title = hearth.exercise(id)?.title;
    if done {
        writeln!(out, "Noted: you did \"{title}\" on {day}.")?;
    } else {
        writeln!(
            out,
            "Noted: you skipped \"{title}\" on {day}; suggestions take it into account."
        )?;
    }
    Ok(())
}
