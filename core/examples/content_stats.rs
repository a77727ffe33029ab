//! Prints the size and coverage of Hearth's embedded content, one count per
//! line: exercises, questions, exercises per dimension and per barrier, then
//! the rest, and last two timings (meaningful with `--release`).
//! Run with `cargo run -p hearth-core --example content_stats`; `hearth
//! content-stats` prints the same counts without the timings.

use std::time::Instant;

use hearth_core::content::{embedded, stats};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // First use parses and checks every embedded file, as the app does.
    let started = Instant::now();
    embedded::validate_all()?;
    let load = started.elapsed();

    for c in stats::counts()? {
        println!("{}: {}", c.label, c.count);
    }

    let bank = embedded::question_bank()?;
    let day = time::Date::from_calendar_date(2025, time::Month::January, 1)?;
    let calls: u32 = 2_000;
    let started = Instant::now();
    let mut chars = 0;
    for i in 0..calls {
        let q = bank.question_for("a-space-id", day + time::Duration::days(i64::from(i)));
        chars += q.text.len();
    }
    let per_call = started.elapsed() / calls;
    println!(
        "load and check all content (ms): {:.2}",
        load.as_secs_f64() * 1e3
    );
    println!(
        "question of the day (us per call): {:.2}",
        per_call.as_secs_f64() * 1e6
    );
    // Keeps the loop from being optimised away.
    std::hint::black_box(chars);
    Ok(())
}
