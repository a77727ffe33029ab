//! `hearth devices`: every device of both partners with its safety number;
//! `hearth devices link` and `hearth link CODE` to add a device of your
//! own; `hearth devices remove ID` for one of your own other devices (a
//! lost phone); `hearth devices let-in` and `hearth rejoin CODE` for a
//! partner who lost every device of theirs.

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

/// How a new device comes into the space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joining {
    /// Another device of the same person.
    Link,
    /// The partner's new device, after they lost every device of theirs.
    Rejoin,
}

/// `hearth devices link` and `hearth devices let-in`: shows the code,
/// waits for the new device, shows the number to compare.
pub async fn link(hearth: &Hearth, joining: Joining, out: &mut impl Write) -> Result<()> {
    let asking = "Asking the relay for a code";
    let invite = match joining {
        Joining::Link => with_progress(asking, hearth.start_linking()).await?,
        Joining::Rejoin => with_progress(asking, hearth.start_partner_recovery()).await?,
    };
    let left = minutes_left(invite.expires_at_ms - hearth.now_ms());
    let relay = hearth.sync_status()?.relay_url.unwrap_or_default();
    let (what, command) = match joining {
        Joining::Link => ("Your link code", "link"),
        Joining::Rejoin => ("The code for your partner's new device", "rejoin"),
    };
    writeln!(out, "{what}: {}", invite.code)?;
    writeln!(
        out,
        "On the new device, run `hearth {command} {} --relay {relay}` (the code works once, for the next {left}).",
        invite.code
    )?;
    if joining == Joining::Rejoin {
        writeln!(
            out,
            "Only do this with your partner beside you or on a call: once the new device is in, their other devices are removed."
        )?;
    }
    out.flush()?;
    let result = with_progress(
        "Waiting for the new device to type the code",
        hearth.finish_linking(),
    )
    .await?;
    linked(&result, joining, false, out)?;
    writeln!(
        out,
        "If it does not, remove the new device at once with `hearth devices remove {}`.",
        result.device_id
    )?;
    Ok(())
}

/// `hearth link CODE --relay URL` and `hearth rejoin CODE --relay URL`:
/// sets up this data folder as another device of a person, then fetches
/// the shared journal.
pub async fn link_here(
    joining: Joining,
    dir: &Path,
    (code, relay): (&str, &str),
    label: Option<&str>,
    out: &mut impl Write,
) -> Result<()> {
    let (hearth, result) = match joining {
        Joining::Link => {
            with_progress(
                "Linking",
                Hearth::link(dir, OpenOptions::default(), relay, code, label),
            )
            .await?
        }
        Joining::Rejoin => {
            with_progress(
                "Joining again",
                Hearth::recover(dir, OpenOptions::default(), relay, code, label),
            )
            .await?
        }
    };
    linked(&result, joining, true, out)?;
    match joining {
        Joining::Link => writeln!(
            out,
            "If it does not, remove this device from your other one: `hearth devices remove {}`.",
            hearth.profile()?.device_id
        )?,
        Joining::Rejoin => writeln!(
            out,
            "If it does not, tell your partner: their device then refuses this one."
        )?,
    }
    let report = with_progress("Fetching the shared journal", hearth.sync_now()).await?;
    writeln!(out, "{}", crate::sync::describe(&report))?;
    let kept = match joining {
        Joining::Link => "Entries kept private stay on the device they were written on.",
        Joining::Rejoin => {
            "Your lost devices are removed from the shared space. Entries you kept private were on them and do not come back."
        }
    };
    writeln!(out, "{kept}")?;
    Ok(())
}

/// What both sides print once the device is in; `here` on the new device.
fn linked(result: &LinkResult, joining: Joining, here: bool, out: &mut impl Write) -> Result<()> {
    let which = result
        .device_label
        .as_deref()
        .map(|label| format!(" ({label})"))
        .unwrap_or_default();
    match joining {
        Joining::Link => writeln!(
            out,
            "Linked a new device{which} of {}'s.",
            result.member_name
        )?,
        Joining::Rejoin if here => writeln!(
            out,
            "You are back in your shared space as {}, on this new device{which}.",
            result.member_name
        )?,
        Joining::Rejoin => writeln!(
            out,
            "{} is back in your shared space on a new device{which}.",
            result.member_name
        )?,
    }
    writeln!(out, "Safety number: {}", result.safety_number)?;
    writeln!(out, "Check that both devices show this same number.")?;
    Ok(())
}
