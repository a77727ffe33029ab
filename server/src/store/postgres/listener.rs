//! Listens on the relay's `NOTIFY` channel with a connection of its own
//! and turns every announcement (from this process or any other relay on
//! the same database) into a wake-up in the [`LiveHub`]. After a
//! reconnect it re-reads the heads of followed spaces, since notifications
//! sent while disconnected are lost.

use std::sync::Arc;
use std::time::Duration;

use hearth_protocol::{DeviceId, Nameplate, SpaceId};
use tokio::sync::{mpsc, watch};
use tokio_postgres::{AsyncMessage, NoTls};

use crate::live::{LiveHub, until_shutdown};

/// Payload announcing that `writer` moved a space's head from `from` to
/// `head` (so every relay can spare that device an event about its own
/// write).
pub(crate) fn head_payload(space: &SpaceId, from: u64, head: u64, writer: &DeviceId) -> String {
    format!("h:{head}:{from}:{writer}:{space}")
}

/// Payload announcing an erased space.
pub(crate) fn erased_payload(space: &SpaceId) -> String {
    format!("e:{space}")
}

/// Payload announcing activity in a pairing mailbox.
pub(crate) fn pairing_payload(nameplate: &Nameplate) -> String {
    format!("p:{nameplate}")
}

/// Applies one payload to the hub; unknown or malformed ones are ignored
/// (they can only come from a newer relay version on the same database).
pub(crate) fn apply(hub: &LiveHub, payload: &str) {
    if let Some(rest) = payload.strip_prefix("h:") {
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
            hub.announce_write(&space, from, head, writer);
        }
    } else if let Some(space) = payload.strip_prefix("e:") {
        if let Ok(space) = SpaceId::parse(space) {
            hub.erased(&space);
        }
    } else if let Some(nameplate) = payload.strip_prefix("p:")
        && let Ok(nameplate) = Nameplate::parse(nameplate)
    {
        hub.pairing_changed(&nameplate);
    }
}

/// Runs until shutdown, reconnecting with backoff.
pub(crate) async fn run(
    config: tokio_postgres::Config,
    channel: String,
    hub: Arc<LiveHub>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut backoff = Duration::from_millis(250);
    loop {
        if *shutdown.borrow() {
            return;
        }
        match listen_once(&config, &channel, &hub, &mut shutdown).await {
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
    channel: &str,
    hub: &LiveHub,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<Ended, String> {
    let (client, mut connection) = config
        .connect(NoTls)
        .await
        .map_err(|error| describe(&error))?;
    let (tell, mut payloads) = mpsc::unbounded_channel::<String>();
    // The connection delivers notifications only while polled.
    let driver = tokio::spawn(async move {
        while let Some(message) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
            match message {
                Ok(AsyncMessage::Notification(notification)) => {
                    if tell.send(notification.payload().to_owned()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
    });
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
                    Some(payload) => apply(hub, &payload),
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
        match super::heads(client, &watched).await {
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
        apply(&hub, &head_payload(&space, 8, 9, &writer));
        assert_eq!(
            watch.changed().await,
            Some(crate::live::SpaceSignal::Head {
                head: 9,
                last_write: Some((8, writer))
            })
        );
        apply(&hub, &erased_payload(&space));
        assert_eq!(
            watch.changed().await,
            Some(crate::live::SpaceSignal::Erased)
        );
        // Garbage is ignored rather than misread.
        apply(&hub, "h:x:space-1");
        apply(&hub, "z:whatever");
    }
}
