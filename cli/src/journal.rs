//! The journal commands: write, list, show, search, delete, react,
//! comment, export.

use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;

use hearth_core::Hearth;
use hearth_core::journal::entry::{EntryLink, EntryUpdate, LinkKind, NewEntry, Visibility};
use hearth_core::journal::query::{AuthorFilter, EntryFilter};
use hearth_core::journal::reaction::Reaction;
use time::{Date, Duration};

use crate::args::{ExportFormat, ListArgs, WriteArgs};
use crate::confirm::confirm;
use crate::error::{CliError, Result};
use crate::render;

/// The words given, or (when there are none) what comes on standard input.
fn text_from(words: &[String]) -> Result<String> {
    if !words.is_empty() {
        return Ok(words.join(" "));
    }
    let mut stdin = io::stdin();
    if stdin.is_terminal() {
        eprintln!("Write your entry, then press Ctrl-D on a new line to save it.");
    }
    let mut text = String::new();
    stdin.read_to_string(&mut text).map_err(CliError::Stdin)?;
    Ok(text)
}

/// `hearth write`.
pub fn write(hearth: &Hearth, args: WriteArgs, out: &mut impl Write) -> Result<()> {
    let body = text_from(&args.words)?;
    let visibility = if args.private {
        Visibility::Private
    } else {
        Visibility::Shared
    };
    // The core checks that the question or exercise exists and may be
    // shown to this couple.
    let link = match (args.question, args.exercise) {
        (Some(id), _) => Some(EntryLink {
            kind: LinkKind::Question,
            id,
        }),
        (_, Some(id)) => Some(EntryLink {
            kind: LinkKind::Exercise,
            id,
        }),
        _ => None,
    };
    let entry = hearth.write_entry(NewEntry {
        title: args.title,
        body,
        emotions: args.emotions,
        link,
        visibility,
    })?;
    let where_to = match visibility {
        Visibility::Shared => "in your shared journal",
        Visibility::Private => "on this device only",
    };
    writeln!(out, "Saved {where_to}. id: {}", entry.id)?;
    Ok(())
}

/// `hearth edit`: new text (and title, if given) for one of your entries;
/// its emotions stay.
pub fn edit(
    hearth: &Hearth,
    id: &str,
    title: Option<String>,
    words: &[String],
    out: &mut impl Write,
) -> Result<()> {
    let before = hearth.entry(id)?;
    let body = text_from(words)?;
    let entry = hearth.edit_entry(
        id,
        EntryUpdate {
            title: title.or(before.title),
            body,
            emotions: before.emotions,
        },
    )?;
    writeln!(out, "Saved your changes. id: {}", entry.id)?;
    Ok(())
}

/// `hearth share` and `hearth unshare`: moves one of your entries into the
/// shared journal, or back to this device only. It gets a new id.
pub fn set_shared(hearth: &Hearth, id: &str, shared: bool, out: &mut impl Write) -> Result<()> {
    let visibility = if shared {
        Visibility::Shared
    } else {
        Visibility::Private
    };
    let entry = hearth.set_entry_visibility(id, visibility)?;
    let where_to = if shared && hearth.sync_status()?.paired {
        "Shared with your partner"
    } else if shared {
        "In your shared journal: your partner sees it once you pair"
    } else {
        "Now on this device only, and gone from your partner's journal after the next sync"
    };
    writeln!(out, "{where_to}. New id: {}", entry.id)?;
    Ok(())
}

/// Milliseconds at the start of `day` (UTC).
fn day_start_ms(day: Date) -> i64 {
    day.midnight().assume_utc().unix_timestamp() * 1000
}

/// `hearth list`.
pub fn list(hearth: &Hearth, args: ListArgs, out: &mut impl Write) -> Result<()> {
    let filter = EntryFilter {
        author: match (args.mine, args.partner) {
            (true, _) => Some(AuthorFilter::Me),
            (_, true) => Some(AuthorFilter::Partner),
            _ => None,
        },
        since_ms: args.since.map(day_start_ms),
        // "Until" a day includes that day.
        until_ms: args
            .until
            .map(|d| day_start_ms(d) + Duration::DAY.whole_milliseconds() as i64),
        emotion: args.emotion,
        visibility: match (args.private, args.shared) {
            (true, _) => Some(Visibility::Private),
            (_, true) => Some(Visibility::Shared),
            _ => None,
        },
    };
    let page = hearth.list_entries(&filter, args.limit, args.after.as_deref())?;
    if page.entries.is_empty() && args.after.is_none() {
        writeln!(
            out,
            "No entries yet. Write one with: hearth write \"what happened today\""
        )?;
        return Ok(());
    }
    for (n, entry) in page.entries.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        render::entry(out, entry, false)?;
    }
    if let Some(next) = page.next {
        writeln!(out)?;
        writeln!(out, "More entries: repeat the command with --after {next}")?;
    }
    Ok(())
}

/// `hearth show`.
pub fn show(hearth: &Hearth, id: &str, out: &mut impl Write) -> Result<()> {
    let entry = hearth.entry(id)?;
    render::entry(out, &entry, true)?;
    Ok(())
}

/// `hearth search`.
pub fn search(hearth: &Hearth, words: &[String], limit: u32, out: &mut impl Write) -> Result<()> {
    let hits = hearth.search_entries(&words.join(" "), &EntryFilter::default(), limit)?;
    if hits.is_empty() {
        writeln!(out, "No entries match.")?;
    }
    for hit in hits {
        writeln!(
            out,
            "{}  {}  {}",
            render::datetime(hit.entry.created_at_ms),
            hit.entry.author.name,
            hit.entry.title.as_deref().unwrap_or("")
        )?;
        writeln!(out, "  {}", hit.excerpt)?;
        writeln!(out, "  id: {}", hit.entry.id)?;
    }
    Ok(())
}

/// `hearth delete`: asks first on a terminal, unless `--yes`.
pub fn delete(hearth: &Hearth, id: &str, yes: bool, out: &mut impl Write) -> Result<()> {
    // Look the entry up first, so a wrong id fails before any question.
    let entry = hearth.entry(id)?;
    let shared = entry.visibility == Visibility::Shared;
    let question = format!(
        "Delete the entry from {}{}? This cannot be undone.",
        render::datetime(entry.created_at_ms),
        if shared {
            ", here and from your partner's journal"
        } else {
            ""
        }
    );
    if !yes && !confirm("deleting an entry", &question, out)? {
        writeln!(out, "Kept.")?;
        return Ok(());
    }
    hearth.delete_entry(id)?;
    writeln!(out, "Deleted.")?;
    Ok(())
}

/// `hearth react`.
pub fn react(
    hearth: &Hearth,
    id: &str,
    reaction: Option<Reaction>,
    out: &mut impl Write,
) -> Result<()> {
    hearth.react(id, reaction)?;
    match reaction {
        Some(r) => writeln!(out, "Reacted with {r}.")?,
        None => writeln!(out, "Reaction removed.")?,
    }
    Ok(())
}

/// `hearth comment`.
pub fn comment(hearth: &Hearth, id: &str, words: &[String], out: &mut impl Write) -> Result<()> {
    hearth.add_comment(id, &words.join(" "))?;
    writeln!(out, "Comment added.")?;
    Ok(())
}

/// `hearth comment ID --delete COMMENT_ID`.
pub fn uncomment(hearth: &Hearth, id: &str, comment: &str, out: &mut impl Write) -> Result<()> {
    hearth.delete_comment(id, comment)?;
    writeln!(out, "Comment deleted.")?;
    Ok(())
}

/// `hearth export`: to the screen, or atomically to a private file.
pub fn export(
    hearth: &Hearth,
    format: ExportFormat,
    options: hearth_core::ExportOptions,
    target: Option<&Path>,
    force: bool,
    out: &mut impl Write,
) -> Result<()> {
    let text = match format {
        ExportFormat::Json => hearth.export_json_with(options)?,
        ExportFormat::Markdown => hearth.export_markdown()?,
    };
    let Some(path) = target else {
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            writeln!(out)?;
        }
        return Ok(());
    };
    if path.exists() && !force {
        return Err(CliError::OutputExists(path.to_owned()));
    }
    write_private_file(path, text.as_bytes()).map_err(|source| CliError::WriteFile {
        path: path.to_owned(),
        source,
    })?;
    writeln!(out, "Exported to {}", path.display())?;
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path` (only the owner may
/// read it: it holds the journal), then renames it into place, so `path`
/// is never left half-written.
fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let result = (|| {
        let mut file = options.open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        // Best effort: the temporary file may never have been created.
        let _ = fs::remove_file(&temp);
    }
    result
}
