//! `hearth assess`: the assessments. Take one (the questions are asked
//! here, or read one answer per line from standard input), read your
//! result explained, share it with your partner or take it back, and see
//! where your shared results differ.

use std::io::Write;

use clap::{Subcommand, ValueEnum};
use hearth_core::Hearth;
use hearth_core::content::assessment::Assessments;
use hearth_core::guidance::assessment::{AssessmentAnswers, AssessmentKind};
use hearth_core::guidance::assessment::{
    AssessmentResult, Choice, ChoiceAnswer, DimensionRating, ItemAnswer, SignalAnswer,
};

use crate::ask::Asker;
use crate::error::Result;
use crate::render;

/// `hearth assess ...`.
#[derive(Debug, Subcommand)]
pub enum AssessCommand {
    /// Take an assessment; your result stays in this profile until you
    /// share it.
    Take {
        /// Which one.
        #[arg(value_enum)]
        kind: Kind,
    },
    /// Your latest result, explained; your partner's, if shared; and
    /// where the two differ.
    Show {
        /// Which one.
        #[arg(value_enum)]
        kind: Kind,
    },
    /// Share your latest result with your partner.
    Share {
        /// Which one.
        #[arg(value_enum)]
        kind: Kind,
    },
    /// Take back a result you shared.
    Unshare {
        /// Which one.
        #[arg(value_enum)]
        kind: Kind,
    },
}

/// An assessment, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Intimacy: how important each kind of closeness is, and how it is now.
    Intimacy,
    /// The five love languages.
    LoveLanguages,
    /// Attachment tendencies.
    Attachment,
    /// Signs of emotional barriers.
    BarrierSigns,
    /// Signals that a professional would help.
    ProfessionalHelp,
    /// Communication styles.
    Communication,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Intimacy,
        Kind::LoveLanguages,
        Kind::Attachment,
        Kind::BarrierSigns,
        Kind::ProfessionalHelp,
        Kind::Communication,
    ];

    fn core(self) -> AssessmentKind {
        match self {
            Kind::Intimacy => AssessmentKind::Intimacy,
            Kind::LoveLanguages => AssessmentKind::LoveLanguages,
            Kind::Attachment => AssessmentKind::Attachment,
            Kind::BarrierSigns => AssessmentKind::BarrierSigns,
            Kind::ProfessionalHelp => AssessmentKind::ProfessionalHelp,
            Kind::Communication => AssessmentKind::Communication,
        }
    }

    fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned())
    }

    fn title(self, all: &Assessments) -> &str {
        match self {
            Kind::Intimacy => &all.intimacy.title,
            Kind::LoveLanguages => &all.love_languages.title,
            Kind::Attachment => &all.attachment.title,
            Kind::BarrierSigns => &all.barrier_signs.title,
            Kind::ProfessionalHelp => &all.professional_help.title,
            Kind::Communication => &all.communication.title,
        }
    }
}

/// `hearth assess` and `hearth assess ...`.
pub fn assess(hearth: &Hearth, command: Option<AssessCommand>, out: &mut impl Write) -> Result<()> {
    match command {
        Some(AssessCommand::Take { kind }) => take(hearth, kind, out),
        Some(AssessCommand::Show { kind }) => show(hearth, kind, out),
        Some(AssessCommand::Share { kind }) => {
            hearth.share_assessment(kind.core())?;
            writeln!(
                out,
                "Your result is shared; your partner sees it after the next sync. To take it back: hearth assess unshare {}",
                kind.name()
            )?;
            Ok(())
        }
        Some(AssessCommand::Unshare { kind }) => {
            hearth.unshare_assessment(kind.core())?;
            writeln!(
                out,
                "Taken back: your partner no longer sees it after the next sync."
            )?;
            Ok(())
        }
        None => list(hearth, out),
    }
}

fn list(hearth: &Hearth, out: &mut impl Write) -> Result<()> {
    let all = hearth.assessments()?;
    for kind in Kind::ALL {
        let mine = hearth.my_assessment(kind.core())?.is_some();
        let status = match (mine, hearth.is_assessment_shared(kind.core())?) {
            (false, _) => "not taken",
            (true, false) => "taken, kept to yourself",
            (true, true) => "taken, shared",
        };
        let partner = if hearth.partner_assessment(kind.core())?.is_some() {
            "; your partner shared theirs"
        } else {
            ""
        };
        writeln!(
            out,
            "{:<18} {} ({status}{partner})",
            kind.name(),
            kind.title(&all)
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Take one with: hearth assess take NAME; read your result with: hearth assess show NAME"
    )?;
    Ok(())
}

fn take(hearth: &Hearth, kind: Kind, out: &mut impl Write) -> Result<()> {
    let all = hearth.assessments()?;
    let mut ask = Asker::stdin();
    let answers = match kind {
        Kind::Intimacy => {
            let a = &all.intimacy;
            intro(&ask, &a.title, &a.intro, out)?;
            let (min, max) = (a.scale.min, a.scale.max);
            if ask.is_terminal() {
                writeln!(
                    out,
                    "{min} means {}, {max} {}.",
                    a.scale.low_label, a.scale.high_label
                )?;
            }
            let mut ratings = Vec::new();
            for item in &a.items {
                let about = format!("{}: {}", item.dimension.label(), item.description);
                if ask.is_terminal() {
                    writeln!(out, "\n{about}")?;
                }
                let importance = ask.number(&a.importance_question, min, max, out)?;
                let satisfaction = ask.number(&a.satisfaction_question, min, max, out)?;
                ratings.push(DimensionRating {
                    dimension: item.dimension,
                    importance,
                    satisfaction,
                });
            }
            AssessmentAnswers::Intimacy { ratings }
        }
        Kind::LoveLanguages => {
            let a = &all.love_languages;
            intro(&ask, &a.title, &a.intro, out)?;
            let mut answers = Vec::new();
            for item in &a.items {
                let question = format!(
                    "Which would mean more? 1: {}  2: {}",
                    item.first.text, item.second.text
                );
                let pick = ask.number(&question, 1, 2, out)?;
                answers.push(ChoiceAnswer {
                    item_id: item.id.clone(),
                    choice: if pick == 1 {
                        Choice::First
                    } else {
                        Choice::Second
                    },
                });
            }
            AssessmentAnswers::LoveLanguages { answers }
        }
        Kind::Attachment => AssessmentAnswers::Attachment {
            answers: ask_scale!(ask, &all.attachment, out),
        },
        Kind::BarrierSigns => AssessmentAnswers::BarrierSigns {
            answers: ask_scale!(ask, &all.barrier_signs, out),
        },
        Kind::Communication => AssessmentAnswers::Communication {
            answers: ask_scale!(ask, &all.communication, out),
        },
        Kind::ProfessionalHelp => {
            let a = &all.professional_help;
            intro(&ask, &a.title, &a.intro, out)?;
            let mut answers = Vec::new();
            for item in &a.items {
                answers.push(SignalAnswer {
                    item_id: item.id.clone(),
                    present: ask.yes_no(&item.text, out)?,
                });
            }
            AssessmentAnswers::ProfessionalHelp { answers }
        }
    };
    let result = hearth.take_assessment(&answers)?;
    if ask.is_terminal() {
        writeln!(out)?;
    }
    explained(hearth, &result, out)?;
    writeln!(out)?;
    writeln!(
        out,
        "Your result stays in this profile. To share it with your partner: hearth assess share {}",
        kind.name()
    )?;
    Ok(())
}

/// The title and introduction, when a person is answering.
fn intro(ask: &Asker, title: &str, text: &str, out: &mut impl Write) -> Result<()> {
    if ask.is_terminal() {
        writeln!(out, "{title}\n{text}\n")?;
    }
    Ok(())
}

/// One value on the scale per statement.
/// Shows a scale assessment's introduction and asks its items. The scale
/// assessments are types of their own with the same fields, hence a macro.
macro_rules! ask_scale {
    ($ask:ident, $assessment:expr, $out:ident) => {{
        let a = $assessment;
        intro(&$ask, &a.title, &a.intro, $out)?;
        scale_items(
            &mut $ask,
            a.items.iter().map(|i| (&i.id, &i.text)),
            (a.scale.min, a.scale.max),
            (&a.scale.low_label, &a.scale.high_label),
            $out,
        )?
    }};
}
use ask_scale;

fn scale_items<'a>(
    ask: &mut Asker,
    items: impl Iterator<Item = (&'a String, &'a String)>,
    (min, max): (u32, u32),
    (low, high): (&str, &str),
    out: &mut impl Write,
) -> Result<Vec<ItemAnswer>> {
    if ask.is_terminal() {
        writeln!(out, "{min} means {low}, {max} {high}.")?;
    }
    let mut answers = Vec::new();
    for (id, text) in items {
        answers.push(ItemAnswer {
            item_id: id.clone(),
            value: ask.number(text, min, max, out)?,
        });
    }
    Ok(answers)
}

/// A result in words.
fn explained(hearth: &Hearth, result: &AssessmentResult, out: &mut impl Write) -> Result<()> {
    let words = hearth.explain_assessment(result)?;
    writeln!(out, "{}", words.summary)?;
    for detail in &words.details {
        writeln!(out, "  - {detail}")?;
    }
    if !words.note.is_empty() {
        writeln!(out, "{}", words.note)?;
    }
    Ok(())
}

fn show(hearth: &Hearth, kind: Kind, out: &mut impl Write) -> Result<()> {
    let all = hearth.assessments()?;
    writeln!(out, "{}", kind.title(&all))?;
    writeln!(out)?;
    match hearth.my_assessment(kind.core())? {
        Some(mine) => {
            writeln!(out, "Your result:")?;
            explained(hearth, &mine, out)?;
        }
        None => writeln!(
            out,
            "You have not taken it yet: hearth assess take {}",
            kind.name()
        )?,
    }
    let partner = render::partner_name(hearth)?;
    let they = render::capitalised(&partner);
    let Some(comparison) = hearth.compare_assessments(kind.core())? else {
        if hearth.partner_assessment(kind.core())?.is_none() {
            writeln!(out)?;
            writeln!(out, "{they} has not shared a result of this one.")?;
        } else {
            writeln!(out)?;
            writeln!(
                out,
                "{they} shared theirs; share yours to see where you differ: hearth assess share {}",
                kind.name()
            )?;
        }
        return Ok(());
    };
    writeln!(out)?;
    if comparison.differences.is_empty() {
        writeln!(out, "You and {partner} answered alike.")?;
    } else {
        writeln!(out, "Where you and {partner} differ most:")?;
        for d in comparison.differences.iter().take(5) {
            writeln!(
                out,
                "  {}: you {}, {partner} {}",
                d.label,
                number(d.mine),
                number(d.partner)
            )?;
        }
    }
    Ok(())
}

/// A score as people read it: whole numbers without decimals.
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}
