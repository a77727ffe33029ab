//! The daily question: the bank from core/content/questions.toml and the
//! choice of today's question, which both phones make on their own and get
//! the same answer.

use serde::{Deserialize, Serialize};
use time::Date;

use super::check::{self, Problems};
use super::error::ContentError;
use super::seed::{SplitMix64, permutation};
use super::taxonomy::Dimension;

/// The bank must hold at least this many questions, so no question comes
/// back within a year.
pub const MIN_QUESTIONS: usize = 365;

/// The longest a question may be, in characters.
pub const MAX_QUESTION_CHARS: usize = 200;

/// A daily question that cannot be chosen with the size asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuestionError {
    /// The couple's schedule runs over more questions than this app has.
    #[error(
        "the couple's question list has {needed} questions but this app knows {have}; update the app to see today's question"
    )]
    BankTooSmall {
        /// The size the couple runs on.
        needed: u32,
        /// The size of this app's bank.
        have: u32,
    },
    /// A size too small to keep questions from repeating within a year.
    #[error("a question list of {size} would repeat within a year; use at least 365 questions")]
    TooShort {
        /// The size asked for.
        size: u32,
    },
}

/// How much a question asks of the couple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Depth {
    /// Easy and playful, fine on any day.
    Light,
    /// Reflective.
    Medium,
    /// Vulnerable.
    Deep,
}

/// One daily question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable forever: saved answers reference it (`q0001`, `q0002`, ...).
    pub id: String,
    /// Never `Sexual`: the daily question is shown to everyone.
    pub dimension: Dimension,
    /// How much it asks.
    pub depth: Depth,
    /// The question, ending in "?".
    pub text: String,
    /// Retired: never served once the couple's bank size reaches this
    /// (the size of the first bank that retired it). Retired questions keep
    /// their place, so ids and older banks stay as they were, and a couple
    /// on an older, smaller bank still gets the same question on both
    /// phones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_from: Option<u32>,
}

impl Question {
    /// Whether the question is served in a bank of `bank_size`.
    pub fn live_at(&self, bank_size: u32) -> bool {
        self.retired_from.is_none_or(|from| bank_size < from)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    question: Vec<Question>,
}

/// The whole bank, sorted by id so the daily order does not change when
/// someone reorders the file.
#[derive(Debug, Clone)]
pub struct QuestionBank {
    questions: Vec<Question>,
}

impl QuestionBank {
    /// Parses and checks a bank in the questions.toml format.
    pub fn parse(file: &'static str, text: &str) -> Result<Self, ContentError> {
        let parsed: QuestionFile = check::parse(file, text)?;
        let mut questions = parsed.question;
        questions.sort_by(|a, b| a.id.cmp(&b.id));
        let bank = QuestionBank { questions };
        bank.validate(file)?;
        Ok(bank)
    }

    fn validate(&self, file: &'static str) -> Result<(), ContentError> {
        let mut p = Problems::new(file);
        let size = u32::try_from(self.questions.len()).unwrap_or(u32::MAX);
        let live = self.questions.iter().filter(|q| q.live_at(size)).count();
        if live < MIN_QUESTIONS {
            p.push(format!(
                "the bank holds {live} questions in use; it needs at least {MIN_QUESTIONS} so none repeats within a year"
            ));
        }
        p.unique("question", self.questions.iter().map(|q| q.id.as_str()));
        // A shorter, older bank must be a prefix of a newer one (see
        // question_for_sized), so ids run q0001, q0002, ... without gaps.
        for (i, q) in self.questions.iter().enumerate() {
            let expected = format!("q{:04}", i + 1);
            if q.id != expected {
                p.push(format!(
                    "question ids must run q0001, q0002, ... without gaps; found {:?} where {expected} belongs",
                    q.id
                ));
                break;
            }
        }
        for q in &self.questions {
            let digits = q.id.strip_prefix('q').unwrap_or("");
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                p.push(format!(
                    "question id {:?} must be q followed by four digits",
                    q.id
                ));
            }
            p.text(&q.id, "text", &q.text);
            if !q.text.ends_with('?') {
                p.push(format!("{}: text must end with '?'", q.id));
            }
            if q.text.chars().count() > MAX_QUESTION_CHARS {
                p.push(format!(
                    "{}: text is longer than {MAX_QUESTION_CHARS} characters",
                    q.id
                ));
            }
            if q.retired_from
                .is_some_and(|from| from as usize > self.questions.len())
            {
                p.push(format!(
                    "{}: retired_from is above the bank size, so it would never take effect",
                    q.id
                ));
            }
            if q.dimension == Dimension::Sexual {
                p.push(format!(
                    "{}: the daily bank is shown to everyone, so it has no sexual questions",
                    q.id
                ));
            }
        }
        p.finish()
    }

    /// The question of the day for a couple, over the whole bank.
    /// `couple_seed` is the space id, which both partners share, so both
    /// phones pick the same question. Within any run of consecutive days as
    /// long as the bank (at least a year), no question repeats.
    ///
    /// Both phones must run the same bank size to agree. When the app may
    /// be on different versions (the bank only grows), use
    /// [`QuestionBank::question_for_sized`] with a size the couple shares.
    pub fn question_for(&self, couple_seed: &str, date: Date) -> &Question {
        let size = u32::try_from(self.questions.len()).unwrap_or(u32::MAX);
        self.question_for_sized(couple_seed, date, size)
            .unwrap_or(&FALLBACK)
    }

    /// The question of the day over the first `bank_size` questions (by
    /// id). Ids are only ever appended, so an older bank is a prefix of a
    /// newer one: the lead keeps the size the couple runs on in their space
    /// document (the smaller of the two phones' [`QuestionBank::len`]) and
    /// raises it once both phones have the newer bank. Changing the size
    /// starts a new order, so raise it rarely (for example once a year).
    pub fn question_for_sized(
        &self,
        couple_seed: &str,
        date: Date,
        bank_size: u32,
    ) -> Result<&Question, QuestionError> {
        let have = u32::try_from(self.questions.len()).unwrap_or(u32::MAX);
        if bank_size > have {
            return Err(QuestionError::BankTooSmall {
                needed: bank_size,
                have,
            });
        }
        if (bank_size as usize) < MIN_QUESTIONS {
            return Err(QuestionError::TooShort { size: bank_size });
        }
        let (order, slot) = self.order_and_slot(couple_seed, date, bank_size)?;
        order
            .get(slot)
            .copied()
            .ok_or(QuestionError::TooShort { size: bank_size })
    }

    /// The couple's order over the live questions among the first
    /// `bank_size`, and the position of `date` in it.
    fn order_and_slot(
        &self,
        couple_seed: &str,
        date: Date,
        bank_size: u32,
    ) -> Result<(Vec<&Question>, usize), QuestionError> {
        let order: Vec<&Question> =
            permutation(bank_size as usize, &mut SplitMix64::from_text(couple_seed))
                .into_iter()
                .filter_map(|i| self.questions.get(i))
                .filter(|q| q.live_at(bank_size))
                .collect();
        if order.len() < MIN_QUESTIONS {
            return Err(QuestionError::TooShort { size: bank_size });
        }
        // Day d gets position d mod size; rem_euclid keeps any date in range.
        let live = i64::try_from(order.len()).unwrap_or(i64::MAX);
        let slot = i64::from(date.to_julian_day()).rem_euclid(live) as usize;
        Ok((order, slot))
    }

    /// The question of the day after the couple swapped it `swaps` times
    /// (either partner may swap; the day's shared document adds up both
    /// partners' swaps, so both phones land on the same question).
    ///
    /// Replacements come from the far side of the couple's yearly order,
    /// so they are not questions due in the next few weeks, and are never
    /// deep ones: someone swaps because today's question did not fit.
    pub fn swapped_for_sized(
        &self,
        couple_seed: &str,
        date: Date,
        bank_size: u32,
        swaps: u32,
    ) -> Result<&Question, QuestionError> {
        let first = self.question_for_sized(couple_seed, date, bank_size)?;
        if swaps == 0 {
            return Ok(first);
        }
        let (order, slot) = self.order_and_slot(couple_seed, date, bank_size)?;
        let size = order.len();
        let start = slot + size / 2;
        let replacements: Vec<&Question> = (start..start + size)
            .filter_map(|i| order.get(i % size).copied())
            .filter(|q| q.depth != Depth::Deep && q.id != first.id)
            .collect();
        let n = replacements.len();
        if n == 0 {
            return Ok(first);
        }
        // Past the end of the list, the walk starts over.
        let k = (swaps as usize - 1) % n;
        replacements
            .get(k)
            .copied()
            .ok_or(QuestionError::TooShort { size: bank_size })
    }

    /// The questions served at the bank's full size (retired ones left
    /// out), sorted by id.
    pub fn live(&self) -> impl Iterator<Item = &Question> {
        let size = u32::try_from(self.questions.len()).unwrap_or(u32::MAX);
        self.questions.iter().filter(move |q| q.live_at(size))
    }

    /// Every question, retired ones included, sorted by id.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// A question by id (to show it next to a saved answer).
    pub fn get(&self, id: &str) -> Option<&Question> {
        self.questions
            .binary_search_by(|q| q.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.questions.get(i))
    }

    /// How many questions there are.
    pub fn len(&self) -> usize {
        self.questions.len()
    }

    /// Whether the bank is empty (never true for a validated bank).
    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }
}

static FALLBACK: Question = Question {
    id: String::new(),
    dimension: Dimension::Emotional,
    depth: Depth::Light,
    text: String::new(),
    retired_from: None,
};

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::HashSet;

    use time::{Duration, Month};

    use super::*;

    /// A synthetic bank in the real format, for the rules that do not need
    /// the real text.
    pub(crate) fn fixture(n: usize) -> String {
        let mut s = String::from("# fixture\n");
        for i in 1..=n {
            s.push_str(&format!(
                "[[question]]\nid = \"q{i:04}\"\ndimension = \"emotional\"\ndepth = \"light\"\ntext = \"Question {i}?\"\n"
            ));
        }
        s
    }

    fn day(y: i32, m: Month, d: u8) -> Date {
        Date::from_calendar_date(y, m, d).unwrap()
    }

    #[test]
    fn same_couple_and_date_give_the_same_question() {
        let bank = QuestionBank::parse("fixture", &fixture(400)).unwrap();
        // Two phones: two separately parsed banks, the same seed.
        let other_phone = QuestionBank::parse("fixture", &fixture(400)).unwrap();
        let d = day(2025, Month::March, 14);
        assert_eq!(
            bank.question_for("space-1", d).id,
            other_phone.question_for("space-1", d).id
        );
    }

    #[test]
    fn no_repeat_within_any_365_days() {
        let bank = QuestionBank::parse("fixture", &fixture(370)).unwrap();
        let start = day(2024, Month::February, 20);
        let ids: Vec<&str> = (0..800)
            .map(|i| {
                bank.question_for("space-x", start + Duration::days(i))
                    .id
                    .as_str()
            })
            .collect();
        for window in ids.windows(365) {
            let distinct: HashSet<_> = window.iter().collect();
            assert_eq!(distinct.len(), 365);
        }
        // And it does cycle through the whole bank.
        let all: HashSet<_> = ids.iter().collect();
        assert_eq!(all.len(), 370);
    }

    #[test]
    fn different_couples_get_different_orders() {
        let bank = QuestionBank::parse("fixture", &fixture(400)).unwrap();
        let d = day(2025, Month::June, 1);
        let a: Vec<_> = (0..30)
            .map(|i| bank.question_for("a", d + Duration::days(i)).id.clone())
            .collect();
        let b: Vec<_> = (0..30)
            .map(|i| bank.question_for("b", d + Duration::days(i)).id.clone())
            .collect();
        assert_ne!(a, b);
    }

    #[test]
    fn file_order_does_not_change_the_choice() {
        let text = fixture(380);
        let mut blocks: Vec<&str> = text.split("[[question]]").skip(1).collect();
        blocks.reverse();
        let reversed = format!("[[question]]{}", blocks.join("[[question]]"));
        let a = QuestionBank::parse("fixture", &text).unwrap();
        let b = QuestionBank::parse("fixture", &reversed).unwrap();
        let d = day(2026, Month::January, 9);
        assert_eq!(a.question_for("s", d).id, b.question_for("s", d).id);
    }

    #[test]
    fn matches_an_independent_implementation() {
        // Expected values computed with a separate Python implementation of
        // FNV-1a, SplitMix64 and the same Fisher-Yates walk: phones on any
        // platform and any app version must land on the same question.
        let d = day(2026, Month::February, 14);
        assert_eq!(d.to_julian_day(), 2_461_086);
        let bank = QuestionBank::parse("fixture", &fixture(440)).unwrap();
        assert_eq!(bank.question_for("space-7d1c", d).id, "q0415");
    }

    #[test]
    fn phones_on_different_versions_agree_on_a_shared_size() {
        let old_phone = QuestionBank::parse("fixture", &fixture(380)).unwrap();
        let new_phone = QuestionBank::parse("fixture", &fixture(420)).unwrap();
        let start = day(2025, Month::July, 1);
        for i in 0..400 {
            let d = start + Duration::days(i);
            let a = old_phone.question_for_sized("s", d, 380).unwrap();
            let b = new_phone.question_for_sized("s", d, 380).unwrap();
            assert_eq!(a.id, b.id);
            assert!(b.id.as_str() <= "q0380", "only the shared prefix is used");
        }
        assert_eq!(
            old_phone.question_for_sized("s", start, 420),
            Err(QuestionError::BankTooSmall {
                needed: 420,
                have: 380
            })
        );
        assert_eq!(
            new_phone.question_for_sized("s", start, 364),
            Err(QuestionError::TooShort { size: 364 })
        );
    }

    #[test]
    fn swaps_lead_both_phones_to_the_same_lighter_question() {
        let mut text = fixture(400);
        // Make every tenth question deep.
        for i in (10..=400).step_by(10) {
            text = text.replace(
                &format!("id = \"q{i:04}\"\ndimension = \"emotional\"\ndepth = \"light\""),
                &format!("id = \"q{i:04}\"\ndimension = \"emotional\"\ndepth = \"deep\""),
            );
        }
        let bank = QuestionBank::parse("fixture", &text).unwrap();
        let other_phone = QuestionBank::parse("fixture", &text).unwrap();
        let d = day(2026, Month::March, 3);
        let first = bank.swapped_for_sized("s", d, 400, 0).unwrap();
        assert_eq!(first, bank.question_for_sized("s", d, 400).unwrap());
        let mut seen = vec![first.id.clone()];
        for swaps in 1..=20 {
            let q = bank.swapped_for_sized("s", d, 400, swaps).unwrap();
            assert_eq!(
                q,
                other_phone.swapped_for_sized("s", d, 400, swaps).unwrap()
            );
            assert_ne!(q.depth, Depth::Deep, "a swap never brings a deep question");
            assert!(!seen.contains(&q.id), "each swap brings a new question");
            seen.push(q.id.clone());
        }
        // Not one of the questions due in the next weeks.
        let soon: Vec<_> = (1..30)
            .map(|i| {
                bank.question_for_sized("s", d + Duration::days(i), 400)
                    .unwrap()
                    .id
                    .clone()
            })
            .collect();
        let swapped = &bank.swapped_for_sized("s", d, 400, 1).unwrap().id;
        assert!(!soon.contains(swapped));
    }

    #[test]
    fn retired_questions_leave_newer_banks_but_not_older_ones() {
        let mut text = fixture(380);
        // q0005 was retired by the bank of 371 questions.
        text = text.replace(
            "id = \"q0005\"\ndimension = \"emotional\"\ndepth = \"light\"\n",
            "id = \"q0005\"\ndimension = \"emotional\"\ndepth = \"light\"\nretired_from = 371\n",
        );
        let bank = QuestionBank::parse("fixture", &text).unwrap();
        let old_phone = QuestionBank::parse("fixture", &fixture(370)).unwrap();
        let start = day(2026, Month::April, 1);
        let new_days: Vec<_> = (0..400)
            .map(|i| {
                bank.question_for_sized("s", start + Duration::days(i), 380)
                    .unwrap()
                    .id
                    .clone()
            })
            .collect();
        assert!(!new_days.iter().any(|id| id == "q0005"));
        // Still no repeat within a year among the live questions.
        for w in new_days.windows(365) {
            assert_eq!(w.iter().collect::<HashSet<_>>().len(), 365);
        }
        // A couple still on the older bank size: both phones agree, q0005 included.
        let mut seen_retired = false;
        for i in 0..370 {
            let d = start + Duration::days(i);
            let a = bank.question_for_sized("s", d, 370).unwrap();
            let b = old_phone.question_for_sized("s", d, 370).unwrap();
            assert_eq!(a.id, b.id);
            seen_retired |= a.id == "q0005";
        }
        assert!(seen_retired);
        assert_eq!(bank.live().count(), 379);
    }

    #[test]
    fn ids_must_run_without_gaps() {
        let text = fixture(366).replace("q0200", "q0999");
        let Err(ContentError::Invalid { problems, .. }) = QuestionBank::parse("fixture", &text)
        else {
            panic!("expected Invalid");
        };
        assert!(
            problems.iter().any(|p| p.contains("without gaps")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_short_bank_is_rejected() {
        let err = QuestionBank::parse("fixture", &fixture(364)).unwrap_err();
        assert!(err.to_string().contains("at least 365"), "{err}");
    }

    #[test]
    fn bad_questions_are_rejected_with_their_ids() {
        let mut text = fixture(365);
        text.push_str("[[question]]\nid = \"q0366\"\ndimension = \"sexual\"\ndepth = \"deep\"\ntext = \"No question mark\"\n");
        text.push_str("[[question]]\nid = \"q0001\"\ndimension = \"dream\"\ndepth = \"deep\"\ntext = \"Again?\"\n");
        let Err(ContentError::Invalid { problems, .. }) = QuestionBank::parse("fixture", &text)
        else {
            panic!("expected Invalid");
        };
        let all = problems.join("\n");
        assert!(all.contains("q0366: text must end with '?'"), "{all}");
        assert!(
            all.contains("q0366: the daily bank is shown to everyone"),
            "{all}"
        );
        assert!(all.contains("\"q0001\" is used more than once"), "{all}");
    }

    #[test]
    fn unknown_fields_are_a_parse_error() {
        let text = "[[question]]\nid = \"q0001\"\ndimension = \"dream\"\ndepth = \"deep\"\ntext = \"Hi?\"\ncolour = \"red\"\n";
        assert!(matches!(
            QuestionBank::parse("fixture", text),
            Err(ContentError::Parse { .. })
        ));
    }

    #[test]
    fn get_finds_by_id() {
        let bank = QuestionBank::parse("fixture", &fixture(365)).unwrap();
        assert_eq!(bank.get("q0042").unwrap().text, "Question 42?");
        assert!(bank.get("q9999").is_none());
    }
}
