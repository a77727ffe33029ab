//! The content files, embedded at build time and parsed once on first use.
//!
//! Each part loads on its own, so a mistake in one file cannot take the
//! others down with it; above all, the safety check stays available.

use std::sync::LazyLock;

use super::assessment::Assessments;
use super::checkin::CheckInGuide;
use super::date_jar::{self, DateSuggestion};
use super::error::ContentError;
use super::exercise::Catalog;
use super::game::GameDeck;
use super::program::Programs;
use super::question::QuestionBank;
use super::safety::SafetyCheck;

macro_rules! content_file {
    ($path:literal) => {
        ($path, include_str!(concat!("../../content/", $path)))
    };
}

/// The exercise files, by theme.
const EXERCISE_FILES: [(&str, &str); 16] = [
    content_file!("exercises/communication.toml"),
    content_file!("exercises/conflict.toml"),
    content_file!("exercises/emotional.toml"),
    content_file!("exercises/appreciation.toml"),
    content_file!("exercises/physical.toml"),
    content_file!("exercises/sexual.toml"),
    content_file!("exercises/experiential.toml"),
    content_file!("exercises/intellectual.toml"),
    content_file!("exercises/spiritual.toml"),
    content_file!("exercises/dreams.toml"),
    content_file!("exercises/self.toml"),
    content_file!("exercises/everyday.toml"),
    content_file!("exercises/trust.toml"),
    content_file!("exercises/bodies.toml"),
    content_file!("exercises/patterns.toml"),
    content_file!("exercises/distance.toml"),
];
const QUESTIONS: (&str, &str) = content_file!("questions.toml");
const ASSESSMENTS: (&str, &str) = content_file!("assessments.toml");
const PROGRAMS: (&str, &str) = content_file!("programs.toml");
const CHECKIN: (&str, &str) = content_file!("checkin.toml");
const DATE_IDEAS: (&str, &str) = content_file!("date_ideas.toml");
const SAFETY: (&str, &str) = content_file!("safety.toml");
const GAME: (&str, &str) = content_file!("game.toml");

static CATALOG: LazyLock<Result<Catalog, ContentError>> =
    LazyLock::new(|| Catalog::parse(&EXERCISE_FILES));
static QUESTION_BANK: LazyLock<Result<QuestionBank, ContentError>> =
    LazyLock::new(|| QuestionBank::parse(QUESTIONS.0, QUESTIONS.1));
static ASSESSMENT_SET: LazyLock<Result<Assessments, ContentError>> =
    LazyLock::new(|| Assessments::parse(ASSESSMENTS.0, ASSESSMENTS.1));
static PROGRAM_SET: LazyLock<Result<Programs, ContentError>> = LazyLock::new(|| {
    let catalog = catalog()?;
    Programs::parse(PROGRAMS.0, PROGRAMS.1, catalog)
});
static CHECKIN_GUIDE: LazyLock<Result<CheckInGuide, ContentError>> =
    LazyLock::new(|| CheckInGuide::parse(CHECKIN.0, CHECKIN.1));
static IDEAS: LazyLock<Result<Vec<DateSuggestion>, ContentError>> =
    LazyLock::new(|| date_jar::parse_ideas(DATE_IDEAS.0, DATE_IDEAS.1));
static SAFETY_CHECK: LazyLock<Result<SafetyCheck, ContentError>> =
    LazyLock::new(|| SafetyCheck::parse(SAFETY.0, SAFETY.1));

static GAME_DECK: LazyLock<Result<GameDeck, ContentError>> =
    LazyLock::new(|| GameDeck::parse(GAME.0, GAME.1));

fn get<T>(cell: &'static LazyLock<Result<T, ContentError>>) -> Result<&'static T, ContentError> {
    cell.as_ref().map_err(Clone::clone)
}

/// The exercise catalog.
pub fn catalog() -> Result<&'static Catalog, ContentError> {
    get(&CATALOG)
}

/// The daily question bank.
pub fn question_bank() -> Result<&'static QuestionBank, ContentError> {
    get(&QUESTION_BANK)
}

/// The assessments.
pub fn assessments() -> Result<&'static Assessments, ContentError> {
    get(&ASSESSMENT_SET)
}

/// The programs (their exercise references checked against the catalog).
pub fn programs() -> Result<&'static Programs, ContentError> {
    get(&PROGRAM_SET)
}

/// The monthly check-in guide.
pub fn checkin() -> Result<&'static CheckInGuide, ContentError> {
    get(&CHECKIN_GUIDE)
}

/// The starter ideas for the date jar.
pub fn date_ideas() -> Result<&'static [DateSuggestion], ContentError> {
    get(&IDEAS).map(Vec::as_slice)
}

/// The device-local safety check and help resources.
pub fn safety() -> Result<&'static SafetyCheck, ContentError> {
    get(&SAFETY_CHECK)
}

/// The know-each-other game's prompts.
pub fn game() -> Result<&'static GameDeck, ContentError> {
    get(&GAME_DECK)
}

/// Loads every part, returning the first error. Tests and the stats
/// example use it; the app may call it at start to fail early.
pub fn validate_all() -> Result<(), ContentError> {
    catalog()?;
    question_bank()?;
    assessments()?;
    programs()?;
    checkin()?;
    date_ideas()?;
    safety()?;
    game()?;
    Ok(())
}
