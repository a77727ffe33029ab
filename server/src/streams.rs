//! Live streams held open, counted per device and per client address, so
//! one device or one address cannot hold the relay's connections: a
//! stream takes a [`StreamSlot`] when it opens and gives it back when it
//! ends (the slot's drop).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use hearth_protocol::DeviceId;

use crate::rate_limit::bucket_key;

/// Open streams per device and per address.
#[derive(Debug, Default)]
pub(crate) struct StreamSlots {
    open: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    devices: HashMap<DeviceId, usize>,
    addresses: HashMap<IpAddr, usize>,
}

/// Which cap a new stream would pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StreamCap {
    /// The device holds as many streams as allowed.
    Device(usize),
    /// The address holds as many streams as allowed.
    Address(usize),
}

impl StreamSlots {
    /// Takes a slot for a stream of `device` from `ip`, or says which cap
    /// refuses it.
    pub fn take(
        self: &Arc<Self>,
        device: DeviceId,
        ip: IpAddr,
        per_device: usize,
        per_address: usize,
    ) -> Result<StreamSlot, StreamCap> {
        let address = bucket_key(ip);
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if open.devices.get(&device).copied().unwrap_or(0) >= per_device {
            return Err(StreamCap::Device(per_device));
        }
        if open.addresses.get(&address).copied().unwrap_or(0) >= per_address {
            return Err(StreamCap::Address(per_address));
        }
        *open.devices.entry(device).or_insert(0) += 1;
        *open.addresses.entry(address).or_insert(0) += 1;
        Ok(StreamSlot {
            slots: Arc::clone(self),
            device,
            address,
        })
    }

    fn give_back(&self, device: &DeviceId, address: &IpAddr) {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        release(&mut open.devices, device);
        release(&mut open.addresses, address);
    }
}

fn release<K: std::hash::Hash + Eq>(counts: &mut HashMap<K, usize>, key: &K) {
    if let Some(count) = counts.get_mut(key) {
        *count = count.saturating_sub(1);
        if *count == 0 {
            counts.remove(key);
        }
    }
}

/// One open stream's place; given back on drop.
#[derive(Debug)]
pub(crate) struct StreamSlot {
    slots: Arc<StreamSlots>,
    device: DeviceId,
    address: IpAddr,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.slots.give_back(&self.device, &self.address);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_capped_per_device_and_per_address_and_given_back() {
        let slots = Arc::new(StreamSlots::default());
        let device = |n: u8| {
            DeviceId::from_key(&ed25519_dalek::SigningKey::from_bytes(&[n; 32]).verifying_key())
        };
        let here: IpAddr = "192.0.2.1".parse().unwrap();
        let a1 = slots.take(device(1), here, 2, 3).unwrap();
        let _a2 = slots.take(device(1), here, 2, 3).unwrap();
        assert_eq!(
            slots.take(device(1), here, 2, 3).unwrap_err(),
            StreamCap::Device(2)
        );
        let _b1 = slots.take(device(2), here, 2, 3).unwrap();
        assert_eq!(
            slots.take(device(2), here, 2, 3).unwrap_err(),
            StreamCap::Address(3)
        );
        drop(a1);
        assert!(slots.take(device(1), here, 2, 3).is_ok());
        assert!(
            slots
                .take(device(3), "192.0.2.2".parse().unwrap(), 2, 3)
                .is_ok()
        );
    }
}
