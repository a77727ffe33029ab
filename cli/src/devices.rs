//! `hearth devices`: every device of both partners with its safety number;
//! `hearth devices link` and `hearth link CODE` to add a device of your
//! own; `hearth devices remove ID` for one of your own other devices (a
//! lost phone).

use std::io::Write;
use std::path::Path;

use hearth_core::{Hearth, LinkResult, OpenOptions};

use crate::confirm::confirm;
use crate::error::Result;
use crate::render;
use crate::sync::{minutes_left, with_progress};

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

/// `hearth devices link`: shows the code, waits for the new device, shows
/// the number to compare.
pub async fn link(hearth: &Hearth, out: &mut impl Write) -> Result<()> {
    let invite = hearth.start_linking().await?;
    let left = minutes_left(invite.expires_at_ms - hearth.now_ms());
    let relay = hearth.sync_status()?.relay_url.unwrap_or_default();
    writeln!(out, "Your link code: {}", invite.code)?;
    writeln!(
        out,
        "On the new device, run `hearth link {} --relay {relay}` (the code works once, for the next {left}).",
        invite.code
    )?;
    out.flush()?;
    let result = with_progress(
        "Waiting for the new device to type the code",
        hearth.finish_linking(),
    )
    .await?;
    linked(&result, out)?;
    writeln!(
        out,
        "If it does not, remove the new device at once with `hearth devices remove ID` (`hearth devices` lists the ids)."
    )?;
    Ok(())
}

/// `hearth link CODE --relay URL`: sets up this data folder as another
/// device of a person, then fetches the shared journal.
pub async fn link_here(
    dir: &Path,
    code: &str,
    relay: &str,
    label: Option<&str>,
    out: &mut impl Write,
) -> Result<()> {
    let (hearth, result) = with_progress(
        "Linking",
        Hearth::link(dir, OpenOptions::default(), relay, code, label),
    )
    .await?;
    linked(&result, out)?;
    writeln!(
        out,
        "If it does not, remove this device from your other one: `hearth devices remove {}`.",
        hearth.profile()?.device_id
    )?;
    let report = with_progress("Fetching the shared journal", hearth.sync_now()).await?;
    writeln!(out, "{}", crate::sync::describe(&report))?;
    writeln!(
        out,
        "Entries kept private stay on the device they were written on."
    )?;
    Ok(())
}

fn linked(result: &LinkResult, out: &mut impl Write) -> Result<()> {
    let which = result
        .device_label
        .as_deref()
        .map(|label| format!(" ({label})"))
        .unwrap_or_default();
    writeln!(
        out,
        "Linked a new device{which} of {}'s.",
        result.member_name
    )?;
    writeln!(out, "Safety number: {}", result.safety_number)?;
    writeln!(out, "Check that both devices show this same number.")?;
    Ok(())
}
