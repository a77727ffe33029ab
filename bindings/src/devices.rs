//! The device methods of [`Hearth`]: every device of both partners with
//! its safety number, and removing one of this person's other devices (a
//! lost phone).

use hearth_core::DeviceInfo;

use crate::error::HearthError;
use crate::hearth::Hearth;

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
}
