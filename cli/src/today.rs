//! The Today commands: the question of the day (answer it, swap it),
//! the programs' next steps and suggestions.

use std::io::Write;

use hearth_core::Hearth;
use hearth_core::content::program::Program;
use hearth_core::content::question::Depth;
use hearth_core::guidance::daily::DailyQuestion;
use hearth_core::guidance::daily::PartnerAnswer;
use hearth_core::guidance::enrolment::Enrolment;
use hearth_core::guidance::recommend::{Recommendation, RecommendationTarget};
use time::Date;

use crate::error::Result;

/// The day a command is about, and whether it was asked for with --date
/// (the hints then repeat it).
#[derive(Debug, Clone, Copy)]
pub struct Day {
    /// The day.
    pub date: Date,
    /// Given with --date.
    pub given: bool,
}

impl Day {
    /// `--date` if given, else `today`.
    pub fn from(date: Option<Date>, today: Date) -> Self {
        Self {
            date: date.unwrap_or(today),
            given: date.is_some(),
        }
    }

    /// " --date YYYY-MM-DD" for hints when the day was given, else "".
    fn option(&self) -> String {
        if self.given {
            format!(" --date {}", self.date)
        } else {
            String::new()
        }
    }
}

/// `hearth today`: the day's question and both answers, the programs'
/// next steps, a suggestion, and whether a check-in is due, all from the
/// core's `today`. Both partners get the same question.
pub fn today(hearth: &Hearth, day: Day, out: &mut impl Write) -> Result<()> {
    let today = hearth.today(&day.date.to_string())?;
    let partner = partner_name(hearth)?;
    question(&today.question, &partner, &day, out)?;
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
        write_suggestion(hearth, suggestion, out)?;
    }
    if today.check_in_due {
        writeln!(out)?;
        let minutes = hearth.check_in_guide()?.minutes;
        writeln!(
            out,
            "Your monthly check-in is due: set aside about {minutes} minutes together this week."
        )?;
        writeln!(
            out,
            "The guide: hearth checkin; afterwards: hearth checkin --held"
        )?;
    }
    Ok(())
}

/// `hearth answer`: answers the day's question and shows both answers.
pub fn answer(hearth: &Hearth, day: Day, words: &[String], out: &mut impl Write) -> Result<()> {
    let answered = hearth.answer_daily_question(&day.date.to_string(), &words.join(" "))?;
    let partner = partner_name(hearth)?;
    writeln!(out, "Answer saved.")?;
    writeln!(out)?;
    question(&answered, &partner, &day, out)
}

/// The partner's name, or a stand-in before pairing.
fn partner_name(hearth: &Hearth) -> Result<String> {
    Ok(hearth
        .profile()?
        .partner
        .map_or_else(|| "Your partner".to_owned(), |p| p.name))
}

/// The day's question and the answers, as far as this partner may see them.
fn question(daily: &DailyQuestion, partner: &str, day: &Day, out: &mut impl Write) -> Result<()> {
    let on = day.option();
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
        None => writeln!(out, "You have not answered yet: hearth answer{on} \"...\"")?,
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
    if daily.answers.mine.is_none() {
        writeln!(out, "Not this one? Another question: hearth swap{on}")?;
    }
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

/// `hearth swap`: another question for the day, the same on both sides.
pub fn swap(hearth: &Hearth, day: Day, out: &mut impl Write) -> Result<()> {
    let swapped = hearth.swap_daily_question(&day.date.to_string())?;
    let partner = partner_name(hearth)?;
    writeln!(
        out,
        "Swapped. Answers to the old question no longer count for the day."
    )?;
    writeln!(out)?;
    question(&swapped, &partner, &day, out)
}

/// `hearth suggestions`: exercises picked for the two of you, each with
/// its reason.
pub fn suggestions(hearth: &Hearth, day: Date, limit: u32, out: &mut impl Write) -> Result<()> {
    let all = hearth.recommendations(&day.to_string(), limit)?;
    if all.is_empty() {
        writeln!(
            out,
            "No suggestions right now. Browse the library with: hearth exercises"
        )?;
    }
    for (n, suggestion) in all.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        write_suggestion(hearth, suggestion, out)?;
    }
    Ok(())
}

/// One suggestion and its reason.
fn write_suggestion(
    hearth: &Hearth,
    suggestion: &Recommendation,
    out: &mut impl Write,
) -> Result<()> {
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
    Ok(())
}
