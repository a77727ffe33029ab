//! The opt-in rule for sexual content: it appears only while both partners
//! have said yes, and either partner saying no hides it again.

use serde::{Deserialize, Serialize};

/// Each partner's current choice about sexual content. The lead stores both
/// in the couple's space document; only the rule lives here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SexualContentConsent {
    /// This partner opted in.
    pub mine: bool,
    /// The other partner opted in.
    pub partner: bool,
}

impl SexualContentConsent {
    /// Whether sexual content may be shown: only when both said yes. Not
    /// knowing the partner's choice (not paired yet) counts as no.
    ///
    /// ```
    /// use hearth_core::guidance::consent::SexualContentConsent;
    ///
    /// assert!(!SexualContentConsent { mine: true, partner: false }.allows_sexual_content());
    /// assert!(SexualContentConsent { mine: true, partner: true }.allows_sexual_content());
    /// ```
    pub fn allows_sexual_content(self) -> bool {
        self.mine && self.partner
    }

    /// Whether this partner said yes and the other has not (yet). Shown only
    /// to this partner ("it appears when you have both opted in"); the other
    /// partner is never told or nudged, so saying no costs nothing.
    pub fn waiting_on_partner(self) -> bool {
        self.mine && !self.partner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_both_yes_allows() {
        let c = |mine, partner| SexualContentConsent { mine, partner };
        assert!(c(true, true).allows_sexual_content());
        assert!(!c(true, false).allows_sexual_content());
        assert!(!c(false, true).allows_sexual_content());
        assert!(!c(false, false).allows_sexual_content());
        assert!(!SexualContentConsent::default().allows_sexual_content());
        assert!(c(true, false).waiting_on_partner());
        assert!(!c(false, true).waiting_on_partner());
    }
}
