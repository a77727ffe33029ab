//! The facade's assessments: taking one, sharing results and comparing them.

use crate::content::assessment::Assessments;
use crate::content::embedded;
use crate::content::taxonomy::Dimension;
use crate::error::{Error, Result};
use crate::guidance::assessment::AssessmentResult;
use crate::guidance::assessment::{self, AssessmentAnswers, AssessmentKind, Comparison};

use crate::hearth::Hearth;

impl Hearth {
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

    /// A result explained in words (this partner's or the other's shared
    /// one): the main point, a sentence per part, and how to read it.
    pub fn explain_assessment(
        &self,
        result: &AssessmentResult,
    ) -> Result<crate::guidance::assessment::Explanation> {
        Ok(embedded::assessments()?.explain(result))
    }
}
