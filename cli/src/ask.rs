//! Asking a series of questions: on a terminal, one at a time (asking
//! again after an answer that does not fit); otherwise, one answer per
//! line of standard input, where an answer that does not fit stops with
//! an error naming the line.

use std::io::{self, BufRead, IsTerminal, Lines, StdinLock, Write};

use crate::error::{CliError, Result};

/// Where the answers come from.
#[derive(Debug)]
pub struct Asker {
    lines: Lines<StdinLock<'static>>,
    terminal: bool,
    line: usize,
}

impl Asker {
    /// Reads standard input.
    pub fn stdin() -> Self {
        let stdin = io::stdin();
        Self {
            terminal: stdin.is_terminal(),
            lines: stdin.lock().lines(),
            line: 0,
        }
    }

    /// Whether the questions are shown (a person is typing).
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// Asks `question` with `hint` (e.g. "1-5") until `parse` accepts the
    /// answer.
    pub fn ask<T>(
        &mut self,
        question: &str,
        hint: &str,
        parse: impl Fn(&str) -> Option<T>,
        out: &mut impl Write,
    ) -> Result<T> {
        loop {
            if self.terminal {
                write!(out, "{question} [{hint}] ")?;
                out.flush()?;
            }
            self.line += 1;
            let Some(line) = self.lines.next().transpose().map_err(CliError::Stdin)? else {
                return Err(CliError::AnswersEnded { line: self.line });
            };
            if let Some(value) = parse(line.trim()) {
                return Ok(value);
            }
            if !self.terminal {
                return Err(CliError::AnswerDoesNotFit {
                    line: self.line,
                    expected: hint.to_owned(),
                });
            }
            writeln!(out, "Please answer {hint}.")?;
        }
    }

    /// A number from `min` to `max`.
    pub fn number(
        &mut self,
        question: &str,
        min: u32,
        max: u32,
        out: &mut impl Write,
    ) -> Result<u32> {
        self.ask(
            question,
            &format!("{min}-{max}"),
            |text| text.parse().ok().filter(|n| (min..=max).contains(n)),
            out,
        )
    }

    /// Yes or no.
    pub fn yes_no(&mut self, question: &str, out: &mut impl Write) -> Result<bool> {
        self.ask(
            question,
            "y/n",
            |text| match text.to_ascii_lowercase().as_str() {
                "y" | "yes" => Some(true),
                "n" | "no" => Some(false),
                _ => None,
            },
            out,
        )
    }
}
