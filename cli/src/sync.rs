//! The sync commands: choosing the relay, pairing, syncing once or live,
//! the status, and leaving the shared space.

use std::future::Future;
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use hearth_core::events::{Event, Listener};
use hearth_core::sync::{PairingResult, SyncReport};
use hearth_core::{DocumentKind, Hearth};

use crate::confirm::confirm;
use crate::error::{CliError, Result};
use crate::render;

/// How long work may take before a progress indicator appears.
const PATIENCE: Duration = Duration::from_millis(800);

/// Runs `work` on a fresh tokio runtime: the core's network calls are
/// async, the CLI is not.
pub fn block_on<T>(work: impl Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?
        .block_on(work)
}

/// Awaits `work`; if it takes longer than a moment, says `doing` on
/// standard error (with indicatif's spinner on a terminal, a single line
/// otherwise) until it is done.
pub async fn with_progress<T>(doing: &str, work: impl Future<Output = T>) -> T {
    tokio::pin!(work);
    tokio::select! {
        done = &mut work => return done,
        () = tokio::time::sleep(PATIENCE) => {}
    }
    let spinner = if io::stderr().is_terminal() {
        let spinner = ProgressBar::new_spinner();
        spinner.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        spinner.set_message(doing.to_owned());
        spinner.enable_steady_tick(Duration::from_millis(120));
        Some(spinner)
    } else {
        eprintln!("{doing}...");
        None
    };
    let done = work.await;
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    done
}

/// `hearth relay URL`.
pub fn relay(hearth: &Hearth, url: &str, out: &mut impl Write) -> Result<()> {
    hearth.set_relay(url)?;
    writeln!(out, "This profile now syncs through {}.", url.trim())?;
    if !hearth.sync_status()?.paired {
        writeln!(
            out,
            "Next, pair with your partner: one of you runs `hearth pair create`, the other `hearth pair join CODE`."
        )?;
    }
    Ok(())
}

/// How long a code still works, in whole minutes rounded up: a code with
/// 9 minutes 59 seconds left works for "10 minutes", one with 20 seconds
/// for "1 minute".
pub fn minutes_left(ms: i64) -> String {
    match (ms.max(0) + 59_999) / 60_000 {
        0 | 1 => "minute".to_owned(),
        n => format!("{n} minutes"),
    }
}

/// `hearth pair create`: shows the code, waits for the partner, shows the
/// safety number.
pub async fn pair_create(hearth: &Hearth, out: &mut impl Write) -> Result<()> {
    let invite = with_progress("Asking the relay for a code", hearth.start_pairing()).await?;
    let left = minutes_left(invite.expires_at_ms - hearth.now_ms());
    writeln!(out, "Your pairing code: {}", invite.code)?;
    writeln!(
        out,
        "Your partner types it with `hearth pair join {}` (it works once, for the next {left}).",
        invite.code
    )?;
    out.flush()?;
    let result = with_progress(
        "Waiting for your partner to type the code",
        hearth.finish_pairing(),
    )
    .await?;
    paired(&result, out)
}

/// `hearth pair join CODE`.
pub async fn pair_join(hearth: &Hearth, code: &str, out: &mut impl Write) -> Result<()> {
    let result = with_progress("Pairing", hearth.join_partner(code)).await?;
    paired(&result, out)
}

fn paired(result: &PairingResult, out: &mut impl Write) -> Result<()> {
    writeln!(out, "Paired with {}.", result.partner_name)?;
    writeln!(out, "Safety number: {}", result.safety_number)?;
    writeln!(
        out,
        "Check that {}'s screen shows the same number. If it does not, someone is in between: run `hearth leave` and pair again.",
        result.partner_name
    )?;
    writeln!(out, "Then sync with `hearth sync`.")?;
    Ok(())
}

/// `hearth sync`: once.
pub async fn sync_once(hearth: &Hearth, out: &mut impl Write) -> Result<()> {
    let faults_before = hearth.sync_status()?.relay_faults;
    let report = with_progress("Syncing with the relay", hearth.sync_now()).await?;
    writeln!(out, "{}", describe(&report))?;
    let status = hearth.sync_status()?;
    if status.relay_faults > faults_before
        && let Some(fault) = &status.relay_fault
    {
        writeln!(out, "{fault}")?;
    }
    if report.rejected > 0 {
        writeln!(
            out,
            "{} item(s) from the relay were not applied: they did not come from your partner's device, or were damaged.",
            report.rejected
        )?;
    }
    if let Some(notice) = hearth.sync_status()?.notice {
        writeln!(out, "{notice}")?;
        hearth.dismiss_sync_notice()?;
    }
    Ok(())
}

/// One line saying what a sync did.
pub fn describe(report: &SyncReport) -> String {
    if report.pushed == 0 && report.pulled == 0 && report.forgotten == 0 {
        return "In sync: nothing to send or fetch.".into();
    }
    format!(
        "Synced: sent {} change(s), fetched {}{}.",
        report.pushed,
        report.pulled,
        match report.forgotten {
            0 => String::new(),
            n => format!(", passed on {n} deletion(s)"),
        }
    )
}

/// Hands the core's change events to the printing loop.
struct Arrivals(mpsc::Sender<Event>);

impl Listener for Arrivals {
    fn on_event(&self, event: Event) {
        // The loop ends only when live sync stops; a send after that has
        // no one left to print it.
        let _ = self.0.send(event);
    }
}

/// `hearth sync --live`: keeps syncing until Ctrl-C, printing what arrives.
pub async fn sync_live(hearth: &Hearth, out: &mut impl Write) -> Result<()> {
    let partner = hearth
        .profile()?
        .partner
        .map_or_else(|| "your partner".to_owned(), |p| p.name);
    let (send, arrivals) = mpsc::channel();
    let _subscription = hearth.subscribe(Arc::new(Arrivals(send)));
    writeln!(
        out,
        "Live sync is on: what {partner} writes appears here. Press Ctrl-C to stop."
    )?;
    out.flush()?;
    let stop = async {
        // Without a Ctrl-C handler (rare), run until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let live = hearth.sync_live(stop);
    tokio::pin!(live);
    let mut ticks = tokio::time::interval(Duration::from_millis(100));
    let mut last_problem = hearth.sync_status()?.last_error;
    loop {
        tokio::select! {
            ended = &mut live => {
                ended?;
                break;
            }
            _ = ticks.tick() => {
                while let Ok(event) = arrivals.try_recv() {
                    arrival(hearth, event, &mut last_problem, out)?;
                }
                out.flush()?;
            }
        }
    }
    while let Ok(event) = arrivals.try_recv() {
        arrival(hearth, event, &mut last_problem, out)?;
    }
    writeln!(out, "Live sync stopped.")?;
    Ok(())
}

/// Prints one change that live sync brought in.
fn arrival(
    hearth: &Hearth,
    event: Event,
    last_problem: &mut Option<String>,
    out: &mut impl Write,
) -> Result<()> {
    match event {
        Event::EntryChanged { id } => match hearth.entry(&id) {
            Ok(entry) => {
                let first_line = entry.body.lines().next().unwrap_or("");
                writeln!(
                    out,
                    "── {}  {}: {}",
                    render::datetime(entry.updated_at_ms),
                    entry.author.name,
                    entry.title.as_deref().unwrap_or(first_line)
                )?;
                writeln!(out, "   id: {}", entry.id)?;
            }
            // Changed again and deleted before we looked: the removal
            // event follows.
            Err(hearth_core::Error::EntryNotFound(_) | hearth_core::Error::EntryDeleted(_)) => {}
            Err(e) => return Err(e.into()),
        },
        Event::EntryRemoved { id } => writeln!(out, "── an entry was deleted (id: {id})")?,
        Event::DocumentChanged { kind, .. } => {
            writeln!(out, "── {}", kind_label(kind))?;
        }
        Event::SyncStatusChanged => {
            let problem = hearth.sync_status()?.last_error;
            if problem != *last_problem {
                match &problem {
                    Some(words) => writeln!(out, "   sync problem: {words} (retrying)")?,
                    None => writeln!(out, "   back in sync")?,
                }
                *last_problem = problem;
            }
        }
    }
    Ok(())
}

/// `hearth status`.
pub fn status(hearth: &Hearth, out: &mut impl Write) -> Result<()> {
    let profile = hearth.profile()?;
    let status = hearth.sync_status()?;
    writeln!(out, "You: {}", profile.me.name)?;
    match (&profile.partner, status.paired) {
        (Some(partner), true) => writeln!(out, "Partner: {} (paired)", partner.name)?,
        _ => writeln!(
            out,
            "Partner: not paired yet (`hearth pair create`, or `hearth pair join CODE`)"
        )?,
    }
    match &status.relay_url {
        Some(url) => writeln!(out, "Relay: {url}")?,
        None => writeln!(out, "Relay: not set (`hearth relay URL`)")?,
    }
    match status.last_synced_at_ms {
        Some(ms) => writeln!(out, "Last sync: {}", render::datetime(ms))?,
        None => writeln!(out, "Last sync: never")?,
    }
    writeln!(out, "Waiting to be sent: {} change(s)", status.pending)?;
    if status.rejected_blobs > 0 {
        writeln!(
            out,
            "Refused from the relay so far: {} item(s) (never applied)",
            status.rejected_blobs
        )?;
    }
    if status.relay_faults > 0 {
        writeln!(
            out,
            "Relay faults so far: {} (deletions, closures or a lost space the relay claimed; nothing was deleted)",
            status.relay_faults
        )?;
        if let Some(fault) = &status.relay_fault {
            writeln!(out, "Last relay fault: {fault}")?;
        }
    }
    if let Some(problem) = &status.last_error {
        writeln!(out, "Last problem: {problem}")?;
    }
    if let Some(notice) = &status.notice {
        writeln!(out, "Notice: {notice}")?;
    }
    if status.closed {
        writeln!(
            out,
            "The shared space was closed: this journal is read-only; you can still read and export it."
        )?;
    }
    Ok(())
}

/// `hearth leave`: asks first on a terminal, unless `--yes`.
pub async fn leave(hearth: &Hearth, yes: bool, out: &mut impl Write) -> Result<()> {
    if !yes
        && !confirm(
            "leaving the shared space",
            "Leave the shared space? The relay erases it; you both keep a read-only copy. This cannot be undone.",
            out,
        )?
    {
        writeln!(out, "Still paired.")?;
        return Ok(());
    }
    with_progress("Leaving", hearth.leave_space()).await?;
    writeln!(
        out,
        "You left the shared space. Your journal stays here, read-only: `hearth export` keeps a copy."
    )?;
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

#[cfg(test)]
mod minutes_tests {
    use super::minutes_left;

    #[test]
    fn the_time_a_code_has_left_reads_in_whole_minutes() {
        assert_eq!(minutes_left(599_000), "10 minutes");
        assert_eq!(minutes_left(600_000), "10 minutes");
        assert_eq!(minutes_left(120_001), "3 minutes");
        assert_eq!(minutes_left(20_000), "minute");
        assert_eq!(minutes_left(-5), "minute");
    }
}
