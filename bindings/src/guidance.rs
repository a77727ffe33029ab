//! The guidance methods of [`Hearth`]: consent, the daily question,
//! exercises and drills, assessments, programs, check-ins, goals, the date
//! jar, appreciation notes, the safety check, recommendations and Today.
//! One delegating line each. Days are the person's local calendar day as
//! `YYYY-MM-DD`; the shell passes today's.

use hearth_core::content::assessment::Assessments;
use hearth_core::content::checkin::CheckInGuide;
use hearth_core::content::date_jar::DateSuggestion;
use hearth_core::content::exercise::Exercise;
use hearth_core::content::program::Program;
use hearth_core::content::safety::SafetyCheck;
use hearth_core::guidance::appreciation::Appreciation;
use hearth_core::guidance::assessment::AssessmentResult;
use hearth_core::guidance::assessment::{AssessmentAnswers, AssessmentKind, Comparison};
use hearth_core::guidance::consent::SexualContentConsent;
use hearth_core::guidance::daily::DailyQuestion;
use hearth_core::guidance::date_jar::DateIdea;
use hearth_core::guidance::drill::{DrillSession, TurnMove};
use hearth_core::guidance::enrolment::Enrolment;
use hearth_core::guidance::game::GameRound;
use hearth_core::guidance::goal::{Goal, GoalStatus};
use hearth_core::guidance::recommend::Recommendation;
use hearth_core::guidance::safety::{SafetyAnswer, SafetyOutcome};
use hearth_core::{CheckInDue, ExerciseFilter, Today};

use crate::error::HearthError;
use crate::hearth::Hearth;

type Result<T, E = HearthError> = std::result::Result<T, E>;

#[uniffi::export]
impl Hearth {
    // --- consent ----------------------------------------------------------------

    /// Records this partner's choice about sexual content. It is shown only
    /// when both partners have said yes; either can take it back.
    pub fn set_sexual_content_opt_in(&self, opt_in: bool) -> Result<()> {
        Ok(self.core.set_sexual_content_opt_in(opt_in)?)
    }

    /// Both partners' choices about sexual content.
    pub fn sexual_content_consent(&self) -> Result<SexualContentConsent> {
        Ok(self.core.sexual_content_consent()?)
    }

    // --- the daily question ----------------------------------------------------

    /// The question of `day` (the same on both phones) and the answers so
    /// far; the partner's words only once this partner has answered.
    pub fn daily_question(&self, day: String) -> Result<DailyQuestion> {
        Ok(self.core.daily_question(&day)?)
    }

    /// Answers (or re-answers) the question of `day`; returns it with the
    /// partner's answer revealed if they gave one.
    pub fn answer_daily_question(&self, day: String, text: String) -> Result<DailyQuestion> {
        Ok(self.core.answer_daily_question(&day, &text)?)
    }

    // --- exercises and drills --------------------------------------------------

    /// Exercises matching `filter` that this couple may see.
    pub fn exercises(&self, filter: ExerciseFilter) -> Result<Vec<Exercise>> {
        Ok(self.core.exercises(&filter)?)
    }

    /// One exercise.
    pub fn exercise(&self, id: String) -> Result<Exercise> {
        Ok(self.core.exercise(&id)?)
    }

    /// Records that this partner did (`done`) or skipped an exercise on
    /// `day`. The log stays on this phone; it shapes recommendations.
    pub fn log_exercise(&self, id: String, day: String, done: bool) -> Result<()> {
        Ok(self.core.log_exercise(&id, &day, done)?)
    }

    /// Starts a turn-based drill, this partner in the first seat.
    pub fn start_drill(&self, exercise_id: String) -> Result<DrillSession> {
        Ok(self.core.start_drill(&exercise_id)?)
    }

    /// A drill as this partner sees it.
    pub fn drill(&self, id: String) -> Result<DrillSession> {
        Ok(self.core.drill(&id)?)
    }

    /// Makes a move in a drill, if it is this partner's to make.
    pub fn drill_move(&self, id: String, action: TurnMove) -> Result<DrillSession> {
        Ok(self.core.drill_move(&id, action)?)
    }

    /// Drills that are not over, newest first.
    pub fn open_drills(&self) -> Result<Vec<DrillSession>> {
        Ok(self.core.open_drills()?)
    }

    // --- assessments -------------------------------------------------------------

    /// Every assessment's questions as this couple may see them.
    pub fn assessments(&self) -> Result<Assessments> {
        Ok(self.core.assessments()?)
    }

    /// Scores an assessment and keeps the result on this phone (private
    /// until shared). Answers that do not fit are an `InvalidInput` saying
    /// which.
    pub fn take_assessment(&self, answers: AssessmentAnswers) -> Result<AssessmentResult> {
        Ok(self.core.take_assessment(&answers)?)
    }

    /// This partner's latest result of `kind`.
    pub fn my_assessment(&self, kind: AssessmentKind) -> Result<Option<AssessmentResult>> {
        Ok(self.core.my_assessment(kind)?)
    }

    /// The other partner's latest shared result of `kind`.
    pub fn partner_assessment(&self, kind: AssessmentKind) -> Result<Option<AssessmentResult>> {
        Ok(self.core.partner_assessment(kind)?)
    }

    /// Shares this partner's latest result of `kind` with the other.
    pub fn share_assessment(&self, kind: AssessmentKind) -> Result<()> {
        Ok(self.core.share_assessment(kind)?)
    }

    /// Withdraws this partner's shared results of `kind`.
    pub fn unshare_assessment(&self, kind: AssessmentKind) -> Result<()> {
        Ok(self.core.unshare_assessment(kind)?)
    }

    /// Where the two shared results of `kind` differ most, once both
    /// partners shared one.
    pub fn compare_assessments(&self, kind: AssessmentKind) -> Result<Option<Comparison>> {
        Ok(self.core.compare_assessments(kind)?)
    }

    // --- programs ----------------------------------------------------------------

    /// The programs this couple may join.
    pub fn programs(&self) -> Result<Vec<Program>> {
        Ok(self.core.programs()?)
    }

    /// Joins a program from `day`.
    pub fn join_program(&self, id: String, day: String) -> Result<Enrolment> {
        Ok(self.core.join_program(&id, &day)?)
    }

    /// Leaves a program; the days done stay recorded.
    pub fn leave_program(&self, id: String, day: String) -> Result<()> {
        Ok(self.core.leave_program(&id, &day)?)
    }

    /// Marks day `number` of a program done by this partner on `day`.
    pub fn complete_program_day(&self, id: String, number: u32, day: String) -> Result<Enrolment> {
        Ok(self.core.complete_program_day(&id, number, &day)?)
    }

    /// The programs either partner is in, with progress on `day`.
    pub fn enrolments(&self, day: String) -> Result<Vec<Enrolment>> {
        Ok(self.core.enrolments(&day)?)
    }

    // --- check-ins ---------------------------------------------------------------

    /// The monthly check-in's guide and listening rules.
    pub fn check_in_guide(&self) -> Result<CheckInGuide> {
        Ok(self.core.check_in_guide()?)
    }

    /// Records that the couple held their check-in on `day`.
    pub fn record_check_in(&self, day: String) -> Result<CheckInDue> {
        Ok(self.core.record_check_in(&day)?)
    }

    /// When the next check-in is due, seen from `day`.
    pub fn next_check_in(&self, day: String) -> Result<CheckInDue> {
        Ok(self.core.next_check_in(&day)?)
    }

    // --- goals, date jar, appreciation -------------------------------------------

    /// Adds an idea to the goals brainstorm.
    pub fn add_goal(&self, text: String) -> Result<Goal> {
        Ok(self.core.add_goal(&text)?)
    }

    /// Every goal, oldest first.
    pub fn goals(&self) -> Result<Vec<Goal>> {
        Ok(self.core.goals()?)
    }

    /// Whether both partners have added ideas, so the couple can pick.
    pub fn ready_to_pick_goals(&self) -> Result<bool> {
        Ok(self.core.ready_to_pick_goals()?)
    }

    /// Moves a goal to `status` (pick it, mark it done, set it aside).
    pub fn set_goal_status(&self, id: String, status: GoalStatus) -> Result<Goal> {
        Ok(self.core.set_goal_status(&id, status)?)
    }

    /// Puts an idea in the date jar.
    pub fn add_date_idea(&self, text: String) -> Result<DateIdea> {
        Ok(self.core.add_date_idea(&text)?)
    }

    /// Every idea in the jar, oldest first.
    pub fn date_ideas(&self) -> Result<Vec<DateIdea>> {
        Ok(self.core.date_ideas()?)
    }

    /// Draws one idea not done yet, at random; `None` when the jar is empty.
    pub fn draw_date_idea(&self) -> Result<Option<DateIdea>> {
        Ok(self.core.draw_date_idea()?)
    }

    /// Marks a date idea done on `day`.
    pub fn mark_date_done(&self, id: String, day: String) -> Result<()> {
        Ok(self.core.mark_date_done(&id, &day)?)
    }

    /// Starter ideas a couple can put in their jar (`DateSuggestion` in
    /// the shells, apart from the jar's own `DateIdea`).
    pub fn date_jar_starters(&self) -> Result<Vec<DateSuggestion>> {
        Ok(self.core.date_jar_starters()?)
    }

    /// Writes an appreciation note to the partner.
    pub fn appreciate(&self, text: String) -> Result<Appreciation> {
        Ok(self.core.appreciate(&text)?)
    }

    /// Every appreciation note, newest first.
    pub fn appreciations(&self) -> Result<Vec<Appreciation>> {
        Ok(self.core.appreciations()?)
    }

    // --- safety --------------------------------------------------------------------

    /// The safety check's questions and help resources. Answers stay on
    /// this phone.
    pub fn safety_check(&self) -> Result<SafetyCheck> {
        Ok(self.core.safety_check()?)
    }

    /// Records this partner's safety check, on this phone only.
    pub fn record_safety_check(&self, answers: Vec<SafetyAnswer>) -> Result<SafetyOutcome> {
        Ok(self.core.record_safety_check(&answers)?)
    }

    /// The last safety check's outcome, if one was taken.
    pub fn safety_outcome(&self) -> Result<Option<SafetyOutcome>> {
        Ok(self.core.safety_outcome()?)
    }

    /// Erases the safety check from this phone.
    pub fn clear_safety_check(&self) -> Result<()> {
        Ok(self.core.clear_safety_check()?)
    }

    // --- recommendations and Today -------------------------------------------------

    /// Up to `limit` exercises ranked for this couple, each with a reason;
    /// after a safety concern, help resources come first.
    pub fn recommendations(&self, day: String, limit: u32) -> Result<Vec<Recommendation>> {
        Ok(self.core.recommendations(&day, limit)?)
    }

    /// Everything the Today screen shows on `day`.
    pub fn today(&self, day: String) -> Result<Today> {
        Ok(self.core.today(&day)?)
    }

    // --- guidance with care (issue 16) ---------------------------------------------

    /// Swaps the question of `day`; both phones land on the same one.
    pub fn swap_daily_question(&self, day: String) -> Result<DailyQuestion> {
        Ok(self.core.swap_daily_question(&day)?)
    }

    /// Whether closeness suggestions are paused on this phone.
    pub fn closeness_suggestions_paused(&self) -> Result<bool> {
        Ok(self.core.closeness_suggestions_paused()?)
    }

    /// Turns closeness suggestions back on, by this person's choice.
    pub fn resume_closeness_suggestions(&self) -> Result<()> {
        Ok(self.core.resume_closeness_suggestions()?)
    }

    /// A result explained in words.
    pub fn explain_assessment(
        &self,
        result: AssessmentResult,
    ) -> Result<hearth_core::guidance::assessment::Explanation> {
        Ok(self.core.explain_assessment(&result)?)
    }

    /// Starts a round of the know-each-other game.
    pub fn start_game_round(&self, i_answer: bool) -> Result<GameRound> {
        Ok(self.core.start_game_round(i_answer)?)
    }

    /// Writes this partner's answer or guess in a round.
    pub fn play_game_round(&self, id: String, text: String) -> Result<GameRound> {
        Ok(self.core.play_game_round(&id, &text)?)
    }

    /// One round as this partner may see it.
    pub fn game_round(&self, id: String) -> Result<GameRound> {
        Ok(self.core.game_round(&id)?)
    }

    /// Every round, newest first.
    pub fn game_rounds(&self) -> Result<Vec<GameRound>> {
        Ok(self.core.game_rounds()?)
    }

    /// Records the check-in of `day` with how this partner found the month
    /// (1 hard .. 5 good).
    pub fn record_check_in_rated(&self, day: String, month: u32) -> Result<CheckInDue> {
        Ok(self.core.record_check_in_rated(&day, month)?)
    }
}
