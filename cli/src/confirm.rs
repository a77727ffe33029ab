//! Asking before something that cannot be undone.

use std::io::{self, BufRead, IsTerminal, Write};

use crate::error::{CliError, Result};

/// Asks `question` on the terminal and returns whether the answer was yes.
/// Without a terminal there is no one to ask, so it fails, saying that
/// `doing` needs `--yes`.
pub fn confirm(doing: &'static str, question: &str, out: &mut impl Write) -> Result<bool> {
    let stdin = io::stdin();
    if !stdin.is_terminal() {
        return Err(CliError::NeedsConfirmation(doing));
    }
    write!(out, "{question} [y/N] ")?;
    out.flush()?;
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(CliError::Stdin)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}
