//! Listens on the relay's `NOTIFY` channel with a connection of its own
//! and turns every announcement (from this process or any other relay on
//! the same database) into a wake-up in the [`LiveHub`]. After a
//! reconnect it re-reads the heads and removed devices of followed spaces,
//! since notifications sent while disconnected are lost.

use std::sync::Arc;
use std::time::Duration;

use hearth_protocol::{DeviceId, Nameplate, SpaceId};
use tokio::sync::watch;

use crate::live::{LiveHub, until_shutdown};

/// Which relay process sent a notification: each process announces its
/// own writes directly and skips their echo, which carries no items and
/// could overtake the direct announcement.
pub(crate) type Instance = u64;

/// Payload announcing that `writer` moved a space's head from `from` to
/// `head` (so every relay can spare that device an event about its own
/// write).
pub(crate) fn head_payload(
    instance: Instance,
    space: &SpaceId,
    from: u64,
    head: u64,
    writer: &DeviceId,
) -> String {
    format!("h:{instance}:{head}:{from}:{writer}:{space}")
}

/// Payload announcing an erased space.
pub(crate) fn erased_payload(instance: Instance, space: &SpaceId) -> String {
    format!("e:{instance}:{space}")
}

/// Payload announcing that `device` was removed from a space.
pub(crate) fn removed_payload(instance: Instance, space: &SpaceId, device: &DeviceId) -> String {
    format!("r:{instance}:{device}:{space}")
}

/// Payload announcing activity in a pairing mailbox.
pub(crate) fn pairing_payload(instance: Instance, nameplate: &Nameplate) -> String {
    format!("p:{instance}:{nameplate}")
}

/// Applies one payload to the hub, unless this process sent it; unknown or
/// malformed ones are ignored (they can only come from a newer relay
/// version on the same database).
pub(crate) fn apply(hub: &LiveHub, own: Instance, payload: &str) {
    let Some((kind, rest)) = payload.split_once(':') else {
        return;
    };
    let Some((sender, rest)) = rest.split_once(':') else {
        return;
    };
    if sender.parse::<Instance>().is_ok_and(|sender| sender == own) {
        return;
    }
    match kind {
        "h" => {
            let mut parts = rest.splitn(4, ':');
            if let (Some(head), Some(from), Some(writer), Some(space)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
                && let (Ok(head), Ok(from), Ok(writer), Ok(space)) = (
                    head.parse::<u64>(),
                    from.parse::<u64>(),
                    DeviceId::parse(writer),
                    SpaceId::parse(space),
                )
            {
                // Items are not sent between relays: streams here get a
                // head event and pull.
                hub.announce_write(&space, from, head, writer, Vec::new());
            }
        }
        "e" => {
            if let Ok(space) = SpaceId::parse(rest) {
                hub.erased(&space);
            }
        }
        "r" => {
            if let Some((device, space)) = rest.split_once(':')
                && let (Ok(device), Ok(space)) = (DeviceId::parse(device), SpaceId::parse(space))
            {
                hub.device_removed(&space, device);
            }
        }
        "p" => {
            if let Ok(nameplate) = Nameplate::parse(rest) {
                hub.pairing_changed(&nameplate);
            }
        }
        _ => {}
    }
}

/// Runs until shutdown, reconnecting with backoff.
pub(crate) async fn run(
    config: tokio_postgres::Config,
    tls: super::tls::Tls,
    channel: String,
    instance: Instance,
    hub: Arc<LiveHub>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_millis(250);
    loop {
        if *shutdown.borrow() {
            return;
        }
        match listen_once(&config, &tls, &channel, instance, &hub, &mut shutdown).await {
            Ok(Ended::Shutdown) => return,
            Ok(Ended::Disconnected) => {
                tracing::warn!("postgres listener lost its connection; reconnecting");
                backoff = Duration::from_millis(250);
            }
            Err(error) => {
                tracing::warn!(
                    error = %error,
                    retry_in_ms = u64::try_from(backoff.as_millis()).unwrap_or(u64::MAX),
                    "postgres listener could not connect"
                );
            }
        }
        tokio::select! {
            () = tokio::time::sleep(backoff) => {}
            () = until_shutdown(&mut shutdown) => return,
        }
        backoff = (backoff * 2).min(Duration::from_secs(30));
    }
}

enum Ended {
    Shutdown,
    Disconnected,
}

async fn listen_once(
    config: &tokio_postgres::Config,
    tls: &super::tls::Tls,
    channel: &str,
    instance: Instance,
    hub: &LiveHub,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<Ended, String> {
    let super::tls::Connected {
        client,
        notifications: mut payloads,
        driver,
    } = tls
        .connect(config)
        .await
        .map_err(|error| describe(&error))?;
    let ended = async {
        // The channel name is built from a checked schema name.
        client
            .batch_execute(&format!("LISTEN \"{channel}\""))
            .await
            .map_err(|error| describe(&error))?;
        catch_up(&client, hub).await;
        loop {
            tokio::select! {
                payload = payloads.recv() => match payload {
                    Some(payload) => apply(hub, instance, &payload),
                    None => return Ok(Ended::Disconnected),
                },
                () = until_shutdown(shutdown) => return Ok(Ended::Shutdown),
            }
        }
    }
    .await;
    drop(client);
    driver.abort();
    ended
}

/// Re-reads the heads of followed spaces and wakes pairing reads.
async fn catch_up(client: &tokio_postgres::Client, hub: &LiveHub) {
    let watched = hub.watched_spaces();
    if !watched.is_empty() {
        match super::log::heads(client, &watched).await {
            Ok(heads) => {
                for space in &watched {
                    match heads.get(space) {
                        Some(head) => hub.announce(space, *head),
                        None => hub.erased(space),
                    }
                }
            }
            Err(_) => tracing::warn!("postgres listener could not re-read heads"),
        }
        match super::devices::removed_devices(client, &watched).await {
            Ok(removed) => {
                for (space, device) in removed {
                    hub.device_removed(&space, device);
                }
            }
            Err(_) => tracing::warn!("postgres listener could not re-read removed devices"),
        }
    }
    hub.wake_all_pairings();
}

fn describe(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("postgres {}", db.code().code()),
        None => "postgres connection failed".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn payloads_round_trip_into_wake_ups() {
        let hub = Arc::new(LiveHub::default());
        let space = SpaceId::parse("space-1").unwrap();
        let writer =
            DeviceId::from_key(&ed25519_dalek::SigningKey::from_bytes(&[5; 32]).verifying_key());
        let mut watch = hub.watch_space(&space);
        watch.raise(1);
        apply(&hub, 1, &head_payload(2, &space, 8, 9, &writer));
        assert_eq!(
            watch.changed().await,
            Some(crate::live::SpaceSignal::Head {
                head: 9,
                last_write: Some((8, writer))
            })
        );
        // This process's own echo is skipped.
        apply(&hub, 1, &head_payload(1, &space, 9, 10, &writer));
        apply(&hub, 1, &erased_payload(2, &space));
        assert_eq!(
            watch.changed().await,
            Some(crate::live::SpaceSignal::Erased)
        );
        // Garbage is ignored rather than misread.
        apply(&hub, 1, "h:2:x:space-1");
        apply(&hub, 1, "z:whatever");
        apply(&hub, 1, "h");
    }
}
