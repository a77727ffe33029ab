//! The facade's monthly check-ins: the guide, recording one, the next due.

use crate::content::checkin::CheckInGuide;
use crate::content::embedded;
use crate::error::Result;
use crate::guidance::checkin::CheckInDue;
use crate::guidance::{checkin as held, day, member};
use crate::hearth::Hearth;

impl Hearth {
    /// The monthly check-in's guide and listening rules.
    pub fn check_in_guide(&self) -> Result<CheckInGuide> {
        Ok(embedded::checkin()?.clone())
    }

    /// Records that the couple held their check-in on `day`.
    pub fn record_check_in(&self, day: &str) -> Result<CheckInDue> {
        let date = day::parse(day)?;
        let who = self.actor();
        self.store.write(|tx| held::record(tx, &who, date, None))?;
        self.changed(held::KIND, held::DOC_ID);
        self.next_check_in(day)
    }

    /// Records that the couple held their check-in on `day`, with how this
    /// partner found the month, from 1 (hard) to 5 (good). Both partners
    /// see the ratings; hard months in a row bring up professional help.
    pub fn record_check_in_rated(&self, day: &str, month: u32) -> Result<CheckInDue> {
        let date = day::parse(day)?;
        let who = self.actor();
        self.store
            .write(|tx| held::record(tx, &who, date, Some(month)))?;
        self.changed(held::KIND, held::DOC_ID);
        self.next_check_in(day)
    }

    /// When the next check-in is due, seen from `day`.
    pub fn next_check_in(&self, day: &str) -> Result<CheckInDue> {
        let today = day::parse(day)?;
        self.store.read(|conn| {
            let last = held::last(conn)?;
            let started = member::started_at(conn)?
                .and_then(|ms| time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok())
                .map_or(today, |t| t.date());
            Ok(CheckInDue {
                due_on: day::format(held::next_due(last, started)),
                is_due: held::is_due(last, started, today),
                last_held: last.map(day::format),
            })
        })
    }
}
