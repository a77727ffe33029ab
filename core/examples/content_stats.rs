//! Prints the size and coverage of Hearth's embedded content, one count per
//! line: exercises, questions, exercises per dimension and per barrier, then
//! the rest. Run with `cargo run -p hearth-core --example content_stats`.

use hearth_core::content::ContentError;
use hearth_core::content::embedded;
use hearth_core::content::taxonomy::{Barrier, Dimension};

fn main() -> Result<(), ContentError> {
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
    Ok(())
}
