//! What the couple builds together, in a terminal: goals, the date jar,
//! notes of appreciation, the monthly check-in, programs, and each
//! partner's choice about sexual content.

use std::io::Write;

use clap::Subcommand;
use hearth_core::Hearth;
use hearth_core::guidance::day;
use hearth_core::guidance::goal::GoalStatus;
use time::Date;

use crate::error::Result;

fn text(words: &[String]) -> String {
    words.join(" ")
}

/// `hearth goals` and `hearth goals ...`.
pub fn goals(hearth: &Hearth, command: Option<GoalCommand>, out: &mut impl Write) -> Result<()> {
    match command {
        Some(GoalCommand::Add { words }) => {
            let goal = hearth.add_goal(&text(&words))?;
            writeln!(out, "Added to your ideas for goals. id: {}", goal.id)?;
        }
        Some(GoalCommand::Pick { id }) => status(hearth, &id, GoalStatus::Chosen, out)?,
        Some(GoalCommand::Done { id }) => status(hearth, &id, GoalStatus::Done, out)?,
        Some(GoalCommand::Aside { id }) => status(hearth, &id, GoalStatus::SetAside, out)?,
        None => {
            let goals = hearth.goals()?;
            if goals.is_empty() {
                writeln!(
                    out,
                    "No goals yet. Add an idea with: hearth goals add \"...\""
                )?;
            }
            for goal in &goals {
                let status = match goal.status {
                    GoalStatus::Idea => "idea",
                    GoalStatus::Chosen => "chosen",
                    GoalStatus::Done => "done",
                    GoalStatus::SetAside => "set aside",
                };
                writeln!(
                    out,
                    "[{status}] {} ({}) id: {}",
                    &goal.text, &goal.author.name, goal.id
                )?;
            }
            if !goals.is_empty() && !hearth.ready_to_pick_goals()? {
                writeln!(out, "Once you have both added ideas, pick one together.")?;
            }
        }
    }
    Ok(())
}

fn status(hearth: &Hearth, id: &str, to: GoalStatus, out: &mut impl Write) -> Result<()> {
    let goal = hearth.set_goal_status(id, to)?;
    let said = match to {
        GoalStatus::Chosen => "Picked to work on together",
        GoalStatus::Done => "Done: well done, both of you",
        GoalStatus::SetAside => "Set aside; it stays in the list",
        GoalStatus::Idea => "Back among the ideas",
    };
    writeln!(out, "{said}: {}", goal.text)?;
    Ok(())
}

/// `hearth dates` and `hearth dates ...`.
pub fn dates(
    hearth: &Hearth,
    command: Option<DateCommand>,
    today: Date,
    out: &mut impl Write,
) -> Result<()> {
    match command {
        Some(DateCommand::Add { words }) => {
            let idea = hearth.add_date_idea(&text(&words))?;
            writeln!(out, "In the jar. id: {}", idea.id)?;
        }
        Some(DateCommand::Draw) => match hearth.draw_date_idea()? {
            Some(idea) => writeln!(
                out,
                "From the jar: {}\nWhen you have done it: hearth dates done {}",
                &idea.text, idea.id
            )?,
            None => writeln!(
                out,
                "The jar is empty. Add an idea with: hearth dates add \"...\""
            )?,
        },
        Some(DateCommand::Done { id }) => {
            hearth.mark_date_done(&id, &day::format(today))?;
            writeln!(out, "Marked done.")?;
        }
        None => {
            let ideas = hearth.date_ideas()?;
            if ideas.is_empty() {
                writeln!(out, "The jar is empty. Some ideas to start with:")?;
                for starter in hearth.date_jar_starters()?.iter().take(5) {
                    writeln!(out, "  {}", starter.text)?;
                }
            }
            for idea in &ideas {
                let done = if idea.done_on.is_some() {
                    "[done] "
                } else {
                    ""
                };
                writeln!(out, "{done}{} id: {}", &idea.text, idea.id)?;
            }
        }
    }
    Ok(())
}

/// `hearth thanks`: a note of appreciation; with no words, the notes so far.
pub fn thanks(hearth: &Hearth, words: &[String], out: &mut impl Write) -> Result<()> {
    if words.is_empty() {
        for note in hearth.appreciations()? {
            writeln!(out, "{}: {}", &note.author.name, &note.text)?;
        }
        return Ok(());
    }
    hearth.appreciate(&text(words))?;
    writeln!(
        out,
        "Your note is saved; your partner sees it after the next sync."
    )?;
    Ok(())
}

/// `hearth checkin`: the guide, or with --held, records that you held it.
pub fn checkin(
    hearth: &Hearth,
    held: bool,
    month: Option<u32>,
    today: Date,
    out: &mut impl Write,
) -> Result<()> {
    let day = day::format(today);
    if held {
        let next = match month {
            Some(month) => hearth.record_check_in_rated(&day, month)?,
            None => hearth.record_check_in(&day)?,
        };
        writeln!(
            out,
            "Check-in recorded. The next one is due on {}.",
            next.due_on
        )?;
        return Ok(());
    }
    let due = hearth.next_check_in(&day)?;
    match (&due.last_held, due.is_due) {
        (Some(last), true) => writeln!(
            out,
            "Your last check-in was on {last}; the next one is due now.\n"
        )?,
        (Some(last), false) => writeln!(
            out,
            "Your last check-in was on {last}; the next one is due on {}.\n",
            due.due_on
        )?,
        (None, _) => writeln!(out, "You have not held a check-in yet.\n")?,
    }
    let guide = hearth.check_in_guide()?;
    writeln!(
        out,
        "{} (about {} minutes)\n{}\n",
        guide.title, guide.minutes, guide.intro
    )?;
    writeln!(out, "While you listen:")?;
    for rule in &guide.listening_rules {
        writeln!(out, "  - {rule}")?;
    }
    for (n, section) in guide.sections.iter().enumerate() {
        writeln!(out, "\n{}. {}\n   {}", n + 1, section.title, section.prompt)?;
    }
    writeln!(out, "\n{}", guide.closing)?;
    writeln!(
        out,
        "\nWhen you have held it: hearth checkin --held (add --month 1-5 for how the month was)"
    )?;
    Ok(())
}

/// `hearth programs` and `hearth programs ...`.
pub fn programs(
    hearth: &Hearth,
    command: Option<ProgramCommand>,
    today: Date,
    out: &mut impl Write,
) -> Result<()> {
    let day = day::format(today);
    match command {
        Some(ProgramCommand::Join { id }) => {
            hearth.join_program(&id, &day)?;
            writeln!(out, "Joined. Its steps show in `hearth today`.")?;
        }
        Some(ProgramCommand::Leave { id }) => {
            hearth.leave_program(&id, &day)?;
            writeln!(out, "Left the program; the days you did stay recorded.")?;
        }
        Some(ProgramCommand::Done { id, day: number }) => {
            let enrolment = hearth.complete_program_day(&id, number, &day)?;
            writeln!(
                out,
                "Day {number} done: {} of {} days.",
                enrolment.progress.done_by_me, enrolment.progress.total_days
            )?;
        }
        None => {
            let joined = hearth.enrolments(&day)?;
            for program in hearth.programs()? {
                let mark = if joined
                    .iter()
                    .any(|e| e.program_id == program.id && e.joined_by_me)
                {
                    "[joined] "
                } else {
                    ""
                };
                writeln!(
                    out,
                    "{mark}{} ({} days) id: {}\n  {}",
                    program.title,
                    program.days.len(),
                    program.id,
                    program.summary
                )?;
            }
        }
    }
    Ok(())
}

/// `hearth opt-in [yes|no]`: this partner's choice about sexual content,
/// or where both choices stand.
pub fn opt_in(hearth: &Hearth, yes: Option<bool>, out: &mut impl Write) -> Result<()> {
    if let Some(yes) = yes {
        hearth.set_sexual_content_opt_in(yes)?;
    }
    let consent = hearth.sexual_content_consent()?;
    let says = match (consent.mine, consent.partner) {
        (true, true) => "You have both said yes: sexual content is shown.",
        (true, false) => "You said yes. It stays hidden until your partner says yes too.",
        (false, _) if yes.is_some() => "You said no: sexual content stays hidden for both of you.",
        (false, _) => {
            "You have not said yes: sexual content stays hidden. To say yes: hearth opt-in yes"
        }
    };
    writeln!(out, "{says}")?;
    Ok(())
}

/// `hearth goals ...`.
#[derive(Debug, Subcommand)]
pub enum GoalCommand {
    /// Add an idea for a goal.
    Add {
        /// The idea.
        #[arg(required = true)]
        words: Vec<String>,
    },
    /// Pick a goal to work on together.
    Pick {
        /// The goal's id.
        #[arg(allow_hyphen_values = true)]
        id: String,
    },
    /// Mark a goal done.
    Done {
        /// The goal's id.
        #[arg(allow_hyphen_values = true)]
        id: String,
    },
    /// Set a goal aside.
    Aside {
        /// The goal's id.
        #[arg(allow_hyphen_values = true)]
        id: String,
    },
}

/// `hearth dates ...`.
#[derive(Debug, Subcommand)]
pub enum DateCommand {
    /// Put an idea in the jar.
    Add {
        /// The idea.
        #[arg(required = true)]
        words: Vec<String>,
    },
    /// Draw an idea you have not done yet.
    Draw,
    /// Mark an idea done today.
    Done {
        /// The idea's id.
        #[arg(allow_hyphen_values = true)]
        id: String,
    },
}

/// `hearth programs ...`.
#[derive(Debug, Subcommand)]
pub enum ProgramCommand {
    /// Join a program from today.
    Join {
        /// The program's id.
        id: String,
    },
    /// Leave a program; the days you did stay recorded.
    Leave {
        /// The program's id.
        id: String,
    },
    /// Mark one of your program days done today.
    Done {
        /// The program's id.
        id: String,
        /// The day's number.
        day: u32,
    },
}
