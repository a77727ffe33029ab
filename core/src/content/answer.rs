//! The reveal rule for the daily question: your partner's answer stays
//! hidden until you have answered too, so neither of you answers in the
//! other's shadow.

use serde::{Deserialize, Serialize};

/// What you may see of your partner's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PartnerAnswer {
    /// Your partner has not answered yet.
    NotYet,
    /// Your partner has answered; you see their words once you answer too.
    /// Deliberately holds no text, so nothing can leak through this value.
    Hidden,
    /// Both of you have answered.
    Shown {
        /// Your partner's answer.
        text: String,
    },
}

/// Both sides of a day's question as one partner may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AnswerView {
    /// Your own answer, if you gave one.
    pub mine: Option<String>,
    /// Your partner's answer, as far as you may see it.
    pub partner: PartnerAnswer,
}

/// Applies the reveal rule. An answer that is empty or only whitespace does
/// not count: otherwise saving a blank answer would unlock the partner's.
///
/// ```
/// use hearth_core::content::answer::{PartnerAnswer, reveal};
///
/// // Your partner answered and you have not: you learn only that they did.
/// assert_eq!(reveal(None, Some("the sea")).partner, PartnerAnswer::Hidden);
/// // Once you answer, their words appear.
/// let view = reveal(Some("the mountains"), Some("the sea"));
/// assert_eq!(view.partner, PartnerAnswer::Shown { text: "the sea".into() });
/// ```
pub fn reveal(mine: Option<&str>, partner: Option<&str>) -> AnswerView {
    let mine = mine.filter(|t| !t.trim().is_empty());
    let partner = partner.filter(|t| !t.trim().is_empty());
    let partner = match (mine, partner) {
        (_, None) => PartnerAnswer::NotYet,
        (None, Some(_)) => PartnerAnswer::Hidden,
        (Some(_), Some(text)) => PartnerAnswer::Shown {
            text: text.to_owned(),
        },
    };
    AnswerView {
        mine: mine.map(str::to_owned),
        partner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_text_is_hidden_until_i_answer() {
        let v = reveal(None, Some("the sea"));
        assert_eq!(v.partner, PartnerAnswer::Hidden);
        assert_eq!(v.mine, None);
        // The secret must not be anywhere in what the API returns.
        assert!(!format!("{v:?}").contains("the sea"));
        assert!(!serde_json::to_string(&v).unwrap().contains("the sea"));
    }

    #[test]
    fn both_answered_shows_both() {
        let v = reveal(Some("the mountains"), Some("the sea"));
        assert_eq!(v.mine.as_deref(), Some("the mountains"));
        assert_eq!(
            v.partner,
            PartnerAnswer::Shown {
                text: "the sea".into()
            }
        );
    }

    #[test]
    fn nobody_or_only_me_answered() {
        assert_eq!(reveal(None, None).partner, PartnerAnswer::NotYet);
        let v = reveal(Some("mine"), None);
        assert_eq!(v.partner, PartnerAnswer::NotYet);
        assert_eq!(v.mine.as_deref(), Some("mine"));
    }

    #[test]
    fn a_blank_answer_unlocks_nothing() {
        assert_eq!(
            reveal(Some("  \n"), Some("secret")).partner,
            PartnerAnswer::Hidden
        );
        assert_eq!(reveal(Some(""), Some("secret")).mine, None);
        assert_eq!(
            reveal(Some("mine"), Some(" ")).partner,
            PartnerAnswer::NotYet
        );
    }
}
