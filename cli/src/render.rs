//! How entries, dates and exercises look in a terminal.

use std::io::{self, Write};

use hearth_core::content::exercise::{Exercise, ExerciseKind, Mode};
use hearth_core::journal::entry::{Entry, Visibility};
use time::OffsetDateTime;

/// The partner's name, or "your partner" before pairing; see
/// [`capitalised`] for the start of a sentence.
pub fn partner_name(hearth: &hearth_core::Hearth) -> hearth_core::Result<String> {
    Ok(hearth
        .profile()?
        .partner
        .map_or_else(|| "your partner".to_owned(), |p| p.name))
}

/// `text` with its first letter in capitals.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `2025-03-01 18:42 UTC`, or the raw value if it is out of range.
pub fn datetime(ms: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        ),
        Err(_) => format!("{ms} ms"),
    }
}

/// One entry: heading, title, text, feelings, and (when `full`) reactions
/// and comments.
pub fn entry(out: &mut impl Write, entry: &Entry, full: bool) -> io::Result<()> {
    let private = match entry.visibility {
        Visibility::Private => "  (private)",
        Visibility::Shared => "",
    };
    writeln!(
        out,
        "── {}  {}{private}",
        datetime(entry.created_at_ms),
        entry.author.name
    )?;
    if let Some(title) = &entry.title {
        writeln!(out, "{title}")?;
    }
    if let Some(link) = &entry.link {
        let about = hearth_core::content::link_title(link)
            .unwrap_or_else(|| format!("{} {}", link.kind, link.id));
        writeln!(out, "about: {about}")?;
    }
    writeln!(out, "{}", entry.body.trim_end())?;
    if !entry.emotions.is_empty() {
        let names: Vec<&str> = entry.emotions.iter().map(|e| e.name()).collect();
        writeln!(out, "feelings: {}", names.join(", "))?;
    }
    if full {
        if let Some(editor) = &entry.edited_by {
            writeln!(
                out,
                "edited by {} on {}",
                editor.name,
                datetime(entry.updated_at_ms)
            )?;
        }
        for reaction in &entry.reactions {
            writeln!(out, "{} reacted: {}", reaction.by.name, reaction.reaction)?;
        }
        for comment in &entry.comments {
            writeln!(
                out,
                "  {} ({}): {}",
                comment.author.name,
                datetime(comment.created_at_ms),
                comment.body
            )?;
            writeln!(out, "    comment id: {}", comment.id)?;
        }
    } else {
        let mut extras = Vec::new();
        if !entry.reactions.is_empty() {
            extras.push(format!("{} reaction(s)", entry.reactions.len()));
        }
        if !entry.comments.is_empty() {
            extras.push(format!("{} comment(s)", entry.comments.len()));
        }
        if !extras.is_empty() {
            writeln!(out, "{}", extras.join(", "))?;
        }
    }
    writeln!(out, "id: {}", entry.id)
}

fn kind(kind: ExerciseKind) -> &'static str {
    match kind {
        ExerciseKind::Conversation => "conversation",
        ExerciseKind::Activity => "activity",
        ExerciseKind::Reflection => "reflection",
        ExerciseKind::SkillDrill => "skill drill",
        ExerciseKind::Ritual => "ritual",
    }
}

fn mode(mode: Mode) -> &'static str {
    match mode {
        Mode::Solo => "on your own",
        Mode::Together => "together",
    }
}

/// One line per exercise in a list.
pub fn exercise_line(out: &mut impl Write, exercise: &Exercise) -> io::Result<()> {
    writeln!(
        out,
        "{:<34} {} ({} min, {}, {})",
        exercise.id,
        exercise.title,
        exercise.minutes,
        mode(exercise.mode),
        kind(exercise.kind)
    )
}

/// An exercise in full: what it is, its steps and the journal prompt.
pub fn exercise(out: &mut impl Write, exercise: &Exercise) -> io::Result<()> {
    writeln!(out, "{}", exercise.title)?;
    writeln!(
        out,
        "{} min, {}, {}",
        exercise.minutes,
        mode(exercise.mode),
        kind(exercise.kind)
    )?;
    let serves: Vec<&str> = exercise.dimensions.iter().map(|d| d.label()).collect();
    writeln!(out, "for: {}", serves.join(", "))?;
    writeln!(out)?;
    writeln!(out, "{}", exercise.summary)?;
    writeln!(out, "Why this helps: {}", exercise.why_this_helps)?;
    writeln!(out)?;
    for (n, step) in exercise.steps.iter().enumerate() {
        writeln!(out, "{:>2}. {step}", n + 1)?;
    }
    if let Some(drill) = &exercise.drill {
        writeln!(out)?;
        writeln!(out, "Take turns, {} round(s) each way.", drill.rounds)?;
        writeln!(out, "Speaking: {}", drill.speaker)?;
        writeln!(out, "Listening: {}", drill.listener)?;
    }
    writeln!(out)?;
    writeln!(out, "Afterwards, in the journal: {}", exercise.prompt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_utc_minutes() {
        assert_eq!(datetime(0), "1970-01-01 00:00 UTC");
        assert_eq!(datetime(1_740_854_520_000), "2025-03-01 18:42 UTC");
        assert_eq!(datetime(i64::MAX), format!("{} ms", i64::MAX));
    }
}
