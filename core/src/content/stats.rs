//! The size and coverage of the embedded content as labelled counts, in the
//! order `hearth content-stats` and the `content_stats` example print them:
//! exercises, questions, exercises per dimension and per barrier, then the
//! rest.

use super::ContentError;
use super::embedded;
use super::taxonomy::{Barrier, Dimension};

/// One labelled count, printed as `label: count`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub label: String,
    pub count: usize,
}

/// Every count, after checking all embedded content (a content file that
/// fails its checks is an error here, as it is for the app).
pub fn counts() -> Result<Vec<Count>, ContentError> {
    embedded::validate_all()?;
    let catalog = embedded::catalog()?;
    let bank = embedded::question_bank()?;
    let exercises = catalog.exercises();
    let mut out = Vec::new();
    let mut push = |label: String, count: usize| out.push(Count { label, count });

    push("exercises".into(), catalog.len());
    push("questions".into(), bank.live().count());
    for d in Dimension::ALL {
        push(format!("dimension {}", d.key()), catalog.count_serving(d));
    }
    for b in Barrier::ALL {
        push(format!("barrier {}", b.key()), catalog.count_addressing(b));
    }
    push(
        "sensitive exercises".into(),
        exercises.iter().filter(|e| e.sensitive).count(),
    );
    push(
        "turn-based drills".into(),
        exercises.iter().filter(|e| e.drill.is_some()).count(),
    );
    push(
        "personal exercises".into(),
        exercises.iter().filter(|e| e.personal).count(),
    );
    push(
        "exercises saying why they help".into(),
        exercises
            .iter()
            .filter(|e| !e.why_this_helps.trim().is_empty())
            .count(),
    );
    push("questions retired".into(), bank.len() - bank.live().count());
    // The bank holds no sexual questions: the daily question is for everyone.
    for d in Dimension::ALL
        .into_iter()
        .filter(|d| *d != Dimension::Sexual)
    {
        let n = bank.live().filter(|q| q.dimension == d).count();
        push(format!("questions {}", d.key()), n);
    }

    let a = embedded::assessments()?;
    push("intimacy items".into(), a.intimacy.items.len());
    push("love-language items".into(), a.love_languages.items.len());
    push("attachment items".into(), a.attachment.items.len());
    push("barrier-sign items".into(), a.barrier_signs.items.len());
    push(
        "professional-help items".into(),
        a.professional_help.items.len(),
    );
    push("communication items".into(), a.communication.items.len());
    for p in embedded::programs()?.all() {
        push(format!("program {} days", p.id), p.days.len());
    }
    push(
        "check-in sections".into(),
        embedded::checkin()?.sections.len(),
    );
    push("date ideas".into(), embedded::date_ideas()?.len());
    push("game prompts".into(), embedded::game()?.len());
    let safety = embedded::safety()?;
    push("safety items".into(), safety.items.len());
    push("help resources".into(), safety.resources.len());
    Ok(out)
}

/// Words, sentences and syllables in a text, for a reading grade. The
/// syllable count is the usual estimate (groups of vowels, a silent final
/// "e" left out), good enough to keep texts plain, not to rank them.
pub fn readability_counts(text: &str) -> (usize, usize, usize) {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let sentences = text
        .split(['.', '?', '!', ';', ':'])
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .count()
        .max(1);
    let syllables = words.iter().map(|w| syllables_in(w)).sum();
    (words.len(), sentences, syllables)
}

fn syllables_in(word: &str) -> usize {
    let w = word.to_lowercase();
    let vowel = |c: char| "aeiouy".contains(c);
    let mut groups = 0;
    let mut in_group = false;
    for c in w.chars() {
        let v = vowel(c);
        if v && !in_group {
            groups += 1;
        }
        in_group = v;
    }
    if w.ends_with('e') && !w.ends_with("le") && groups > 1 {
        groups -= 1;
    }
    groups.max(1)
}

/// The Flesch-Kincaid grade level of texts with these counts.
pub fn grade_level(words: usize, sentences: usize, syllables: usize) -> f64 {
    if words == 0 {
        return 0.0;
    }
    let (w, s, y) = (words as f64, sentences.max(1) as f64, syllables as f64);
    0.39 * (w / s) + 11.8 * (y / w) - 15.59
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(all: &[Count], label: &str) -> usize {
        all.iter()
            .find(|c| c.label == label)
            .map_or_else(|| panic!("no count labelled {label}"), |c| c.count)
    }

    #[test]
    fn opens_with_exercises_and_questions_then_every_dimension_and_barrier() {
        let all = counts().unwrap();
        assert_eq!(all[0].label, "exercises");
        assert_eq!(all[1].label, "questions");
        assert!(all[0].count >= 80 && all[1].count >= 365);
        let labels: Vec<&str> = all.iter().map(|c| c.label.as_str()).collect();
        let expected: Vec<String> = Dimension::ALL
            .iter()
            .map(|d| format!("dimension {}", d.key()))
            .chain(Barrier::ALL.iter().map(|b| format!("barrier {}", b.key())))
            .collect();
        assert_eq!(labels[2..2 + expected.len()], expected);
    }

    #[test]
    fn counts_agree_with_the_catalog() {
        let all = counts().unwrap();
        let catalog = embedded::catalog().unwrap();
        assert_eq!(count(&all, "exercises"), catalog.exercises().len());
        for d in Dimension::ALL {
            let serving = catalog
                .exercises()
                .iter()
                .filter(|e| e.dimensions.contains(&d))
                .count();
            assert_eq!(count(&all, &format!("dimension {}", d.key())), serving);
            assert!(serving >= 5, "{} is served by {serving}", d.key());
        }
        for b in Barrier::ALL {
            assert!(count(&all, &format!("barrier {}", b.key())) >= 3);
        }
    }
}
