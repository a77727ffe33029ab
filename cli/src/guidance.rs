//! The guidance commands: today (the question of the day, programs and a
//! suggestion), answering the question, and the exercise library.

use std::io::Write;

use hearth_core::content::answer::PartnerAnswer;
use hearth_core::content::consent::SexualContentConsent;
use hearth_core::content::embedded;
use hearth_core::content::exercise::Exercise;
use hearth_core::content::program::Program;
use hearth_core::content::question::Depth;
use hearth_core::content::recommend::RecommendationTarget;
use hearth_core::content::stats;
use hearth_core::content::taxonomy::Dimension;
use hearth_core::guidance::daily::DailyQuestion;
use hearth_core::guidance::enrolment::Enrolment;
use hearth_core::{DocumentKind, ExerciseFilter, Hearth};
use time::Date;

use crate::error::Result;
use crate::render;

/// `hearth today`: the day's question and both answers, the programs'
/// next steps, a suggestion, and whether a check-in is due, all from the
/// core's `today`. Both phones of a couple get the same question.
pub fn today(hearth: &Hearth, day: Date, out: &mut impl Write) -> Result<()> {
    let today = hearth.today(&day.to_string())?;
    let partner = partner_name(hearth)?;
    question(&today.question, &partner, out)?;
    if !today.programs.is_empty() {
        writeln!(out)?;
        writeln!(out, "Your programs:")?;
        let programs = hearth.programs()?;
        for enrolment in &today.programs {
            let program = programs.iter().find(|p| p.id == enrolment.program_id);
            program_step(enrolment, program, &partner, out)?;
        }
    }
    if let Some(suggestion) = &today.suggestion {
        writeln!(out)?;
        match &suggestion.target {
            RecommendationTarget::Exercise { exercise_id } => {
                let title = hearth
                    .exercise(exercise_id)
                    .map_or_else(|_| exercise_id.clone(), |e| e.title);
                writeln!(
                    out,
                    "Suggestion: {title} (see it with: hearth exercises {exercise_id})"
                )?;
            }
            RecommendationTarget::HelpResources => {
                writeln!(out, "Help is available:")?;
                for resource in hearth.safety_check()?.resources {
                    writeln!(out, "  {}: {}", resource.title, resource.text)?;
                }
            }
            RecommendationTarget::ProfessionalHelp { kind_of_help } => {
                writeln!(out, "Consider talking to a professional: {kind_of_help}")?;
            }
        }
        writeln!(out, "  {}", suggestion.reason)?;
    }
    if today.check_in_due {
        writeln!(out)?;
        writeln!(
            out,
            "Your monthly check-in is due: set aside half an hour together this week."
        )?;
    }
    Ok(())
}

/// `hearth answer`: answers the day's question and shows both answers.
pub fn answer(hearth: &Hearth, day: Date, words: &[String], out: &mut impl Write) -> Result<()> {
    let answered = hearth.answer_daily_question(&day.to_string(), &words.join(" "))?;
    let partner = partner_name(hearth)?;
    writeln!(out, "Answer saved.")?;
    writeln!(out)?;
    question(&answered, &partner, out)
}

/// The partner's name, or a stand-in before pairing.
fn partner_name(hearth: &Hearth) -> Result<String> {
    Ok(hearth
        .profile()?
        .partner
        .map_or_else(|| "Your partner".to_owned(), |p| p.name))
}

/// The day's question and the answers, as far as this partner may see them.
fn question(daily: &DailyQuestion, partner: &str, out: &mut impl Write) -> Result<()> {
    let question = &daily.question;
    writeln!(out, "Question of the day, {}:", daily.day)?;
    writeln!(out)?;
    writeln!(out, "  {}", question.text)?;
    writeln!(out)?;
    writeln!(
        out,
        "({}; {})",
        question.dimension.label(),
        match question.depth {
            Depth::Light => "light",
            Depth::Medium => "reflective",
            Depth::Deep => "deep",
        }
    )?;
    match &daily.answers.mine {
        Some(mine) => writeln!(out, "You: {mine}")?,
        None => writeln!(out, "You have not answered yet: hearth answer \"...\"")?,
    }
    match &daily.answers.partner {
        PartnerAnswer::NotYet => writeln!(out, "{partner} has not answered yet.")?,
        PartnerAnswer::Hidden => writeln!(
            out,
            "{partner} has answered: you will see it once you have answered too."
        )?,
        PartnerAnswer::Shown { text } => writeln!(out, "{partner}: {text}")?,
    }
    writeln!(
        out,
        "To keep more in the journal: hearth write --question {} \"...\"",
        question.id
    )?;
    Ok(())
}

/// One program's next step for this partner, and where the other is.
fn program_step(
    enrolment: &Enrolment,
    program: Option<&Program>,
    partner: &str,
    out: &mut impl Write,
) -> Result<()> {
    let progress = &enrolment.progress;
    if progress.finished {
        writeln!(out, "  {}: you have both done every day.", enrolment.title)?;
        return Ok(());
    }
    match progress.next_day.and_then(|n| program?.day(n)) {
        Some(step) => {
            if progress.welcome_back {
                writeln!(
                    out,
                    "  {}: welcome back, pick up where you left off.",
                    enrolment.title
                )?;
            }
            writeln!(
                out,
                "  {}, day {} of {}: {} ({} min)",
                enrolment.title, step.day, progress.total_days, step.title, step.minutes
            )?;
            writeln!(out, "    {}", step.task)?;
        }
        None => writeln!(
            out,
            "  {}: you have done every day; {partner} is still going.",
            enrolment.title
        )?,
    }
    match (enrolment.joined_by_partner, progress.partner_next_day) {
        (true, Some(n)) => writeln!(out, "    {partner} is on day {n}.")?,
        (true, None) => writeln!(out, "    {partner} has done every day.")?,
        (false, _) => writeln!(out, "    {partner} has not joined yet.")?,
    }
    Ok(())
}

/// What a changed shared document holds, in words, for live sync.
pub fn kind_label(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Answer => "an answer to a daily question arrived (see `hearth today`)",
        DocumentKind::Goal => "a goal changed",
        DocumentKind::DateIdea => "the date jar changed",
        DocumentKind::Appreciation => "a note of appreciation arrived",
        DocumentKind::Enrolment => "program progress changed",
        DocumentKind::Drill => "a drill moved on",
        DocumentKind::CheckIns => "a check-in was recorded",
        DocumentKind::Member => "your partner's settings changed",
        DocumentKind::Assessment => "a shared assessment changed",
        DocumentKind::Entry => "a journal entry changed",
        DocumentKind::Game => "a round of the get-to-know-you game moved on",
    }
}

/// `hearth exercises`: the library, or one exercise in full, as this
/// couple may see it. Without a profile nothing knows both partners'
/// choice about sexual content, so those exercises stay hidden.
pub fn exercises(
    hearth: Option<&Hearth>,
    id: Option<&str>,
    dimension: Option<Dimension>,
    out: &mut impl Write,
) -> Result<()> {
    let filter = ExerciseFilter {
        dimension,
        ..ExerciseFilter::default()
    };
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
        Some(hearth) => hearth.exercises(&filter)?,
        None => library(&filter)?,
    };
    for exercise in &shown {
        render::exercise_line(out, exercise)?;
    }
    if shown.is_empty() {
        writeln!(
            out,
            "No exercises to show: sexual-closeness exercises appear only after both partners have opted in."
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
