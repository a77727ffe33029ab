//! The pairing flow's steps: show a code or type the partner's, then
//! compare the safety number. The cryptography and the relay's mailbox are
//! the core's `sync` module; the network calls run in the background (see
//! `mod.rs`), each tagged with the attempt it belongs to, so a late answer
//! from an abandoned attempt changes nothing.

use super::view::{PairingStep, PairingView, Problem};

#[derive(Debug)]
pub(crate) struct Pairing {
    pub(crate) step: PairingStep,
    pub(crate) visible: bool,
    pub(crate) busy: bool,
    /// Which attempt is current.
    pub(crate) attempt: u64,
    pub(crate) problem: Option<Problem>,
}

impl Default for Pairing {
    fn default() -> Self {
        Self {
            step: PairingStep::Choose,
            visible: false,
            busy: false,
            attempt: 0,
            problem: None,
        }
    }
}

impl Pairing {
    /// Starts a new attempt; answers to older ones are ignored.
    pub(crate) fn next_attempt(&mut self, step: PairingStep) -> u64 {
        self.attempt += 1;
        self.step = step;
        self.busy = true;
        self.problem = None;
        self.attempt
    }

    /// Back to the first step, the attempt abandoned.
    pub(crate) fn reset(&mut self, visible: bool) {
        self.attempt += 1;
        self.step = PairingStep::Choose;
        self.visible = visible;
        self.busy = false;
    }

    pub(crate) fn view(&self, needs_relay: bool) -> Option<PairingView> {
        self.visible.then(|| PairingView {
            step: self.step.clone(),
            needs_relay,
            busy: self.busy,
            problem: self.problem.clone(),
        })
    }
}
