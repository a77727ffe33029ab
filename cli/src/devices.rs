//! `hearth devices`: every device of both partners with its safety number,
//! and `hearth devices remove ID` for one of your own other devices (a lost
//! phone).

use std::io::Write;

use hearth_core::Hearth;

use crate::confirm::confirm;
use crate::error::Result;
use crate::render;
use crate::sync::with_progress;

/// Lists the devices, this one first.
pub fn list(hearth: &Hearth, out: &mut impl Write) -> Result<()> {
    for device in hearth.devices()? {
        let whose = if device.this_device {
            "this device".to_owned()
        } else if device.mine {
            format!("{}'s other device", device.member_name)
        } else {
            format!("{}'s device", device.member_name)
        };
        let label = device
            .label
            .as_deref()
            .map(|label| format!(" ({label})"))
            .unwrap_or_default();
        writeln!(out, "{}{label}: {whose}", device.device_id)?;
        if let Some(ms) = device.added_at_ms {
            writeln!(out, "  added {}", render::datetime(ms))?;
        }
        writeln!(out, "  safety number {}", device.safety_number)?;
    }
    writeln!(
        out,
        "Compare a device's safety number with the number on that device's own screen; if they differ, it is not the device you think."
    )?;
    Ok(())
}

/// Removes one of this person's other devices.
pub async fn remove(hearth: &Hearth, id: &str, yes: bool, out: &mut impl Write) -> Result<()> {
    if !yes
        && !confirm(
            "removing a device",
            "Remove this device from your shared space? It will no longer sync, and nothing written from now on reaches it. This cannot be undone.",
            out,
        )?
    {
        writeln!(out, "Nothing was removed.")?;
        return Ok(());
    }
    with_progress("Removing the device", hearth.remove_device(id)).await?;
    writeln!(
        out,
        "Removed. The relay refuses that device from now on; what it already held stays on it."
    )?;
    Ok(())
}
