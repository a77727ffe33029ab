//! Calendar days as the shells pass them: `YYYY-MM-DD`, the partner's local
//! date (a daily question belongs to the day the person is living).

use time::{Date, Month};

use crate::error::{Error, Result};

/// Parses `YYYY-MM-DD`.
pub fn parse(text: &str) -> Result<Date> {
    let invalid = || Error::InvalidDate(text.to_owned());
    let mut parts = text.trim().splitn(3, '-');
    let mut next = || -> Result<i32> {
        parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(invalid)
    };
    let (year, month, day) = (next()?, next()?, next()?);
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(invalid)?;
    let day = u8::try_from(day).map_err(|_| invalid())?;
    Date::from_calendar_date(year, month, day).map_err(|_| invalid())
}

/// Formats as `YYYY-MM-DD`.
pub fn format(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_nonsense_is_refused() {
        let d = parse("2026-02-28").unwrap();
        assert_eq!(format(d), "2026-02-28");
        for bad in ["2026-02-30", "2026-13-01", "yesterday", "2026-1", ""] {
            assert!(matches!(parse(bad), Err(Error::InvalidDate(_))), "{bad}");
        }
    }
}
