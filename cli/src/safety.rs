//! `hearth safety`: the safety check and where to find help. Everything
//! stays in this profile: the answers are never synced, shown to the
//! partner, logged or exported.

use std::io::{self, BufRead, IsTerminal, Write};

use hearth_core::Hearth;
use hearth_core::content::safety::HelpResource;
use hearth_core::guidance::safety::SafetyAnswer;

use crate::error::{CliError, Result};

/// What `hearth safety` was asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Take the check (questions on the terminal or standard input).
    Take,
    /// Only where to find help.
    Resources,
    /// Erase the check from this profile.
    Clear,
    /// Turn closeness suggestions back on after a concern.
    Resume,
    /// What the last check said.
    Last,
}

fn resources(list: &[HelpResource], out: &mut impl Write) -> Result<()> {
    writeln!(out, "Where to find help:")?;
    for resource in list {
        writeln!(out, "  {}: {}", resource.title, resource.text)?;
    }
    Ok(())
}

/// `hearth safety`.
pub fn safety(hearth: &Hearth, ask: Ask, out: &mut impl Write) -> Result<()> {
    let check = hearth.safety_check()?;
    match ask {
        Ask::Resources => return resources(&check.resources, out),
        Ask::Clear => {
            hearth.clear_safety_check()?;
            writeln!(out, "The safety check is erased from this profile.")?;
            if hearth.closeness_suggestions_paused()? {
                writeln!(
                    out,
                    "Suggestions to grow closer stay paused. To turn them back on: hearth safety --resume"
                )?;
            }
            return Ok(());
        }
        Ask::Resume => {
            hearth.resume_closeness_suggestions()?;
            writeln!(out, "Suggestions to grow closer are back on.")?;
            return Ok(());
        }
        Ask::Last => {
            match hearth.safety_outcome()? {
                Some(outcome) => {
                    writeln!(out, "{}\n", outcome.message)?;
                    let shown = if outcome.resources.is_empty() {
                        &check.resources
                    } else {
                        &outcome.resources
                    };
                    resources(shown, out)?;
                }
                None => writeln!(
                    out,
                    "There is no safety check in this profile. Take it with: hearth safety"
                )?,
            }
            return Ok(());
        }
        Ask::Take => {}
    }
    writeln!(out, "{}\n{}\n", check.title, check.intro)?;
    // The content's own note speaks of a phone; this is what holds here.
    writeln!(
        out,
        "Your answers stay in this profile, on this computer: never shared with your partner, never synced, never in your journal. `hearth safety --clear` erases them.\n"
    )?;
    let stdin = io::stdin();
    let asking = stdin.is_terminal();
    let mut lines = stdin.lock().lines();
    let mut answers = Vec::new();
    for item in &check.items {
        if asking {
            write!(out, "{} [y/N] ", item.text)?;
            out.flush()?;
        }
        let line = lines.next().transpose().map_err(CliError::Stdin)?;
        let yes = matches!(line.as_deref().map(str::trim), Some("y" | "Y" | "yes"));
        answers.push(SafetyAnswer {
            item_id: item.id.clone(),
            yes,
        });
    }
    let outcome = hearth.record_safety_check(&answers)?;
    if asking {
        writeln!(out)?;
    }
    writeln!(out, "{}\n", outcome.message)?;
    // The words point to the help below whatever the outcome.
    let shown = if outcome.resources.is_empty() {
        &check.resources
    } else {
        &outcome.resources
    };
    resources(shown, out)
}
