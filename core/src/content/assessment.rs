//! The assessments' words: their items as data
//! (core/content/assessments.toml), loaded and checked. Scoring, comparing
//! and explaining results are rules, in [`crate::guidance::assessment`].

use serde::{Deserialize, Serialize};

use super::check::{self, Problems};
use super::error::ContentError;
use super::taxonomy::{Barrier, Dimension, LoveLanguage};
use crate::guidance::assessment::Leaning;

/// The love-language quiz has at least this many forced-choice items.
pub const MIN_LOVE_LANGUAGE_ITEMS: usize = 20;
/// The attachment reflection has at least this many items.
pub const MIN_ATTACHMENT_ITEMS: usize = 12;

/// A rating scale from `min` to `max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The lowest value.
    pub min: u32,
    /// The highest value.
    pub max: u32,
    /// What the lowest value means.
    pub low_label: String,
    /// What the highest value means.
    pub high_label: String,
}

impl Scale {
    fn check(&self, owner: &str, p: &mut Problems) {
        if self.min >= self.max {
            p.push(format!("{owner}: scale min must be below max"));
        }
        p.text(owner, "scale.low_label", &self.low_label);
        p.text(owner, "scale.high_label", &self.high_label);
    }

    pub(crate) fn midpoint(&self) -> f64 {
        f64::from(self.min + self.max) / 2.0
    }
}

/// "Assess your intimacy today": each dimension rated twice, for how
/// important it is and how satisfied you are with it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct IntimacyAssessment {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is for, shown first.
    pub intro: String,
    /// Asked for each dimension.
    pub importance_question: String,
    /// Asked for each dimension.
    pub satisfaction_question: String,
    /// The scale both questions use.
    pub scale: Scale,
    /// One per dimension. The sexual one is shown only when both partners
    /// opted in, and may always be skipped.
    pub items: Vec<IntimacyItem>,
    /// Completes "<dimension> ..." for a dimension with a gap.
    pub gap_text: String,
    /// Completes "<dimension> ..." for a dimension without one.
    pub content_text: String,
    /// Said when no dimension has a gap.
    pub no_gaps: String,
    /// Shown with every result: a snapshot, not a grade.
    pub note: String,
}

/// One dimension to rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct IntimacyItem {
    /// The dimension.
    pub dimension: Dimension,
    /// What the dimension means, in a sentence.
    pub description: String,
}

/// The love-language quiz: pairs of statements, pick the one that rings
/// truer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LoveLanguageAssessment {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is for.
    pub intro: String,
    /// Shown with every result: a conversation starter, not science.
    pub note: String,
    /// What each language means, for explaining a result.
    pub meanings: Vec<LanguageMeaning>,
    /// The pairs.
    pub items: Vec<ChoiceItem>,
}

/// What a love language means, in a sentence addressed to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct LanguageMeaning {
    /// The language.
    pub language: LoveLanguage,
    /// What it means.
    pub text: String,
}

/// What a barrier means, for explaining a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct BarrierMeaning {
    /// The barrier.
    pub barrier: Barrier,
    /// What it means and what helps.
    pub text: String,
}

/// One habit of talking things through, scored from its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CommunicationAxis {
    /// Higher: talk now; lower: think first.
    Timing,
    /// Higher: say it plainly; lower: soften or hint.
    Directness,
    /// Higher: feelings first; lower: solutions first.
    Focus,
    /// Higher: keep talking when tense; lower: go quiet.
    UnderStress,
}

impl CommunicationAxis {
    /// All four, in the order results list them.
    pub const ALL: [CommunicationAxis; 4] = [
        CommunicationAxis::Timing,
        CommunicationAxis::Directness,
        CommunicationAxis::Focus,
        CommunicationAxis::UnderStress,
    ];

    /// The name used in the data file and comparisons.
    pub fn key(self) -> &'static str {
        match self {
            CommunicationAxis::Timing => "timing",
            CommunicationAxis::Directness => "directness",
            CommunicationAxis::Focus => "focus",
            CommunicationAxis::UnderStress => "under_stress",
        }
    }
}

/// The words for one communication axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CommunicationAxisText {
    /// The axis.
    pub axis: CommunicationAxis,
    /// Its title.
    pub label: String,
    /// Said when the score leans low.
    pub lower: String,
    /// Said when the score leans high.
    pub higher: String,
}

/// One communication statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CommunicationItem {
    /// Stable id.
    pub id: String,
    /// The statement.
    pub text: String,
    /// Which axis it feeds.
    pub axis: CommunicationAxis,
    /// Agreeing points to the low end of its axis.
    #[serde(default)]
    pub reversed: bool,
}

/// How you talk things through: four habits, each a leaning, never a
/// verdict. Scored and compared like the attachment reflection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CommunicationAssessment {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is for.
    pub intro: String,
    /// Said first when explaining a result.
    pub result_intro: String,
    /// Shown with every result: habits, not right or wrong.
    pub note: String,
    /// The agreement scale.
    pub scale: Scale,
    /// The words for each axis.
    pub axes: Vec<CommunicationAxisText>,
    /// The statements.
    pub items: Vec<CommunicationItem>,
}

/// Two statements; the person picks one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ChoiceItem {
    /// Stable id.
    pub id: String,
    /// Shown first.
    pub first: ChoiceOption,
    /// Shown second.
    pub second: ChoiceOption,
}

/// One side of a forced choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// The statement.
    pub text: String,
    /// The language it speaks to.
    pub language: LoveLanguage,
}

/// Which way an attachment item points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum AttachmentAxis {
    /// Worry about closeness being lost.
    Anxiety,
    /// Discomfort with depending on someone or being depended on.
    Avoidance,
}

/// A reflection on attachment tendencies: two scores, stated as habits that
/// can change, never as a diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AttachmentAssessment {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is for.
    pub intro: String,
    /// Shown with every result: a reflection, not a diagnosis.
    pub note: String,
    /// The agreement scale.
    pub scale: Scale,
    /// The statements.
    pub items: Vec<AttachmentItem>,
    /// One text for each combination of leanings.
    pub reflections: Vec<AttachmentReflection>,
}

/// One attachment statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AttachmentItem {
    /// Stable id.
    pub id: String,
    /// The statement.
    pub text: String,
    /// Which score it feeds.
    pub axis: AttachmentAxis,
    /// Agreeing points the other way (counts as low on its axis).
    #[serde(default)]
    pub reversed: bool,
}

/// The reflection shown for one combination of leanings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AttachmentReflection {
    /// Where the anxiety score leans.
    pub anxiety: Leaning,
    /// Where the avoidance score leans.
    pub avoidance: Leaning,
    /// What that may mean for you, and what helps.
    pub text: String,
}

/// Signs of the barriers, one or more statements per barrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct BarrierSignsAssessment {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is for.
    pub intro: String,
    /// The agreement scale.
    pub scale: Scale,
    /// The statements.
    pub items: Vec<SignItem>,
    /// Said before the flagged barriers.
    pub flagged_intro: String,
    /// Said when nothing is flagged.
    pub none_flagged: String,
    /// What each barrier means, for explaining a result.
    pub meanings: Vec<BarrierMeaning>,
}

/// One sign of a barrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SignItem {
    /// Stable id.
    pub id: String,
    /// The statement.
    pub text: String,
    /// The barrier it points to.
    pub barrier: Barrier,
}

/// The signals that talking to a professional would help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ProfessionalHelpAssessment {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is for.
    pub intro: String,
    /// Yes-or-no statements.
    pub items: Vec<SignalItem>,
    /// Shown when one or more signals are present.
    pub suggest: String,
    /// Shown when none is present.
    pub no_signals: String,
    /// What couples therapy involves and costs, shown with `suggest`.
    pub about_therapy: String,
}

/// One signal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SignalItem {
    /// Stable id.
    pub id: String,
    /// The statement.
    pub text: String,
}

/// Every assessment, from assessments.toml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Assessments {
    /// Intimacy by dimension.
    pub intimacy: IntimacyAssessment,
    /// Love languages.
    pub love_languages: LoveLanguageAssessment,
    /// Attachment tendencies.
    pub attachment: AttachmentAssessment,
    /// Signs of the barriers.
    pub barrier_signs: BarrierSignsAssessment,
    /// Signals that a professional would help.
    pub professional_help: ProfessionalHelpAssessment,
    /// Communication styles.
    pub communication: CommunicationAssessment,
}

impl Assessments {
    /// Parses and checks the assessments file.
    pub fn parse(file: &'static str, text: &str) -> Result<Self, ContentError> {
        let a: Assessments = check::parse(file, text)?;
        let mut p = Problems::new(file);
        a.check(&mut p);
        p.finish()?;
        Ok(a)
    }

    fn check(&self, p: &mut Problems) {
        let ids = [
            self.intimacy.id.as_str(),
            self.love_languages.id.as_str(),
            self.attachment.id.as_str(),
            self.barrier_signs.id.as_str(),
            self.professional_help.id.as_str(),
            self.communication.id.as_str(),
        ];
        for id in ids {
            p.id("assessment", id);
        }
        let item_ids = self
            .love_languages
            .items
            .iter()
            .map(|i| i.id.as_str())
            .chain(self.attachment.items.iter().map(|i| i.id.as_str()))
            .chain(self.barrier_signs.items.iter().map(|i| i.id.as_str()))
            .chain(self.professional_help.items.iter().map(|i| i.id.as_str()))
            .chain(self.communication.items.iter().map(|i| i.id.as_str()));
        p.unique("assessment", ids.into_iter().chain(item_ids));
        self.check_intimacy(p);
        self.check_love_languages(p);
        self.check_attachment(p);
        self.check_barrier_signs(p);
        self.check_professional_help(p);
        self.check_communication(p);
    }

    fn check_communication(&self, p: &mut Problems) {
        let a = &self.communication;
        let id = a.id.as_str();
        p.text(id, "title", &a.title);
        p.text(id, "intro", &a.intro);
        p.text(id, "result_intro", &a.result_intro);
        p.text(id, "note", &a.note);
        a.scale.check(id, p);
        for axis in CommunicationAxis::ALL {
            let texts = a.axes.iter().filter(|t| t.axis == axis).count();
            if texts != 1 {
                p.push(format!(
                    "{id}: {texts} texts for the axis {}; it needs exactly one",
                    axis.key()
                ));
            }
            let on_axis: Vec<_> = a.items.iter().filter(|i| i.axis == axis).collect();
            if on_axis.len() < 3 {
                p.push(format!(
                    "{id}: the axis {} has {} items; it needs at least 3",
                    axis.key(),
                    on_axis.len()
                ));
            }
            if !on_axis.iter().any(|i| i.reversed) || on_axis.iter().all(|i| i.reversed) {
                p.push(format!(
                    "{id}: the axis {} needs both plain and reversed items",
                    axis.key()
                ));
            }
        }
        for t in &a.axes {
            p.text(id, &format!("{} label", t.axis.key()), &t.label);
            p.text(id, &format!("{} lower", t.axis.key()), &t.lower);
            p.text(id, &format!("{} higher", t.axis.key()), &t.higher);
        }
        for item in &a.items {
            p.id("communication item", &item.id);
            p.text(&item.id, "text", &item.text);
        }
    }

    fn check_intimacy(&self, p: &mut Problems) {
        let a = &self.intimacy;
        let id = a.id.as_str();
        p.text(id, "title", &a.title);
        p.text(id, "intro", &a.intro);
        p.text(id, "importance_question", &a.importance_question);
        p.text(id, "satisfaction_question", &a.satisfaction_question);
        a.scale.check(id, p);
        for d in Dimension::ALL {
            let n = a.items.iter().filter(|i| i.dimension == d).count();
            if n != 1 {
                p.push(format!(
                    "{id}: dimension {} has {n} items; it needs exactly one",
                    d.key()
                ));
            }
        }
        for item in &a.items {
            p.text(
                id,
                &format!("{} description", item.dimension.key()),
                &item.description,
            );
        }
        p.text(id, "gap_text", &a.gap_text);
        p.text(id, "content_text", &a.content_text);
        p.text(id, "no_gaps", &a.no_gaps);
        p.text(id, "note", &a.note);
    }

    fn check_love_languages(&self, p: &mut Problems) {
        let a = &self.love_languages;
        let id = a.id.as_str();
        p.text(id, "title", &a.title);
        p.text(id, "intro", &a.intro);
        p.text(id, "note", &a.note);
        for l in LoveLanguage::ALL {
            let n = a.meanings.iter().filter(|m| m.language == l).count();
            if n != 1 {
                p.push(format!(
                    "{id}: {n} meanings for {}; it needs exactly one",
                    l.key()
                ));
            }
        }
        for m in &a.meanings {
            p.text(id, &format!("{} meaning", m.language.key()), &m.text);
        }
        if a.items.len() < MIN_LOVE_LANGUAGE_ITEMS {
            p.push(format!(
                "{id}: {} items; it needs at least {MIN_LOVE_LANGUAGE_ITEMS}",
                a.items.len()
            ));
        }
        for item in &a.items {
            p.id("love-language item", &item.id);
            p.text(&item.id, "first.text", &item.first.text);
            p.text(&item.id, "second.text", &item.second.text);
            if item.first.language == item.second.language {
                p.push(format!("{}: both options speak the same language", item.id));
            }
        }
        // Every language meets every other at least twice, so no language
        // wins just by being offered more often.
        for (i, x) in LoveLanguage::ALL.iter().enumerate() {
            for y in &LoveLanguage::ALL[i + 1..] {
                let n = a
                    .items
                    .iter()
                    .filter(|it| {
                        let pair = (it.first.language, it.second.language);
                        pair == (*x, *y) || pair == (*y, *x)
                    })
                    .count();
                if n < 2 {
                    p.push(format!(
                        "{id}: {} and {} meet in {n} items; they need at least 2",
                        x.key(),
                        y.key()
                    ));
                }
            }
        }
        let offered = |l: LoveLanguage| {
            a.items
                .iter()
                .filter(|it| it.first.language == l || it.second.language == l)
                .count()
        };
        let counts: Vec<usize> = LoveLanguage::ALL.into_iter().map(offered).collect();
        if counts.iter().any(|c| Some(c) != counts.first()) {
            p.push(format!(
                "{id}: every language must be offered equally often, counts are {counts:?}"
            ));
        }
    }

    fn check_attachment(&self, p: &mut Problems) {
        let a = &self.attachment;
        let id = a.id.as_str();
        p.text(id, "title", &a.title);
        p.text(id, "intro", &a.intro);
        p.text(id, "note", &a.note);
        a.scale.check(id, p);
        if a.items.len() < MIN_ATTACHMENT_ITEMS {
            p.push(format!(
                "{id}: {} items; it needs at least {MIN_ATTACHMENT_ITEMS}",
                a.items.len()
            ));
        }
        for axis in [AttachmentAxis::Anxiety, AttachmentAxis::Avoidance] {
            let on_axis: Vec<_> = a.items.iter().filter(|i| i.axis == axis).collect();
            if on_axis.len() * 2 < MIN_ATTACHMENT_ITEMS {
                p.push(format!(
                    "{id}: {axis:?} has {} items; it needs half of the minimum",
                    on_axis.len()
                ));
            }
            if !on_axis.iter().any(|i| i.reversed) || on_axis.iter().all(|i| i.reversed) {
                p.push(format!(
                    "{id}: {axis:?} needs both plain and reversed items, so agreeing with everything does not decide the score"
                ));
            }
        }
        for item in &a.items {
            p.id("attachment item", &item.id);
            p.text(&item.id, "text", &item.text);
        }
        for anxiety in [Leaning::Lower, Leaning::Higher] {
            for avoidance in [Leaning::Lower, Leaning::Higher] {
                let n = a
                    .reflections
                    .iter()
                    .filter(|r| r.anxiety == anxiety && r.avoidance == avoidance)
                    .count();
                if n != 1 {
                    p.push(format!(
                        "{id}: {n} reflections for anxiety {anxiety:?} and avoidance {avoidance:?}; it needs exactly one"
                    ));
                }
            }
        }
        for r in &a.reflections {
            p.text(id, "reflection text", &r.text);
        }
    }

    fn check_barrier_signs(&self, p: &mut Problems) {
        let a = &self.barrier_signs;
        let id = a.id.as_str();
        p.text(id, "title", &a.title);
        p.text(id, "intro", &a.intro);
        a.scale.check(id, p);
        for b in Barrier::ALL {
            if !a.items.iter().any(|i| i.barrier == b) {
                p.push(format!("{id}: no item points to the barrier {}", b.key()));
            }
            let n = a.meanings.iter().filter(|m| m.barrier == b).count();
            if n != 1 {
                p.push(format!(
                    "{id}: {n} meanings for {}; it needs exactly one",
                    b.key()
                ));
            }
        }
        p.text(id, "flagged_intro", &a.flagged_intro);
        p.text(id, "none_flagged", &a.none_flagged);
        for m in &a.meanings {
            p.text(id, &format!("{} meaning", m.barrier.key()), &m.text);
        }
        for item in &a.items {
            p.id("barrier sign", &item.id);
            p.text(&item.id, "text", &item.text);
        }
    }

    fn check_professional_help(&self, p: &mut Problems) {
        let a = &self.professional_help;
        let id = a.id.as_str();
        p.text(id, "title", &a.title);
        p.text(id, "intro", &a.intro);
        p.text(id, "suggest", &a.suggest);
        p.text(id, "no_signals", &a.no_signals);
        p.text(id, "about_therapy", &a.about_therapy);
        if a.items.is_empty() {
            p.push(format!("{id}: has no items"));
        }
        for item in &a.items {
            p.id("help signal", &item.id);
            p.text(&item.id, "text", &item.text);
        }
    }
}
