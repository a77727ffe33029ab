//! Checks on what a person types: not blank, not over a documented length.
//! Each caller turns the outcome into its own error, so the message names
//! the thing (an entry, a comment, an answer).

/// Why a text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Only whitespace.
    Blank,
    /// Longer than allowed: its length in characters.
    TooLong(usize),
}

/// Checks that `text` is not blank and has at most `max` characters
/// (Unicode scalar values, so an accented letter counts once).
pub(crate) fn check(text: &str, max: usize) -> Result<(), Refused> {
    if text.trim().is_empty() {
        return Err(Refused::Blank);
    }
    let len = text.chars().count();
    if len > max {
        return Err(Refused::TooLong(len));
    }
    Ok(())
}

/// The same check, with the generic errors that name `what` was refused.
pub(crate) fn check_named(what: &'static str, text: &str, max: usize) -> crate::Result<()> {
    check(text, max).map_err(|refused| match refused {
        Refused::Blank => crate::Error::EmptyText { what },
        Refused::TooLong(len) => crate::Error::TextTooLong { what, len, max },
    })
}
