//! The devices part of Settings: every device of both partners with its
//! name and safety number, linking another device of this person (show a
//! code, wait, compare the number), letting the partner back in after they
//! lost every device of theirs (the same flow), and removing one of this
//! person's other devices. The network calls run beside the app's task (see `work.rs`),
//! each linking step tagged with its attempt, so the answer to an abandoned
//! attempt changes nothing.

use crate::error::Result;
use crate::hearth::DeviceInfo;

use super::Cx;
use super::view::{DevicesView, LinkingStep};

#[derive(Debug)]
pub(crate) struct Devices {
    list: Vec<DeviceInfo>,
    pub(crate) linking: LinkingStep,
    /// Which linking attempt is current.
    pub(crate) attempt: u64,
    /// A removal is under way.
    pub(crate) removing: bool,
    /// The current flow lets the partner back in.
    for_partner: bool,
}

/// How a device comes into the space from the welcome screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Joining {
    /// Another device of a person with a device in the space.
    Link,
    /// The new device of a person who lost every device of theirs.
    Rejoin,
}

impl Default for Devices {
    fn default() -> Self {
        Self {
            list: Vec::new(),
            linking: LinkingStep::Idle,
            attempt: 0,
            removing: false,
            for_partner: false,
        }
    }
}

impl Devices {
    pub(crate) fn load(&mut self, cx: &Cx<'_>) -> Result<()> {
        self.list = cx.hearth.devices()?;
        Ok(())
    }

    pub(crate) fn view(&self) -> DevicesView {
        DevicesView {
            devices: self.list.clone(),
            linking: self.linking.clone(),
            removing: self.removing,
            for_partner: self.for_partner,
        }
    }

    /// Starts a new linking attempt; answers to older ones are ignored.
    pub(crate) fn next_attempt(&mut self, for_partner: bool) -> u64 {
        self.attempt += 1;
        self.for_partner = for_partner;
        self.linking = LinkingStep::GettingCode;
        self.attempt
    }

    /// Ends the flow, the attempt abandoned.
    pub(crate) fn stop_linking(&mut self) {
        self.attempt += 1;
        self.linking = LinkingStep::Idle;
    }
}
