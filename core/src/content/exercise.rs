//! The exercise catalog: its types, the rules every exercise meets, and
//! the coverage the catalog as a whole must reach.

use serde::{Deserialize, Serialize};

use super::check::{self, Problems};
use super::error::ContentError;
use super::taxonomy::{Barrier, Dimension, Technique};
use crate::guidance::consent::SexualContentConsent;

/// The catalog holds at least this many exercises.
pub const MIN_EXERCISES: usize = 160;
/// Every dimension is served by at least this many exercises.
pub const MIN_PER_DIMENSION: usize = 5;
/// Every barrier is addressed by at least this many exercises.
pub const MIN_PER_BARRIER: usize = 5;
/// No barrier is tagged on more than this share (numerator, denominator)
/// of the catalog.
pub const MAX_SHARE_PER_BARRIER: (usize, usize) = (1, 3);
/// At least this many personal exercises, so a person who raised a safety
/// concern still gets something that is only about their own wellbeing.
pub const MIN_PERSONAL: usize = 3;
/// The most rounds a turn-based drill may ask for.
pub const MAX_DRILL_ROUNDS: u32 = 5;
/// The longest an exercise may take, in minutes (a weekend away).
pub const MAX_MINUTES: u32 = 2_880;
/// The longest "why this helps" text, in characters: it is a short note.
pub const MAX_WHY_CHARS: usize = 240;

/// What sort of thing an exercise asks you to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ExerciseKind {
    /// A talk with a shape.
    Conversation,
    /// Something to do.
    Activity,
    /// Thinking or writing, usually alone first.
    Reflection,
    /// Practising a skill; done together it is turn-based across the phones.
    SkillDrill,
    /// Something small you repeat until it is yours.
    Ritual,
}

/// Who does the exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// One partner, on their own.
    Solo,
    /// Both partners.
    Together,
}

/// How a turn-based drill runs: each round, each partner speaks once and
/// listens once. The cues are what each phone shows for its current role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Drill {
    /// Rounds; each has two turns, one per partner.
    pub rounds: u32,
    /// Shown to the partner whose turn it is to speak.
    pub speaker: String,
    /// Shown to the partner listening.
    pub listener: String,
}

/// One exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Stable id (lowercase words joined by `-`).
    pub id: String,
    /// Short title.
    pub title: String,
    /// One or two sentences on what it is and why.
    pub summary: String,
    /// Why this helps, in plain words: a sentence or two the app shows
    /// with the steps. Claims only what the content brief supports.
    pub why_this_helps: String,
    /// The kinds of closeness it serves; the first is the main one.
    pub dimensions: Vec<Dimension>,
    /// Barriers it helps with (may be empty).
    #[serde(default)]
    pub barriers: Vec<Barrier>,
    /// Techniques it teaches (may be empty).
    #[serde(default)]
    pub techniques: Vec<Technique>,
    /// What sort of exercise it is.
    pub kind: ExerciseKind,
    /// Alone or together.
    pub mode: Mode,
    /// About how long it takes.
    pub minutes: u32,
    /// The steps, in order; the app numbers them from 1.
    pub steps: Vec<String>,
    /// A journal prompt for afterwards.
    pub prompt: String,
    /// Sexual content: shown only when both partners opted in.
    #[serde(default)]
    pub sensitive: bool,
    /// About your own wellbeing only; asks nothing of the relationship. Only
    /// personal exercises are suggested while a safety concern is raised.
    #[serde(default)]
    pub personal: bool,
    /// For skill drills done together: how the turns run.
    #[serde(default)]
    pub drill: Option<Drill>,
}

impl Exercise {
    /// Whether the exercise serves a dimension.
    pub fn serves(&self, dimension: Dimension) -> bool {
        self.dimensions.contains(&dimension)
    }

    /// Whether the exercise addresses a barrier.
    pub fn addresses(&self, barrier: Barrier) -> bool {
        self.barriers.contains(&barrier)
    }

    /// Whether the exercise may be shown under the couple's current consent.
    pub fn visible_with(&self, consent: SexualContentConsent) -> bool {
        !self.sensitive || consent.allows_sexual_content()
    }

    fn check(&self, p: &mut Problems) {
        let id = self.id.as_str();
        p.id("exercise", id);
        p.text(id, "title", &self.title);
        p.text(id, "summary", &self.summary);
        p.text(id, "why_this_helps", &self.why_this_helps);
        if self.why_this_helps.chars().count() > MAX_WHY_CHARS {
            p.push(format!(
                "{id}: why_this_helps is longer than {MAX_WHY_CHARS} characters; keep it short"
            ));
        }
        p.text(id, "prompt", &self.prompt);
        if self.dimensions.is_empty() {
            p.push(format!("{id}: dimensions has no entries"));
        }
        p.no_repeats(id, "dimensions", &self.dimensions);
        p.no_repeats(id, "barriers", &self.barriers);
        p.no_repeats(id, "techniques", &self.techniques);
        if self.minutes == 0 || self.minutes > MAX_MINUTES {
            p.push(format!("{id}: minutes must be between 1 and {MAX_MINUTES}"));
        }
        p.texts(id, "steps", &self.steps);
        if self.steps.len() < 2 {
            p.push(format!("{id}: needs at least two steps"));
        }
        for (i, step) in self.steps.iter().enumerate() {
            // The app numbers steps; a number typed into the text would show twice.
            if step.starts_with(|c: char| c.is_ascii_digit()) {
                p.push(format!("{id}: step {} starts with a number", i + 1));
            }
        }
        if self.sensitive != self.serves(Dimension::Sexual) {
            p.push(format!(
                "{id}: an exercise is sensitive exactly when it serves the sexual dimension"
            ));
        }
        if self.personal
            && (self.mode != Mode::Solo || self.sensitive || !self.serves(Dimension::Selfhood))
        {
            p.push(format!(
                "{id}: a personal exercise is solo, not sensitive, and serves the self dimension"
            ));
        }
        let turn_based = self.kind == ExerciseKind::SkillDrill && self.mode == Mode::Together;
        match (&self.drill, turn_based) {
            (Some(d), true) => {
                if d.rounds == 0 || d.rounds > MAX_DRILL_ROUNDS {
                    p.push(format!(
                        "{id}: drill rounds must be between 1 and {MAX_DRILL_ROUNDS}"
                    ));
                }
                p.text(id, "drill.speaker", &d.speaker);
                p.text(id, "drill.listener", &d.listener);
            }
            (None, true) => p.push(format!(
                "{id}: a skill drill done together needs a [exercise.drill] table"
            )),
            (Some(_), false) => p.push(format!(
                "{id}: only skill drills done together have a drill table"
            )),
            (None, false) => {}
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseFile {
    exercise: Vec<Exercise>,
}

/// Every exercise, in file order.
#[derive(Debug, Clone)]
pub struct Catalog {
    exercises: Vec<Exercise>,
}

impl Catalog {
    /// Parses several exercise files (name, text) into one catalog and
    /// checks every exercise and the coverage of the whole.
    pub fn parse(files: &[(&'static str, &str)]) -> Result<Self, ContentError> {
        let mut exercises = Vec::new();
        for (name, text) in files {
            let file: ExerciseFile = check::parse(name, text)?;
            let mut p = Problems::new(name);
            for e in &file.exercise {
                e.check(&mut p);
            }
            p.finish()?;
            exercises.extend(file.exercise);
        }
        let catalog = Catalog { exercises };
        catalog.check_whole()?;
        Ok(catalog)
    }

    fn check_whole(&self) -> Result<(), ContentError> {
        let mut p = Problems::new("exercises/");
        p.unique("exercise", self.exercises.iter().map(|e| e.id.as_str()));
        if self.exercises.len() < MIN_EXERCISES {
            p.push(format!(
                "the catalog holds {} exercises; it needs at least {MIN_EXERCISES}",
                self.exercises.len()
            ));
        }
        for d in Dimension::ALL {
            let n = self.count_serving(d);
            if n < MIN_PER_DIMENSION {
                p.push(format!(
                    "dimension {} has {n} exercises; it needs at least {MIN_PER_DIMENSION}",
                    d.key()
                ));
            }
        }
        for b in Barrier::ALL {
            let n = self.count_addressing(b);
            if n < MIN_PER_BARRIER {
                p.push(format!(
                    "barrier {} has {n} exercises; it needs at least {MIN_PER_BARRIER}",
                    b.key()
                ));
            }
        }
        for b in Barrier::ALL {
            // A tag on most of the catalog says nothing: the reason "it works
            // on ..." would ring false for many of them.
            let n = self.count_addressing(b);
            if n * MAX_SHARE_PER_BARRIER.1 > self.exercises.len() * MAX_SHARE_PER_BARRIER.0 {
                p.push(format!(
                    "barrier {} is tagged on {n} of {} exercises; tag it only where an exercise truly works on it",
                    b.key(),
                    self.exercises.len()
                ));
            }
        }
        for t in Technique::ALL {
            if !self.exercises.iter().any(|e| e.techniques.contains(&t)) {
                p.push(format!("no exercise teaches the technique {t:?}"));
            }
        }
        let personal = self.exercises.iter().filter(|e| e.personal).count();
        if personal < MIN_PERSONAL {
            p.push(format!(
                "{personal} personal exercises; safety needs at least {MIN_PERSONAL}"
            ));
        }
        p.finish()
    }

    /// Every exercise, sensitive ones included: filter with
    /// [`Catalog::visible`] before showing them.
    pub fn exercises(&self) -> &[Exercise] {
        &self.exercises
    }

    /// The exercises that may be shown under the couple's consent.
    pub fn visible(&self, consent: SexualContentConsent) -> impl Iterator<Item = &Exercise> {
        self.exercises
            .iter()
            .filter(move |e| e.visible_with(consent))
    }

    /// An exercise by id.
    pub fn get(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }

    /// How many exercises serve a dimension.
    pub fn count_serving(&self, dimension: Dimension) -> usize {
        self.exercises
            .iter()
            .filter(|e| e.serves(dimension))
            .count()
    }

    /// How many exercises address a barrier.
    pub fn count_addressing(&self, barrier: Barrier) -> usize {
        self.exercises
            .iter()
            .filter(|e| e.addresses(barrier))
            .count()
    }

    /// How many exercises there are.
    pub fn len(&self) -> usize {
        self.exercises.len()
    }

    /// Whether there are none (never true for a validated catalog).
    pub fn is_empty(&self) -> bool {
        self.exercises.is_empty()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const ONE: &str = r#"
[[exercise]]
id = "listen-and-sum-up"
title = "Listen and sum up"
summary = "Practise hearing each other out."
why_this_helps = "Feeling heard calms a talk down."
dimensions = ["emotional", "conflict"]
barriers = ["poor_communication"]
techniques = ["active_listening"]
kind = "skill_drill"
mode = "together"
minutes = 20
steps = ["Pick a topic.", "Take turns."]
prompt = "What did you hear that surprised you?"

[exercise.drill]
rounds = 1
speaker = "Say what is on your mind."
listener = "Listen, then sum up."
"#;

    fn problems_of(text: &str) -> Vec<String> {
        let file: ExerciseFile = check::parse("t.toml", text).unwrap();
        let mut p = Problems::new("t.toml");
        for e in &file.exercise {
            e.check(&mut p);
        }
        match p.finish() {
            Ok(()) => Vec::new(),
            Err(ContentError::Invalid { problems, .. }) => problems,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn a_good_exercise_has_no_problems() {
        assert_eq!(problems_of(ONE), Vec::<String>::new());
    }

    #[test]
    fn a_drill_without_its_table_is_flagged() {
        let text = ONE.split("[exercise.drill]").next().unwrap();
        let problems = problems_of(text);
        assert!(
            problems[0].contains("needs a [exercise.drill] table"),
            "{problems:?}"
        );
    }

    #[test]
    fn sexual_content_must_be_flagged_sensitive() {
        let text = ONE.replace(r#"["emotional", "conflict"]"#, r#"["sexual"]"#);
        let problems = problems_of(&text);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("sensitive exactly when")),
            "{problems:?}"
        );
        let text = format!(
            "{}sensitive = true\n",
            text.split("[exercise.drill]").next().unwrap()
        );
        let text =
            format!("{text}[exercise.drill]\nrounds = 1\nspeaker = \"a\"\nlistener = \"b\"\n");
        assert_eq!(problems_of(&text), Vec::<String>::new());
    }

    #[test]
    fn empty_steps_and_numbered_steps_are_flagged() {
        let text = ONE.replace(
            r#"["Pick a topic.", "Take turns."]"#,
            r#"["1. Pick a topic.", " "]"#,
        );
        let problems = problems_of(&text);
        assert!(
            problems.iter().any(|p| p.contains("steps[2] is empty")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("step 1 starts with a number")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_thin_catalog_fails_its_coverage() {
        let Err(ContentError::Invalid { problems, .. }) = Catalog::parse(&[("t.toml", ONE)]) else {
            panic!("expected coverage problems");
        };
        assert!(problems.iter().any(|p| p.contains("at least 160")));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("dimension spiritual has 0"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("barrier unfair_load has 0"))
        );
    }

    #[test]
    fn a_barrier_tagged_on_most_of_the_catalog_is_flagged() {
        let mut exercises = crate::content::embedded::catalog()
            .unwrap()
            .exercises()
            .to_vec();
        for e in &mut exercises {
            if !e.addresses(Barrier::HoneymoonEnd) {
                e.barriers.push(Barrier::HoneymoonEnd);
            }
        }
        let Err(ContentError::Invalid { problems, .. }) = (Catalog { exercises }).check_whole()
        else {
            panic!("expected over-tagging to be flagged");
        };
        assert!(
            problems
                .iter()
                .any(|p| p.contains("barrier honeymoon_end is tagged on")),
            "{problems:?}"
        );
    }

    #[test]
    fn sensitive_exercises_need_both_partners() {
        let e: ExerciseFile = check::parse("t", ONE).unwrap();
        let mut e = e.exercise.into_iter().next().unwrap();
        e.sensitive = true;
        assert!(!e.visible_with(SexualContentConsent {
            mine: true,
            partner: false
        }));
        assert!(e.visible_with(SexualContentConsent {
            mine: true,
            partner: true
        }));
    }
}
