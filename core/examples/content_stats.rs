//! Prints the size and coverage of Hearth's embedded content, one count per
//! line: exercises, questions, exercises per dimension and per barrier, then
//! the rest, and last two timings (meaningful with `--release`).
//! Run with `cargo run -p hearth-core --example content_stats`.

use std::time::Instant;

use hearth_core::content::embedded;
use hearth_core::content::taxonomy::{Barrier, Dimension};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // First use parses and checks every embedded file, as the app does.
    let started = Instant::now();
    embedded::validate_all()?;
    let load = started.elapsed();

    let catalog = embedded::catalog()?;
    let bank = embedded::question_bank()?;
    println!("exercises: {}", catalog.len());
    println!("questions: {}", bank.len());
    for d in Dimension::ALL {
        println!("dimension {}: {}", d.key(), catalog.count_serving(d));
    }
    for b in Barrier::ALL {
        println!("barrier {}: {}", b.key(), catalog.count_addressing(b));
    }

    let sensitive = catalog.exercises().iter().filter(|e| e.sensitive).count();
    let drills = catalog
        .exercises()
        .iter()
        .filter(|e| e.drill.is_some())
        .count();
    let personal = catalog.exercises().iter().filter(|e| e.personal).count();
    println!("sensitive exercises: {sensitive}");
    println!("turn-based drills: {drills}");
    println!("personal exercises: {personal}");
    for d in Dimension::ALL {
        let n = bank.questions().iter().filter(|q| q.dimension == d).count();
        if d != Dimension::Sexual {
            println!("questions {}: {n}", d.key());
        }
    }

    let a = embedded::assessments()?;
    println!("intimacy items: {}", a.intimacy.items.len());
    println!("love-language items: {}", a.love_languages.items.len());
    println!("attachment items: {}", a.attachment.items.len());
    println!("barrier-sign items: {}", a.barrier_signs.items.len());
    println!(
        "professional-help items: {}",
        a.professional_help.items.len()
    );
    for p in embedded::programs()?.all() {
        println!("program {} days: {}", p.id, p.days.len());
    }
    println!("check-in sections: {}", embedded::checkin()?.sections.len());
    println!("date ideas: {}", embedded::date_ideas()?.len());
    let safety = embedded::safety()?;
    println!("safety items: {}", safety.items.len());
    println!("help resources: {}", safety.resources.len());

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
