//! The devices part of Settings: every device of both partners with its
//! name and safety number, linking another device of this person (show a
//! code, wait, compare the number), and removing one of this person's other
//! devices. The network calls run beside the app's task (see `work.rs`),
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
}

impl Default for Devices {
    fn default() -> Self {
        Self {
            list: Vec::new(),
            linking: LinkingStep::Idle,
            attempt: 0,
            removing: false,
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
        }
    }

    /// Starts a new linking attempt; answers to older ones are ignored.
    pub(crate) fn next_attempt(&mut self) -> u64 {
        self.attempt += 1;
        self.linking = LinkingStep::GettingCode;
        self.attempt
    }

    /// Ends the flow, the attempt abandoned.
    pub(crate) fn stop_linking(&mut self) {
        self.attempt += 1;
        self.linking = LinkingStep::Idle;
    }
}
