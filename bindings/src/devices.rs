//! The device methods of [`Hearth`]: every device of both partners with
//! its safety number, linking a new device of this person, letting a
//! partner who lost every device back in, and removing one of this
//! person's other devices (a lost phone).

use std::sync::Arc;

use hearth_core::{DeviceInfo, LinkResult};

use crate::error::HearthError;
use crate::hearth::Hearth;
use crate::key_store::KeyStore;
use hearth_core::sync::PairingInvite;

/// A new device set up by [`link_device`]: its opened profile, and what to
/// show (the number both devices must agree on).
#[derive(Debug, uniffi::Record)]
pub struct LinkedDevice {
    /// The new device's profile, open.
    pub hearth: Arc<Hearth>,
    /// The person, the device's name and the safety number.
    pub result: LinkResult,
}

/// Sets up `data_dir` (a folder with no profile) as another device of a
/// person who already uses Hearth, with the code their existing device
/// shows (`start_linking`) and the relay it syncs through. The shared
/// journal arrives with the first sync; private entries stay where they
/// were written. `label` names the device for both partners ("laptop").
#[uniffi::export(async_runtime = "tokio", default(label = None, key_store = None))]
pub async fn link_device(
    data_dir: String,
    relay_url: String,
    code: String,
    label: Option<String>,
    key_store: Option<Arc<dyn KeyStore>>,
) -> Result<LinkedDevice> {
    let options = crate::hearth::open_options(None, key_store);
    let linked =
        hearth_core::Hearth::link(data_dir, options, &relay_url, &code, label.as_deref()).await?;
    LinkedDevice::opened(linked)
}

/// Sets up `data_dir` (a folder with no profile) as the new device of a
/// person who lost every device of theirs, with the code the partner's
/// device shows (`start_partner_recovery`) and the relay it syncs through.
/// The person's earlier devices are removed from the space.
#[uniffi::export(async_runtime = "tokio", default(label = None, key_store = None))]
pub async fn rejoin_device(
    data_dir: String,
    relay_url: String,
    code: String,
    label: Option<String>,
    key_store: Option<Arc<dyn KeyStore>>,
) -> Result<LinkedDevice> {
    let options = crate::hearth::open_options(None, key_store);
    let rejoined =
        hearth_core::Hearth::recover(data_dir, options, &relay_url, &code, label.as_deref())
            .await?;
    LinkedDevice::opened(rejoined)
}

impl LinkedDevice {
    /// The profile a link or a recovery opened, wrapped for the shells.
    fn opened((core, result): (hearth_core::Hearth, LinkResult)) -> Result<Self> {
        Ok(Self {
            hearth: Hearth::wrap(core)?,
            result,
        })
    }
}

type Result<T, E = HearthError> = std::result::Result<T, E>;

#[uniffi::export(async_runtime = "tokio")]
impl Hearth {
    /// Every device of both partners, this phone first, each with the
    /// person it belongs to and a 30-digit safety number to compare.
    pub fn devices(&self) -> Result<Vec<DeviceInfo>> {
        Ok(self.core.devices()?)
    }

    /// Removes another device of this person (a lost phone): the relay
    /// refuses it from then on. The partner's devices and this phone
    /// itself cannot be removed here.
    pub async fn remove_device(&self, device_id: String) -> Result<()> {
        Ok(self.core.remove_device(&device_id).await?)
    }

    /// Starts linking a new device of this person: the code to show on
    /// this screen. Then call `finish_linking`.
    pub async fn start_linking(&self) -> Result<PairingInvite> {
        Ok(self.core.start_linking().await?)
    }

    /// Starts letting the partner back in on a new device after they lost
    /// every device of theirs: the code to show. Then call
    /// `finish_linking`.
    pub async fn start_partner_recovery(&self) -> Result<PairingInvite> {
        Ok(self.core.start_partner_recovery().await?)
    }

    /// Waits for the new device to type the code, then admits it and tells
    /// the other devices. Both screens then show the same number.
    pub async fn finish_linking(&self) -> Result<LinkResult> {
        Ok(self.core.finish_linking().await?)
    }
}
