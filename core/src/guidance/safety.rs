//! The safety check's rule: answers in, an outcome out. Everything here
//! is device-local: the answers and the outcome are never written to a
//! shared document, never synced and never visible to the partner (they
//! are stored by `local.rs`). When the check raises a concern,
//! recommendations stop suggesting closeness exercises and point to help
//! instead (see [`super::recommend`]).

use serde::{Deserialize, Serialize};

use crate::content::safety::{HelpResource, SafetyCheck};
use crate::guidance::assessment::ScoreError;

/// An answer to one safety question. Questions may be left unanswered;
/// only a yes raises a concern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyAnswer {
    /// The item.
    pub item_id: String,
    /// Yes.
    pub yes: bool,
}

/// What the check found. Device-local, like the answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyOutcome {
    /// Any yes: recommendations stop pushing closeness.
    pub concern: bool,
    /// A yes to a question about danger now.
    pub urgent: bool,
    /// What to tell the person.
    pub message: String,
    /// Where to get help; the urgent ones first when `urgent`.
    pub resources: Vec<HelpResource>,
}

impl SafetyCheck {
    /// Scores answers. A yes to any question raises a concern.
    pub fn assess(&self, answers: &[SafetyAnswer]) -> Result<SafetyOutcome, ScoreError> {
        let mut seen: Vec<&str> = Vec::new();
        let mut concern = false;
        let mut urgent = false;
        for a in answers {
            let Some(item) = self.items.iter().find(|i| i.id == a.item_id) else {
                return Err(ScoreError::UnknownItem {
                    item: a.item_id.clone(),
                });
            };
            if seen.contains(&item.id.as_str()) {
                return Err(ScoreError::Duplicate {
                    item: item.id.clone(),
                });
            }
            seen.push(&item.id);
            concern |= a.yes;
            urgent |= a.yes && item.urgent;
        }
        let mut resources = self.resources.clone();
        if urgent {
            // A stable sort keeps the file's order within each group.
            resources.sort_by_key(|r| !r.urgent);
        }
        let message = match (concern, urgent) {
            // Emergency help comes first, and "this is not your fault"
            // still follows: danger never replaces that message.
            (_, true) => format!("{} {}", self.urgent, self.concern),
            (true, false) => self.concern.clone(),
            (false, false) => self.no_concern.clone(),
        };
        Ok(SafetyOutcome {
            concern,
            urgent,
            message,
            resources,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::embedded;

    fn answers(yes: &[&str]) -> Vec<SafetyAnswer> {
        embedded::safety()
            .unwrap()
            .items
            .iter()
            .map(|i| SafetyAnswer {
                item_id: i.id.clone(),
                yes: yes.contains(&i.id.as_str()),
            })
            .collect()
    }

    #[test]
    fn all_no_raises_nothing() {
        let s = embedded::safety().unwrap();
        let o = s.assess(&answers(&[])).unwrap();
        assert!(!o.concern && !o.urgent);
        assert_eq!(o.message, s.no_concern);
        assert_eq!(
            o.resources.len(),
            s.resources.len(),
            "help is always listed"
        );
        assert!(!s.assess(&[]).unwrap().concern);
    }

    #[test]
    fn one_yes_raises_a_concern() {
        let s = embedded::safety().unwrap();
        let calm = s.items.iter().find(|i| !i.urgent).unwrap();
        let o = s.assess(&answers(&[&calm.id])).unwrap();
        assert!(o.concern);
        assert!(!o.urgent);
        assert_eq!(o.message, s.concern);
    }

    #[test]
    fn danger_now_puts_emergency_help_first() {
        let s = embedded::safety().unwrap();
        let urgent = s.items.iter().find(|i| i.urgent).unwrap();
        let o = s.assess(&answers(&[&urgent.id])).unwrap();
        assert!(o.concern && o.urgent);
        assert!(o.message.starts_with(&s.urgent), "{}", o.message);
        assert!(
            o.message.ends_with(&s.concern),
            "the not-your-fault words stay"
        );
        assert!(o.message.contains("not your fault"));
        assert!(o.resources[0].urgent);
        let first_calm = o.resources.iter().position(|r| !r.urgent).unwrap();
        assert!(o.resources[first_calm..].iter().all(|r| !r.urgent));
    }

    #[test]
    fn the_quieter_forms_of_control_are_asked_about() {
        let s = embedded::safety().unwrap();
        for id in [
            "safety-self-harm-threats",
            "safety-tracking",
            "safety-belongings",
        ] {
            let o = s.assess(&answers(&[id])).unwrap();
            assert!(o.concern, "{id}");
        }
    }

    #[test]
    fn bad_answers_are_rejected() {
        let s = embedded::safety().unwrap();
        let wrong = [SafetyAnswer {
            item_id: "nope".into(),
            yes: true,
        }];
        assert!(matches!(
            s.assess(&wrong),
            Err(ScoreError::UnknownItem { .. })
        ));
        let mut twice = answers(&[]);
        twice.push(twice[0].clone());
        assert!(matches!(
            s.assess(&twice),
            Err(ScoreError::Duplicate { .. })
        ));
    }
}
