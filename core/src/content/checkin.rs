//! The monthly check-in: its guided structure (core/content/checkin.toml)
//! and when the next one is due. The shell schedules the reminder.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use super::check::{self, Problems};
use super::error::ContentError;

/// The five parts of a check-in, in the order they are talked through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CheckInTopic {
    /// How each of you has been feeling.
    Feelings,
    /// What is weighing on you.
    Worries,
    /// Thoughts about the two of you.
    Us,
    /// What you appreciated this month.
    Appreciation,
    /// One wish for the month ahead.
    Wish,
}

impl CheckInTopic {
    /// All five, in order.
    pub const ALL: [CheckInTopic; 5] = [
        CheckInTopic::Feelings,
        CheckInTopic::Worries,
        CheckInTopic::Us,
        CheckInTopic::Appreciation,
        CheckInTopic::Wish,
    ];
}

/// One part of the check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CheckInSection {
    /// Which part.
    pub topic: CheckInTopic,
    /// Title.
    pub title: String,
    /// What the person speaking is invited to say.
    pub prompt: String,
    /// A reminder for the person listening.
    pub listener_hint: String,
}

/// The guided structure of a check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CheckInGuide {
    /// Title.
    pub title: String,
    /// What the check-in is and how it goes.
    pub intro: String,
    /// About how long it takes.
    pub minutes: u32,
    /// The listening rules, shown before you start.
    pub listening_rules: Vec<String>,
    /// The five parts, in order.
    pub sections: Vec<CheckInSection>,
    /// Shown at the end.
    pub closing: String,
}

impl CheckInGuide {
    /// Parses and checks checkin.toml.
    pub fn parse(file: &'static str, text: &str) -> Result<Self, ContentError> {
        let g: CheckInGuide = check::parse(file, text)?;
        let mut p = Problems::new(file);
        p.text("check-in", "title", &g.title);
        p.text("check-in", "intro", &g.intro);
        p.text("check-in", "closing", &g.closing);
        p.texts("check-in", "listening_rules", &g.listening_rules);
        if g.minutes == 0 {
            p.push("check-in: minutes must be above zero");
        }
        let topics: Vec<CheckInTopic> = g.sections.iter().map(|s| s.topic).collect();
        if topics != CheckInTopic::ALL {
            p.push(format!(
                "check-in: sections must be {:?} in that order, found {topics:?}",
                CheckInTopic::ALL
            ));
        }
        for s in &g.sections {
            let owner = format!("check-in {:?}", s.topic);
            p.text(&owner, "title", &s.title);
            p.text(&owner, "prompt", &s.prompt);
            p.text(&owner, "listener_hint", &s.listener_hint);
        }
        p.finish()?;
        Ok(g)
    }
}

/// The same day one month later, or the month's last day when it is
/// shorter (31 January is followed by 28 or 29 February).
pub fn one_month_after(date: Date) -> Date {
    let (year, month) = match date.month() {
        Month::December => (date.year() + 1, Month::January),
        m => (date.year(), m.next()),
    };
    let day = date.day().min(month.length(year));
    // Every part is in range by construction; the fallback only guards the
    // end of the calendar the `time` crate supports.
    Date::from_calendar_date(year, month, day).unwrap_or(date + Duration::days(30))
}

/// When the next check-in is due: one month after the last one, or on the
/// day the couple started if they have never had one. A due date in the
/// past means it is due now; the shell reminds, never nags.
///
/// ```
/// use hearth_core::content::checkin::next_due;
/// use time::{Date, Month};
///
/// let d = |m, day| Date::from_calendar_date(2025, m, day).unwrap();
/// assert_eq!(next_due(Some(d(Month::January, 31)), d(Month::January, 1)), d(Month::February, 28));
/// assert_eq!(next_due(None, d(Month::May, 3)), d(Month::May, 3));
/// ```
pub fn next_due(last_done: Option<Date>, started_on: Date) -> Date {
    match last_done {
        Some(last) => one_month_after(last),
        None => started_on,
    }
}

/// Whether a check-in is due today.
pub fn is_due(last_done: Option<Date>, started_on: Date, today: Date) -> bool {
    next_due(last_done, started_on) <= today
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::embedded;

    fn d(y: i32, m: Month, day: u8) -> Date {
        Date::from_calendar_date(y, m, day).unwrap()
    }

    #[test]
    fn due_one_month_after_the_last() {
        assert_eq!(
            next_due(Some(d(2025, Month::March, 14)), d(2024, Month::May, 1)),
            d(2025, Month::April, 14)
        );
        assert_eq!(
            one_month_after(d(2025, Month::December, 20)),
            d(2026, Month::January, 20)
        );
    }

    #[test]
    fn short_months_clamp_to_their_last_day() {
        assert_eq!(
            one_month_after(d(2025, Month::January, 31)),
            d(2025, Month::February, 28)
        );
        assert_eq!(
            one_month_after(d(2024, Month::January, 30)),
            d(2024, Month::February, 29)
        );
        assert_eq!(
            one_month_after(d(2025, Month::August, 31)),
            d(2025, Month::September, 30)
        );
    }

    #[test]
    fn the_first_one_is_due_from_the_start() {
        let start = d(2025, Month::June, 2);
        assert_eq!(next_due(None, start), start);
        assert!(is_due(None, start, start));
        assert!(!is_due(None, start, d(2025, Month::June, 1)));
        let last = d(2025, Month::June, 10);
        assert!(!is_due(Some(last), start, d(2025, Month::July, 9)));
        assert!(is_due(Some(last), start, d(2025, Month::July, 10)));
        assert!(
            is_due(Some(last), start, d(2025, Month::September, 1)),
            "overdue stays due"
        );
    }

    #[test]
    fn the_guide_has_the_five_parts() {
        let g = embedded::checkin().unwrap();
        let topics: Vec<_> = g.sections.iter().map(|s| s.topic).collect();
        assert_eq!(topics, CheckInTopic::ALL);
        assert!(g.listening_rules.len() >= 3);
    }
}
