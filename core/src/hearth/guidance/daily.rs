//! The facade's daily question: the question of a day, answering it and
//! swapping it.

use super::size_u32;
use crate::content::embedded;
use crate::error::{Error, Result};
use crate::guidance::daily::{self, DailyQuestion};
use crate::guidance::{self as store, day, member};
use crate::hearth::Hearth;

impl Hearth {
    /// The question of `day` (the same on both phones) and the answers so
    /// far; the partner's text only once this partner has answered.
    pub fn daily_question(&self, day: &str) -> Result<DailyQuestion> {
        let date = day::parse(day)?;
        self.store.read(|conn| {
            let question = self.question_of(conn, date)?.question;
            let (mine, partner) = daily::answers(conn, &self.member, date, &question.id)?;
            Ok(DailyQuestion {
                day: day::format(date),
                question,
                answers: daily::reveal(mine.as_deref(), partner.as_deref()),
            })
        })
    }

    fn question_of(&self, conn: &rusqlite::Connection, date: time::Date) -> Result<daily::Served> {
        let bank = embedded::question_bank()?;
        let seed = self.space_id(conn)?;
        let size = member::shared_bank_size(conn)?.unwrap_or(size_u32(bank.len()));
        let gentle = store::safety_concern(conn)?;
        daily::served(conn, bank, &seed, size, date, gentle)
    }

    /// Answers (or re-answers) the question of `day`.
    pub fn answer_daily_question(&self, day: &str, text: &str) -> Result<DailyQuestion> {
        let date = day::parse(day)?;
        // A day ahead of UTC is still today somewhere; later is the future.
        let latest = time::OffsetDateTime::from_unix_timestamp(self.now_ms().div_euclid(1000))
            .map_or(time::Date::MAX, |now| now.date())
            .next_day()
            .unwrap_or(time::Date::MAX);
        if date > latest {
            return Err(Error::FutureDay(day::format(date)));
        }
        let who = self.actor();
        self.store.write(|tx| {
            let served = self.question_of(tx, date)?;
            daily::answer(tx, &who, date, &served, text)
        })?;
        self.changed(daily::KIND, daily::doc_id(date));
        self.daily_question(day)
    }

    /// Swaps the question of `day` for another one. Either partner may swap,
    /// as often as they like; both phones land on the same replacement, and
    /// answers to the old question no longer count. Skipping needs nothing:
    /// a question left unanswered costs nothing.
    pub fn swap_daily_question(&self, day: &str) -> Result<DailyQuestion> {
        let date = day::parse(day)?;
        let who = self.actor();
        self.store.write(|tx| {
            let served = self.question_of(tx, date)?;
            daily::swap(tx, &who, date, &served)
        })?;
        self.changed(daily::KIND, daily::doc_id(date));
        self.daily_question(day)
    }
}
