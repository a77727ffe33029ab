//! `hearth demo`: the whole of Hearth in a few seconds, touching nothing of
//! the person's own. A relay starts inside this process on 127.0.0.1, two
//! partners get profiles in a temporary folder, pair, write while the relay
//! is away, sync when it is back, and end with the same journal.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::{Duration, Instant};

use hearth_core::content::embedded;
use hearth_core::guidance::day;
use hearth_core::journal::entry::{Entry, NewEntry};
use hearth_core::journal::query::EntryFilter;
use hearth_core::{Hearth, OpenOptions};
use hearth_relay::{Database, RateLimits, RelayConfig, RunningRelay};

use crate::error::{CliError, Result};
use crate::sync::describe;

/// The demo answers the question of a day on or before this one whose
/// question it has answers for (the question of a day depends on the
/// couple's space, which is new each run).
const LATEST_DAY: &str = "2026-02-14";

/// Questions the demo can answer, with Robin's and Sam's answers.
const ANSWERS: [(&str, &str, &str); 5] = [
    (
        "q0170",
        "The coast road to the lighthouse, with a flask of tea.",
        "Up into the hills, and home before dark.",
    ),
    (
        "q0208",
        "A week of walking, one village to the next.",
        "Any city where neither of us speaks the language.",
    ),
    (
        "q0339",
        "The lake where I learned to swim.",
        "My grandmother's street, and the bakery on the corner.",
    ),
    (
        "q0507",
        "Lisbon: we would ride the old tram first.",
        "Lisbon, and I would find the tiled staircase first.",
    ),
    ("q0023", "Rain on a tin roof.", "Fresh bread, every time."),
];

/// The latest day on or before [`LATEST_DAY`] whose question the demo has
/// answers for, with those answers. The days of one pass through the bank
/// ask every live question once (the bank is a permutation per couple),
/// and the canned questions are live (a test checks), so one of them
/// always turns up.
fn day_to_answer(hearth: &Hearth) -> Result<(String, &'static str, &'static str)> {
    let mut date = day::parse(LATEST_DAY)?;
    for _ in 0..embedded::question_bank()?.len() {
        let text = day::format(date);
        let id = hearth.daily_question(&text)?.question.id;
        if let Some((_, robin, sam)) = ANSWERS.iter().find(|(q, _, _)| *q == id) {
            return Ok((text, robin, sam));
        }
        match date.previous_day() {
            Some(previous) => date = previous,
            None => break,
        }
    }
    Err(CliError::DemoQuestion)
}

/// What each partner writes while the relay is away.
const ROBIN_WRITES: [&str; 3] = [
    "Sunday pancakes, and you let me flip the last one.",
    "We walked home the long way, past the river. I liked the quiet.",
    "Thank you for listening last night. I felt heard.",
];
const SAM_WRITES: [&str; 3] = [
    "Found the photo from our first trip and put it on the fridge.",
    "We laughed so hard at dinner that the waiter laughed too.",
    "More evenings like this one, please: no phones, just talking.",
];

/// Width of one journal column.
const COLUMN: usize = 38;

/// Runs the demo, narrating on `out`.
pub async fn run(out: &mut impl Write) -> Result<()> {
    let started = Instant::now();
    let folder = tempfile::tempdir().map_err(CliError::DemoFolder)?;
    let database = folder.path().join("relay.db");
    let relay = start_relay(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), &database).await?;
    let address = relay.local_addr();
    let url = relay.url();
    writeln!(
        out,
        "A relay is running at {url}. It stores and forwards ciphertext only."
    )?;

    let robin = phone(&folder.path().join("robin"), "Robin", &url)?;
    let sam = phone(&folder.path().join("sam"), "Sam", &url)?;
    writeln!(
        out,
        "Robin and Sam each have their own profile, as on their own phones."
    )?;
    writeln!(out)?;

    // Pairing: Robin shows a code, Sam types it.
    let invite = robin.start_pairing().await?;
    writeln!(
        out,
        "Robin's screen shows the pairing code {}; Sam types it in.",
        invite.code
    )?;
    let (on_robin, on_sam) = tokio::join!(robin.finish_pairing(), sam.join_partner(&invite.code));
    let (on_robin, on_sam) = (on_robin?, on_sam?);
    writeln!(out, "Paired. Safety numbers:")?;
    writeln!(out, "  on Robin's screen: {}", on_robin.safety_number)?;
    writeln!(out, "  on Sam's screen:   {}", on_sam.safety_number)?;
    if on_robin.safety_number == on_sam.safety_number {
        writeln!(out, "The same on both: no one is in between.")?;
    } else {
        writeln!(
            out,
            "They differ: someone is in between, and a real couple would stop here."
        )?;
    }
    robin.sync_now().await?;
    sam.sync_now().await?;
    writeln!(out)?;

    // Offline: the relay goes away; both keep writing.
    relay.shutdown().await?;
    writeln!(
        out,
        "The relay goes away (say both phones are on a plane). Both keep writing:"
    )?;
    for (robins, sams) in ROBIN_WRITES.iter().zip(SAM_WRITES) {
        robin.write_entry(shared(robins))?;
        sam.write_entry(shared(sams))?;
    }
    let (day, robins_answer, sams_answer) = day_to_answer(&robin)?;
    let question = robin.answer_daily_question(&day, robins_answer)?;
    sam.answer_daily_question(&day, sams_answer)?;
    writeln!(
        out,
        "  3 journal entries each, and both answer the question of {day}:"
    )?;
    writeln!(out, "  \"{}\"", question.question.text)?;
    match robin.sync_now().await {
        Ok(_) => writeln!(
            out,
            "  (Robin's phone reached a relay that should be gone?)"
        )?,
        Err(e) => writeln!(out, "  Robin's phone tries to sync: {e}.")?,
    }
    writeln!(
        out,
        "  Waiting to be sent: {} change(s) on Robin's phone, {} on Sam's.",
        robin.sync_status()?.pending,
        sam.sync_status()?.pending
    )?;
    writeln!(out)?;

    // Online again, on the same address and database.
    let relay = restart_relay(address, &database).await?;
    writeln!(out, "The relay is back. Both phones sync:")?;
    writeln!(out, "  Robin: {}", describe(&robin.sync_now().await?))?;
    writeln!(out, "  Sam:   {}", describe(&sam.sync_now().await?))?;
    writeln!(out, "  Robin: {}", describe(&robin.sync_now().await?))?;
    writeln!(out)?;

    let robins_journal = journal(&robin)?;
    let sams_journal = journal(&sam)?;
    side_by_side(&robins_journal, &sams_journal, out)?;
    writeln!(out)?;
    let partner_answer = |hearth: &Hearth| -> Result<String> {
        Ok(match hearth.daily_question(&day)?.answers.partner {
            hearth_core::guidance::daily::PartnerAnswer::Shown { text } => text,
            _ => "(not arrived)".into(),
        })
    };
    writeln!(
        out,
        "Robin now sees Sam's answer: \"{}\"",
        partner_answer(&robin)?
    )?;
    writeln!(
        out,
        "Sam now sees Robin's answer: \"{}\"",
        partner_answer(&sam)?
    )?;
    writeln!(out)?;

    if shared_view(&robins_journal) != shared_view(&sams_journal)
        || robins_journal.len() != ROBIN_WRITES.len() + SAM_WRITES.len()
    {
        return Err(CliError::DemoDiverged);
    }
    writeln!(
        out,
        "Both journals are identical: {} entries, the same ids, authors and words on both phones.",
        robins_journal.len()
    )?;
    relay.shutdown().await?;
    writeln!(
        out,
        "Done in {:.1} s. The relay, both profiles and their keys lived in a temporary folder, now removed.",
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

async fn start_relay(listen: SocketAddr, database: &Path) -> Result<RunningRelay> {
    Ok(hearth_relay::start(RelayConfig {
        listen,
        database: Database::Sqlite(database.to_owned()),
        // One address makes every request here; limits would only slow
        // the demo.
        rates: RateLimits::off(),
        ..RelayConfig::default()
    })
    .await?)
}

/// Starts the relay again where it was. The port was just freed; a few
/// retries cover a system slow to release it.
async fn restart_relay(address: SocketAddr, database: &Path) -> Result<RunningRelay> {
    let mut tries = 0;
    loop {
        match start_relay(address, database).await {
            Ok(relay) => return Ok(relay),
            Err(_) if tries < 20 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// A partner's profile in `dir`, syncing through `relay`.
fn phone(dir: &Path, name: &str, relay: &str) -> Result<Hearth> {
    let hearth = Hearth::open(
        dir,
        OpenOptions {
            display_name: Some(name.to_owned()),
            ..OpenOptions::default()
        },
    )?;
    hearth.set_relay(relay)?;
    Ok(hearth)
}

fn shared(body: &str) -> NewEntry {
    NewEntry {
        body: body.to_owned(),
        ..NewEntry::default()
    }
}

/// Every entry on a phone, in the list's own order: newest first, ties
/// within a second by id, the same on both phones.
fn journal(hearth: &Hearth) -> Result<Vec<Entry>> {
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = hearth.list_entries(&EntryFilter::default(), 100, cursor.as_deref())?;
        all.extend(page.entries);
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(all)
}

/// What both phones must agree on, entry by entry: id, author, words,
/// time.
fn shared_view(entries: &[Entry]) -> Vec<(&str, &str, &str, i64)> {
    entries
        .iter()
        .map(|e| {
            (
                e.id.as_str(),
                e.author.id.as_str(),
                e.body.as_str(),
                e.created_at_ms,
            )
        })
        .collect()
}

/// Prints two journals in two columns.
fn side_by_side(left: &[Entry], right: &[Entry], out: &mut impl Write) -> Result<()> {
    let column = |entries: &[Entry]| -> Vec<String> {
        let mut lines = Vec::new();
        for entry in entries {
            lines.push(format!("{}:", entry.author.name));
            lines.extend(
                wrap(&entry.body, COLUMN - 2)
                    .into_iter()
                    .map(|l| format!("  {l}")),
            );
        }
        lines
    };
    let (left, right) = (column(left), column(right));
    writeln!(out, "{:<COLUMN$} | Sam's journal", "Robin's journal")?;
    writeln!(out, "{:-<COLUMN$}-+-{:-<COLUMN$}", "", "")?;
    for n in 0..left.len().max(right.len()) {
        let l = left.get(n).map_or("", String::as_str);
        let r = right.get(n).map_or("", String::as_str);
        writeln!(out, "{l:<COLUMN$} | {r}")?;
    }
    Ok(())
}

/// Splits `text` into lines of at most `width` characters, at spaces
/// (a longer word gets a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::{ANSWERS, embedded, wrap};

    #[test]
    fn the_canned_answers_are_for_live_questions() {
        let bank = embedded::question_bank().unwrap();
        for (id, _, _) in ANSWERS {
            assert!(
                bank.live().any(|q| q.id == id),
                "{id} is not a live question"
            );
        }
    }

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        assert_eq!(
            wrap("We walked home the long way", 12),
            vec!["We walked", "home the", "long way"]
        );
        assert_eq!(wrap("unbreakableword ok", 5), vec!["unbreakableword", "ok"]);
        assert!(wrap("   ", 10).is_empty());
    }
}
