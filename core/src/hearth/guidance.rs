//! The facade's guidance methods: the daily question, exercises and drills,
//! assessments, programs, check-ins, goals, the date jar, appreciation
//! notes, the safety check and recommendations. Days are the partner's local
//! calendar days as `YYYY-MM-DD`.

use serde::{Deserialize, Serialize};

use super::Hearth;
use crate::content::assessment::{AssessmentResult, Assessments};
use crate::content::checkin::CheckInGuide;
use crate::content::consent::SexualContentConsent;
use crate::content::date_jar::DateSuggestion;
use crate::content::embedded;
use crate::content::exercise::{Exercise, ExerciseKind};
use crate::content::program::Program;
use crate::content::recommend::{Recommendation, RecommendationTarget};
use crate::content::safety::{SafetyAnswer, SafetyCheck, SafetyOutcome};
use crate::content::seed::RandomSource;
use crate::content::taxonomy::{Barrier, Dimension};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::guidance::appreciation::{self, Appreciation};
use crate::guidance::assessment::{self, AssessmentAnswers, AssessmentKind, Comparison};
use crate::guidance::checkin::CheckInDue;
use crate::guidance::daily::{self, DailyQuestion};
use crate::guidance::date_jar::{self, DateIdea};
use crate::guidance::drill::{self, DrillSession, TurnMove};
use crate::guidance::enrolment::{self, Enrolment};
use crate::guidance::goal::{self, Goal, GoalStatus, ready_to_pick};
use crate::guidance::{self as store, checkin as held, day, local, member};
use crate::journal::entry::{EntryLink, LinkKind};

/// The exercise `id`, if this couple may see it (sexual content only once
/// both partners opted in).
fn visible_exercise(id: &str, consent: SexualContentConsent) -> Result<&'static Exercise> {
    let exercise = embedded::catalog()?
        .get(id)
        .ok_or_else(|| Error::NotFound {
            what: "exercise",
            id: id.to_owned(),
        })?;
    if !exercise.visible_with(consent) {
        return Err(Error::NotOptedIn);
    }
    Ok(exercise)
}

/// The program `id`, if it is offered to this couple (the sensual
/// challenge only once both partners opted in).
fn offered_program(id: &str, consent: SexualContentConsent) -> Result<&'static Program> {
    let program = embedded::programs()?
        .get(id)
        .ok_or_else(|| Error::NotFound {
            what: "program",
            id: id.to_owned(),
        })?;
    if !program.visible_with(consent) {
        return Err(Error::NotOptedIn);
    }
    Ok(program)
}

/// What a journal entry may be about, the one rule every shell meets: a
/// daily question of the bank, an exercise or a program this couple may
/// see (by the same consent rule as [`Hearth::exercise`] and
/// [`Hearth::programs`]), or the day of a check-in.
pub(crate) fn check_link(link: &EntryLink, consent: SexualContentConsent) -> Result<()> {
    match link.kind {
        LinkKind::Question => {
            if embedded::question_bank()?.get(&link.id).is_none() {
                return Err(Error::NotFound {
                    what: "daily question",
                    id: link.id.clone(),
                });
            }
        }
        LinkKind::Exercise => {
            visible_exercise(&link.id, consent)?;
        }
        LinkKind::Program => {
            offered_program(&link.id, consent)?;
        }
        LinkKind::CheckIn => {
            day::parse(&link.id)?;
        }
    }
    Ok(())
}

/// Which exercises to list. Every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExerciseFilter {
    /// Only exercises serving this dimension.
    pub dimension: Option<Dimension>,
    /// Only exercises addressing this barrier.
    pub barrier: Option<Barrier>,
    /// Only exercises of this kind.
    pub kind: Option<ExerciseKind>,
}

/// Everything the Today screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Today {
    /// The daily question and the answers so far.
    pub question: DailyQuestion,
    /// Programs the couple is in, with each partner's next day.
    pub programs: Vec<Enrolment>,
    /// One suggestion and its reason (help resources first, after a safety
    /// concern).
    pub suggestion: Option<Recommendation>,
    /// Whether a monthly check-in is due.
    pub check_in_due: bool,
}

impl Hearth {
    /// Emits a change of one guidance document.
    fn changed(&self, kind: crate::DocumentKind, id: impl Into<String>) {
        self.emit([Event::DocumentChanged {
            kind,
            id: id.into(),
        }]);
    }

    // --- consent ----------------------------------------------------------------

    /// Records this partner's choice about sexual content. It is shown only
    /// when both partners have said yes; either can take it back.
    pub fn set_sexual_content_opt_in(&self, opt_in: bool) -> Result<()> {
        let who = self.actor();
        let profile = self.profile()?;
        let bank = embedded::question_bank()?.len();
        self.store.write(|tx| {
            member::publish(tx, &who, &profile.me.name, Some(opt_in), size_u32(bank))
        })?;
        self.changed(member::KIND, member::doc_id(&self.member));
        Ok(())
    }

    /// Both partners' choices about sexual content.
    pub fn sexual_content_consent(&self) -> Result<SexualContentConsent> {
        self.store.read(|conn| member::consent(conn, &self.member))
    }

    // --- the daily question ----------------------------------------------------

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
                answers: crate::guidance::daily::reveal(mine.as_deref(), partner.as_deref()),
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

    // --- exercises and drills --------------------------------------------------

    /// Exercises matching `filter` that this couple may see.
    pub fn exercises(&self, filter: &ExerciseFilter) -> Result<Vec<Exercise>> {
        let consent = self.sexual_content_consent()?;
        Ok(embedded::catalog()?
            .visible(consent)
            .filter(|e| filter.dimension.is_none_or(|d| e.serves(d)))
            .filter(|e| filter.barrier.is_none_or(|b| e.addresses(b)))
            .filter(|e| filter.kind.is_none_or(|k| e.kind == k))
            .cloned()
            .collect())
    }

    /// One exercise.
    pub fn exercise(&self, id: &str) -> Result<Exercise> {
        Ok(visible_exercise(id, self.sexual_content_consent()?)?.clone())
    }

    /// Records that this partner did (`done`) or skipped an exercise on
    /// `day`. The log stays on this phone; it shapes recommendations.
    pub fn log_exercise(&self, id: &str, day: &str, done: bool) -> Result<()> {
        self.exercise(id)?;
        let date = day::parse(day)?;
        self.store
            .write(|tx| local::log_exercise(tx, id, date, done))
    }

    /// Starts a turn-based drill, this partner in the first seat.
    pub fn start_drill(&self, exercise_id: &str) -> Result<DrillSession> {
        self.exercise(exercise_id)?;
        let who = self.actor();
        let id = self.store.write(|tx| drill::start(tx, &who, exercise_id))?;
        self.changed(drill::KIND, id.clone());
        self.drill(&id)
    }

    /// A drill as this partner sees it.
    pub fn drill(&self, id: &str) -> Result<DrillSession> {
        self.store
            .read(|conn| drill::session(conn, &self.member, id))
    }

    /// Makes a move in a drill, if it is this partner's to make.
    pub fn drill_move(&self, id: &str, action: TurnMove) -> Result<DrillSession> {
        let who = self.actor();
        self.store.write(|tx| drill::act(tx, &who, id, action))?;
        self.changed(drill::KIND, id);
        self.drill(id)
    }

    /// Drills that are not over, newest first.
    pub fn open_drills(&self) -> Result<Vec<DrillSession>> {
        self.store
            .read(|conn| drill::open_drills(conn, &self.member))
    }

    // --- assessments -------------------------------------------------------------

    /// Every assessment's questions, as this couple may see them: the
    /// sexual item of the intimacy assessment only once both opted in.
    pub fn assessments(&self) -> Result<Assessments> {
        let mut all = embedded::assessments()?.clone();
        if !self.sexual_content_consent()?.allows_sexual_content() {
            all.intimacy
                .items
                .retain(|item| item.dimension != Dimension::Sexual);
        }
        Ok(all)
    }

    /// Scores an assessment and keeps the result on this phone (private
    /// until shared). A rating of the sexual dimension needs both
    /// partners' consent.
    pub fn take_assessment(&self, answers: &AssessmentAnswers) -> Result<AssessmentResult> {
        if let AssessmentAnswers::Intimacy { ratings } = answers
            && ratings.iter().any(|r| r.dimension == Dimension::Sexual)
            && !self.sexual_content_consent()?.allows_sexual_content()
        {
            return Err(Error::NotOptedIn);
        }
        let now = self.now_ms();
        self.store.write(|tx| assessment::take(tx, now, answers))
    }

    /// This partner's latest result of `kind`.
    pub fn my_assessment(&self, kind: AssessmentKind) -> Result<Option<AssessmentResult>> {
        self.store.read(|conn| assessment::mine(conn, kind))
    }

    /// Whether this partner's result of `kind` is shared with the other.
    pub fn is_assessment_shared(&self, kind: AssessmentKind) -> Result<bool> {
        self.store
            .read(|conn| assessment::is_shared(conn, &self.member, kind))
    }

    /// The other partner's latest shared result of `kind`.
    pub fn partner_assessment(&self, kind: AssessmentKind) -> Result<Option<AssessmentResult>> {
        self.store
            .read(|conn| assessment::partners(conn, &self.member, kind))
    }

    /// Shares this partner's latest result of `kind` with the other.
    pub fn share_assessment(&self, kind: AssessmentKind) -> Result<()> {
        let who = self.actor();
        self.store.write(|tx| assessment::share(tx, &who, kind))?;
        self.changed(assessment::KIND, format!("{kind:?}"));
        Ok(())
    }

    /// Withdraws this partner's shared results of `kind`.
    pub fn unshare_assessment(&self, kind: AssessmentKind) -> Result<()> {
        let who = self.actor();
        self.store.write(|tx| assessment::unshare(tx, &who, kind))?;
        self.changed(assessment::KIND, format!("{kind:?}"));
        Ok(())
    }

    /// Where the two shared results of `kind` differ most, once both
    /// partners shared one.
    pub fn compare_assessments(&self, kind: AssessmentKind) -> Result<Option<Comparison>> {
        self.store
            .read(|conn| assessment::compare(conn, &self.member, kind))
    }

    // --- programs ----------------------------------------------------------------

    /// The programs this couple may join (the sensual challenge only once
    /// both opted in).
    pub fn programs(&self) -> Result<Vec<Program>> {
        let consent = self.sexual_content_consent()?;
        Ok(embedded::programs()?
            .offered(consent)
            .into_iter()
            .cloned()
            .collect())
    }

    fn offered_program(&self, id: &str) -> Result<&'static Program> {
        offered_program(id, self.sexual_content_consent()?)
    }

    /// Joins a program from `day`.
    pub fn join_program(&self, id: &str, day: &str) -> Result<Enrolment> {
        let program = self.offered_program(id)?;
        let date = day::parse(day)?;
        let who = self.actor();
        self.store.write(|tx| enrolment::join(tx, &who, id, date))?;
        self.changed(enrolment::KIND, enrolment::doc_id(id));
        self.store
            .read(|conn| enrolment::enrolment(conn, &self.member, program, date))
    }

    /// Leaves a program; the days done stay recorded.
    pub fn leave_program(&self, id: &str, day: &str) -> Result<()> {
        let date = day::parse(day)?;
        let who = self.actor();
        self.store
            .write(|tx| enrolment::leave(tx, &who, id, date))?;
        self.changed(enrolment::KIND, enrolment::doc_id(id));
        Ok(())
    }

    /// Marks day `number` of a program done by this partner on `day`.
    pub fn complete_program_day(&self, id: &str, number: u32, day: &str) -> Result<Enrolment> {
        let program = self.offered_program(id)?;
        if program.day(number).is_none() {
            return Err(crate::guidance::enrolment::ProgressError::UnknownDay {
                day: number,
                total: program.days.len() as u32,
            }
            .into());
        }
        let date = day::parse(day)?;
        let who = self.actor();
        self.store
            .write(|tx| enrolment::mark_day(tx, &who, id, number, date))?;
        self.changed(enrolment::KIND, enrolment::doc_id(id));
        self.store
            .read(|conn| enrolment::enrolment(conn, &self.member, program, date))
    }

    /// The programs either partner is in, with progress on `day`. A program
    /// one partner no longer consents to is hidden.
    pub fn enrolments(&self, day: &str) -> Result<Vec<Enrolment>> {
        let date = day::parse(day)?;
        let consent = self.sexual_content_consent()?;
        let programs = embedded::programs()?;
        self.store.read(|conn| {
            enrolment::active_program_ids(conn)?
                .iter()
                .filter_map(|id| programs.get(id))
                .filter(|p| p.visible_with(consent))
                .map(|p| enrolment::enrolment(conn, &self.member, p, date))
                .collect()
        })
    }

    // --- check-ins ---------------------------------------------------------------

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

    // --- goals, date jar, appreciation -------------------------------------------

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

    // --- safety --------------------------------------------------------------------

    /// The safety check's questions and help resources. Answers stay on this
    /// phone.
    pub fn safety_check(&self) -> Result<SafetyCheck> {
        Ok(embedded::safety()?.clone())
    }

    /// Records this partner's safety check, on this phone only.
    pub fn record_safety_check(&self, answers: &[SafetyAnswer]) -> Result<SafetyOutcome> {
        let now = self.now_ms();
        self.store
            .write(|tx| local::record_safety(tx, now, answers))
    }

    /// The last safety check's outcome, if one was taken.
    pub fn safety_outcome(&self) -> Result<Option<SafetyOutcome>> {
        self.store.read(local::safety_outcome)
    }

    /// Erases the safety check from this phone.
    pub fn clear_safety_check(&self) -> Result<()> {
        self.store.write(|tx| local::clear_safety(tx))?;
        self.store.checkpoint()
    }

    // --- recommendations and Today -------------------------------------------------

    /// Exercises ranked for this couple, each with a reason from their own
    /// data; after a safety concern, help resources come first and nothing
    /// pushes closeness.
    pub fn recommendations(&self, day: &str, limit: u32) -> Result<Vec<Recommendation>> {
        let date = day::parse(day)?;
        let mut all = self
            .store
            .read(|conn| store::recommendations(conn, &self.member, date))?;
        all.truncate(limit as usize);
        Ok(all)
    }

    /// Everything the Today screen shows. After a safety concern it shows
    /// the help resources and no nudges to programs or check-ins.
    pub fn today(&self, day: &str) -> Result<Today> {
        let concern = self.store.read(store::safety_concern)?;
        let suggestion = self.recommendations(day, 1)?.into_iter().next();
        Ok(Today {
            question: self.daily_question(day)?,
            programs: if concern {
                Vec::new()
            } else {
                self.enrolments(day)?
            },
            check_in_due: !concern && self.next_check_in(day)?.is_due,
            suggestion: suggestion
                .filter(|s| !concern || matches!(s.target, RecommendationTarget::HelpResources)),
        })
    }

    // --- guidance with care (issue 16) ---------------------------------------------

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

    /// Whether closeness suggestions are paused on this phone. A safety
    /// concern pauses them; clearing the safety check does not resume them.
    pub fn closeness_suggestions_paused(&self) -> Result<bool> {
        self.store.read(local::closeness_paused)
    }

    /// Turns closeness suggestions back on, by this person's explicit
    /// choice (the shell asks after the safety check is cleared). While the
    /// check itself still shows a concern, suggestions stay off.
    pub fn resume_closeness_suggestions(&self) -> Result<()> {
        self.store.write(|tx| local::resume_closeness(tx))
    }

    /// A result explained in words (this partner's or the other's shared
    /// one): the main point, a sentence per part, and how to read it.
    pub fn explain_assessment(
        &self,
        result: &AssessmentResult,
    ) -> Result<crate::content::assessment::Explanation> {
        Ok(embedded::assessments()?.explain(result))
    }

    /// Starts a round of the know-each-other game on the next prompt:
    /// `i_answer` says whether this partner answers about themselves (the
    /// other guesses) or guesses.
    pub fn start_game_round(&self, i_answer: bool) -> Result<crate::guidance::game::GameRound> {
        let deck = embedded::game()?;
        let who = self.actor();
        let id = self.store.write(|tx| {
            let seed = self.space_id(tx)?;
            let answerer = if i_answer {
                self.member.clone()
            } else {
                member::partner_id(tx, &self.member)?.ok_or(Error::NotFound {
                    what: "partner",
                    id: String::new(),
                })?
            };
            crate::guidance::game::start(tx, &who, deck, &seed, &answerer)
        })?;
        self.changed(crate::guidance::game::KIND, id.clone());
        self.game_round(&id)
    }

    /// Writes this partner's answer (if they answer) or guess in a round.
    /// Both see both once both are in; after that the round is set.
    pub fn play_game_round(
        &self,
        id: &str,
        text: &str,
    ) -> Result<crate::guidance::game::GameRound> {
        let who = self.actor();
        self.store
            .write(|tx| crate::guidance::game::enter(tx, &who, id, text))?;
        self.changed(crate::guidance::game::KIND, id);
        self.game_round(id)
    }

    /// One round as this partner may see it.
    pub fn game_round(&self, id: &str) -> Result<crate::guidance::game::GameRound> {
        let deck = embedded::game()?;
        self.store
            .read(|conn| crate::guidance::game::round(conn, deck, &self.member, id))
    }

    /// Every round, newest first.
    pub fn game_rounds(&self) -> Result<Vec<crate::guidance::game::GameRound>> {
        let deck = embedded::game()?;
        self.store
            .read(|conn| crate::guidance::game::rounds(conn, deck, &self.member))
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
}

fn size_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The OS random generator, for drawing from the date jar.
struct OsRandom;

impl RandomSource for OsRandom {
    fn next_u64(&mut self) -> u64 {
        use rand_core::RngCore;
        rand_core::OsRng.next_u64()
    }
}
