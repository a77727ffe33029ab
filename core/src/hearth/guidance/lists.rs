//! The facade's small shared lists: goals, the date jar and appreciation
//! notes.

use crate::content::date_jar::DateSuggestion;
use crate::content::embedded;
use crate::content::seed::RandomSource;
use crate::error::{Error, Result};
use crate::guidance::appreciation::{self, Appreciation};
use crate::guidance::date_jar::{self, DateIdea};
use crate::guidance::day;
use crate::guidance::goal::{self, Goal, GoalStatus, ready_to_pick};
use crate::hearth::Hearth;

impl Hearth {
    /// Adds an idea to the goals brainstorm.
    pub fn add_goal(&self, text: &str) -> Result<Goal> {
        let who = self.actor();
        let id = self.store.write(|tx| goal::add_goal(tx, &who, text))?;
        self.changed(goal::KIND, id.clone());
        self.goal(&id)
    }

    fn goal(&self, id: &str) -> Result<Goal> {
        self.goals()?
            .into_iter()
            .find(|g| g.id == id)
            .ok_or_else(|| Error::NotFound {
                what: "goal",
                id: id.to_owned(),
            })
    }

    /// Every goal, oldest first.
    pub fn goals(&self) -> Result<Vec<Goal>> {
        self.store.read(|conn| goal::goals(conn, &self.people()))
    }

    /// Whether both partners have added ideas, so the couple can pick.
    pub fn ready_to_pick_goals(&self) -> Result<bool> {
        let goals = self.goals()?;
        let mine = goals.iter().filter(|g| g.author.is_me).count();
        let theirs = goals.len() - mine;
        Ok(ready_to_pick(mine as u32, theirs as u32))
    }

    /// Moves a goal to `status` (pick it, mark it done, set it aside).
    pub fn set_goal_status(&self, id: &str, status: GoalStatus) -> Result<Goal> {
        let who = self.actor();
        self.store
            .write(|tx| goal::set_goal_status(tx, &who, id, status))?;
        self.changed(goal::KIND, id);
        self.goal(id)
    }

    /// Puts an idea in the date jar.
    pub fn add_date_idea(&self, text: &str) -> Result<DateIdea> {
        let who = self.actor();
        let id = self
            .store
            .write(|tx| date_jar::add_date_idea(tx, &who, text))?;
        self.changed(date_jar::KIND, id.clone());
        self.date_ideas()?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or(Error::NotFound {
                what: "date idea",
                id,
            })
    }

    /// Every idea in the jar, oldest first.
    pub fn date_ideas(&self) -> Result<Vec<DateIdea>> {
        self.store
            .read(|conn| date_jar::date_ideas(conn, &self.people()))
    }

    /// Draws one idea not done yet, at random; `None` when the jar is empty.
    pub fn draw_date_idea(&self) -> Result<Option<DateIdea>> {
        let ideas = self.date_ideas()?;
        Ok(date_jar::draw(&ideas, |i| i.done_on.is_none(), &mut OsRandom).cloned())
    }

    /// Marks a date idea done on `day`.
    pub fn mark_date_done(&self, id: &str, day: &str) -> Result<()> {
        let date = day::parse(day)?;
        let who = self.actor();
        self.store
            .write(|tx| date_jar::mark_date_done(tx, &who, id, date))?;
        self.changed(date_jar::KIND, id);
        Ok(())
    }

    /// Starter ideas a couple can put in their jar.
    pub fn date_jar_starters(&self) -> Result<Vec<DateSuggestion>> {
        Ok(embedded::date_ideas()?.to_vec())
    }

    /// Writes an appreciation note to the partner.
    pub fn appreciate(&self, text: &str) -> Result<Appreciation> {
        let who = self.actor();
        let id = self
            .store
            .write(|tx| appreciation::appreciate(tx, &who, text))?;
        self.changed(appreciation::KIND, id.clone());
        self.appreciations()?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(Error::NotFound { what: "note", id })
    }

    /// Every appreciation note, newest first.
    pub fn appreciations(&self) -> Result<Vec<Appreciation>> {
        self.store
            .read(|conn| appreciation::appreciations(conn, &self.people()))
    }
}

/// The OS random generator, for drawing from the date jar.
struct OsRandom;

impl RandomSource for OsRandom {
    fn next_u64(&mut self) -> u64 {
        use rand_core::RngCore;
        rand_core::OsRng.next_u64()
    }
}
