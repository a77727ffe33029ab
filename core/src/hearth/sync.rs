//! The facade's sync methods: choosing the relay, pairing, syncing once,
//! the sync status, and leaving the shared space. Live sync is in
//! `sync/live.rs`.

use hearth_protocol::{ErrorCode, SpaceId};

use super::Hearth;
use crate::crypto::{MemberProfile, PairingCode, PairingOutcome, Purpose, SpaceKey};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::sync::client::RelayClient;
use crate::sync::engine::{Engine, PushPlan, member_tag};
use crate::sync::live::Backoff;
use crate::sync::state::{
    self, CLOSED, CURSOR, LAST_ERROR, LAST_SYNCED, NOTICE, PAIRED, RELAY_URL,
};
use crate::sync::{PairingInvite, PairingResult, SyncReport, SyncStatus, pairing};

/// How long a clean sync's time stands for the ones after it.
const NOTED_WITHIN_MS: i64 = 1_000;

impl Hearth {
    /// Sets the relay this phone syncs through.
    pub fn set_relay(&self, url: &str) -> Result<()> {
        let url = checked_relay_url(url)?;
        self.store.write(|tx| state::set(tx, RELAY_URL, url))
    }

    /// The client of the chosen relay, built once per address so its
    /// connections are reused from one sync to the next.
    pub(super) fn client(&self) -> Result<RelayClient> {
        self.client_for(self.store.read(|c| state::get(c, RELAY_URL))?)
    }

    /// The client of relay `url` (as read from the store).
    fn client_for(&self, url: Option<String>) -> Result<RelayClient> {
        let url = url.ok_or(Error::NoRelay)?;
        let mut cached = self
            .relay_client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((for_url, client)) = cached.as_ref()
            && *for_url == url
        {
            return Ok(client.clone());
        }
        let client = RelayClient::new(&url)?;
        *cached = Some((url, client.clone()));
        Ok(client)
    }

    pub(super) fn space(&self) -> Result<(SpaceId, String)> {
        self.store.read(|c| self.space_in(c))
    }

    fn space_in(&self, conn: &rusqlite::Connection) -> Result<(SpaceId, String)> {
        let id = self.space_id(conn)?;
        let parsed = SpaceId::parse(&id)
            .map_err(|_| Error::DamagedDatabase("this device's space id is not valid".into()))?;
        Ok((parsed, id))
    }

    /// This phone's space key, made the first time it is needed.
    pub(super) fn space_key(&self, space_id: &str, create: bool) -> Result<SpaceKey> {
        if let Some(key) = SpaceKey::load(self.key_store.as_ref(), space_id)? {
            return Ok(key);
        }
        if !create {
            return Err(Error::NotPaired);
        }
        let key = SpaceKey::generate().map_err(Error::sync_failed)?;
        key.save(self.key_store.as_ref(), space_id)?;
        Ok(key)
    }

    pub(super) fn me(&self) -> Result<MemberProfile> {
        Ok(MemberProfile {
            member_id: self.member.clone(),
            display_name: self.profile()?.me.name,
        })
    }

    // --- pairing -------------------------------------------------------------------

    /// Starts pairing as the partner who shows the code: registers the
    /// couple's space at the relay and opens a pairing mailbox. Show the
    /// code, then call [`Hearth::finish_pairing`].
    ///
    /// A paired phone refuses ([`Error::AlreadyPaired`]) before anything
    /// reaches the relay: a space holds two people.
    pub async fn start_pairing(&self) -> Result<PairingInvite> {
        self.store.read(state::check_open)?;
        self.check_not_paired()?;
        let client = self.client()?;
        let (space, space_id) = self.space()?;
        let key = self.space_key(&space_id, true)?;
        let me = member_tag(&key, &self.member)?;
        client.create_space(&self.keys, &space, Some(me)).await?;
        self.store
            .write(|tx| state::set(tx, state::SPACE_CREATED, "1"))?;
        let invite = pairing::invite(&client, Purpose::Pair).await?;
        Ok(self.keep_invite(invite))
    }

    /// Refuses a second pairing: a couple is two people.
    fn check_not_paired(&self) -> Result<()> {
        if self.store.read(|c| state::get(c, PAIRED))?.is_some() {
            return Err(Error::AlreadyPaired);
        }
        Ok(())
    }

    fn lock_pairing(&self) -> std::sync::MutexGuard<'_, Option<pairing::Invite>> {
        self.pairing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes the waiting invite made for `purpose`; one made for the other
    /// purpose stays.
    pub(super) fn take_invite(&self, purpose: Purpose) -> Result<pairing::Invite> {
        let mut waiting = self.lock_pairing();
        match waiting.take() {
            Some(invite) if invite.purpose == purpose => Ok(invite),
            other => {
                *waiting = other;
                Err(Error::NoPairingInProgress)
            }
        }
    }

    /// Keeps `invite` until its finish call; returns what to show.
    pub(super) fn keep_invite(&self, invite: pairing::Invite) -> PairingInvite {
        let shown = PairingInvite {
            code: invite.code.to_string(),
            expires_at_ms: i64::try_from(invite.expires_at)
                .unwrap_or(i64::MAX / 1000)
                .saturating_mul(1000),
        };
        *self.lock_pairing() = Some(invite);
        shown
    }

    /// Waits for the partner to type the code, then shares the space with
    /// them. Both phones then show the same safety number.
    pub async fn finish_pairing(&self) -> Result<PairingResult> {
        let invite = self.take_invite(Purpose::Pair)?;
        self.check_not_paired()?;
        let client = self.client()?;
        let (space, space_id) = self.space()?;
        let key = self.space_key(&space_id, false)?;
        let outcome =
            pairing::host(&client, &invite, &self.keys, self.me()?, &space_id, &key).await?;
        let joiner = hearth_protocol::DeviceId::parse(&outcome.joiner.device.device_id())
            .map_err(Error::pairing_failed)?;
        // The relay counts people by these tags and refuses a third.
        let member = member_tag(&key, &outcome.joiner.member_id)?;
        client
            .add_device(&self.keys, &space, joiner, Some(member))
            .await?;
        self.paired(&outcome, false)
    }

    /// Joins the partner's space with the code they show. A paired phone
    /// refuses ([`Error::AlreadyPaired`]): it would leave its partner.
    pub async fn join_partner(&self, code: &str) -> Result<PairingResult> {
        self.store.read(state::check_open)?;
        self.check_not_paired()?;
        let code = PairingCode::parse(code).map_err(|e| Error::InvalidCode(e.to_string()))?;
        let client = self.client()?;
        let outcome = pairing::join(&client, &code, &self.keys, self.me()?).await?;
        outcome
            .space_key
            .save(self.key_store.as_ref(), &outcome.space_id)?;
        let result = self.paired(&outcome, true)?;
        // The host adds this device right after its half finishes; wait for
        // that briefly so the first sync works.
        wait_until_admitted(&client, &self.keys, &outcome.space_id).await?;
        Ok(result)
    }

    /// Records what pairing taught this phone: the space (for the joiner),
    /// the partner's device keys and name.
    fn paired(&self, outcome: &PairingOutcome, joiner: bool) -> Result<PairingResult> {
        let partner = if joiner {
            &outcome.host
        } else {
            &outcome.joiner
        };
        let now = self.now_ms();
        self.store.write(|tx| {
            if joiner {
                crate::store::device::set_space_id(tx, &outcome.space_id)?;
            }
            state::add_device(tx, &partner.member_id, &partner.device, now)?;
            crate::store::members::put_partner(tx, &partner.member_id, &partner.display_name)?;
            state::set(tx, PAIRED, "1")?;
            state::set(tx, CURSOR, "0")
        })?;
        self.emit([Event::SyncStatusChanged]);
        Ok(PairingResult {
            partner_name: partner.display_name.clone(),
            safety_number: outcome.safety_number.clone(),
        })
    }

    // --- syncing -------------------------------------------------------------------

    /// Refuses what needs a live place in the space: the space closed,
    /// never paired, or this device removed.
    pub(super) fn check_in_space(&self) -> Result<()> {
        self.store.read(in_space).map(|_| ())
    }

    pub(crate) fn engine(&self) -> Result<Engine<'_>> {
        self.store.read_warm(|conn| self.engine_in(conn))
    }

    /// [`Hearth::engine`], built in the read that first finds no device
    /// work owed (`None` when some is: it must be done first, and may
    /// change the keys); for a push alone (`push_only`), with what the
    /// push reads before it sends, read in the same transaction.
    fn engine_unless_owed(
        &self,
        push_only: bool,
    ) -> Result<Option<(Engine<'_>, Option<PushPlan>)>> {
        self.store.read_warm(|conn| {
            if super::devices::owes_device_work(conn)? {
                return Ok(None);
            }
            let engine = self.engine_in(conn)?;
            let plan = push_only.then(|| engine.push_plan(conn)).transpose()?;
            Ok(Some((engine, plan)))
        })
    }

    /// Merges items the live stream carried, in one commit that also
    /// builds the engine: a delivery costs the receiving phone one
    /// transaction.
    pub(crate) fn apply_streamed(
        &self,
        items: &[hearth_protocol::LogItem],
        after: u64,
        head: u64,
    ) -> Result<crate::sync::engine::Streamed> {
        self.store
            .write_unflushed(|tx| {
                self.engine_in(tx)?
                    .apply_streamed_in(tx, items, after, head)
            })?
            .finish(&self.store, &self.events)
    }

    /// An engine, from one read: whether this phone is in the space, which
    /// one, the removed devices the keys are chosen by, and the relay.
    fn engine_in(&self, conn: &rusqlite::Connection) -> Result<Engine<'_>> {
        let url = in_space(conn)?;
        let (space, space_id) = self.space_in(conn)?;
        let space_key = self.space_key(&space_id, false)?;
        let epochs = crate::sync::epochs::Epochs::load(
            std::sync::Arc::clone(&self.key_store),
            &space_id,
            &space_key,
            conn,
        )?;
        Ok(Engine {
            epochs,
            announced: crate::sync::announce::Announced::default(),
            store: &self.store,
            events: &self.events,
            keys: &self.keys,
            member: &self.member,
            device: &self.device,
            now: self.now_ms(),
            client: self.client_for(url)?,
            space,
            doc_ids: crate::crypto::DocIdKey::new(&space_key),
            space_key,
        })
    }

    /// Pushes what changed here, pulls what the partner wrote, and compacts.
    /// With the relay unreachable, nothing is lost: changes stay queued.
    pub async fn sync_now(&self) -> Result<SyncReport> {
        self.sync_with(false).await
    }

    /// Sends what changed here without pulling (live mode, whose stream
    /// brings the partner's changes): as [`Hearth::sync_now`] otherwise.
    pub(crate) async fn push_now(&self) -> Result<SyncReport> {
        self.sync_with(true).await
    }

    async fn sync_with(&self, push_only: bool) -> Result<SyncReport> {
        // Usually nothing is owed, and one read finds that and builds the
        // engine.
        let engine = match self.engine_unless_owed(push_only) {
            Ok(Some(built)) => Ok(built),
            Ok(None) => self
                .publish_owed_epoch()
                .await
                .and_then(|()| self.engine())
                .map(|engine| (engine, None)),
            Err(e) => Err(e),
        };
        let result = match engine {
            Ok((engine, plan)) if push_only => engine.push_once(plan).await,
            Ok((engine, _)) => engine.sync_once().await,
            Err(e) => Err(e),
        }
        .map_err(|e| self.stop_if_removed(e));
        // Live mode's pushes: see `record_outcome`.
        self.record_outcome(&result, push_only)?;
        result
    }

    /// Notes how a sync ended, for the status. (A space erased by the
    /// partner was closed by the engine, on the signed erasure only.)
    ///
    /// A clean sync of live mode (`live`: a push, or entries the stream
    /// carried) less than [`NOTED_WITHIN_MS`] after the last one written
    /// down is not written again, nor announced (a status change reloads
    /// every screen): live mode ends a sync with every
    /// delivered entry, and the time of the last one is all the status
    /// shows. A sync the person asked for is always written.
    pub(crate) fn record_outcome(&self, result: &Result<SyncReport>, live: bool) -> Result<()> {
        use std::sync::atomic::Ordering;
        let now = self.now_ms();
        match result {
            Ok(report) if report.rejected == 0 => {
                let noted = self.clean_sync_noted.load(Ordering::Acquire);
                let recent = noted != i64::MIN && (noted..noted + NOTED_WITHIN_MS).contains(&now);
                if live && recent {
                    // Nothing written, so nothing to tell: every screen
                    // reloads on a status change.
                    return Ok(());
                }
                self.store.write_unflushed(|tx| {
                    state::set(tx, LAST_SYNCED, &now.to_string())?;
                    state::clear(tx, LAST_ERROR)
                })?;
                self.clean_sync_noted.store(now, Ordering::Release);
            }
            Ok(_) => {
                self.clean_sync_noted.store(i64::MIN, Ordering::Release);
                self.store
                    .write_unflushed(|tx| state::set(tx, LAST_SYNCED, &now.to_string()))?;
            }
            Err(e) => {
                self.clean_sync_noted.store(i64::MIN, Ordering::Release);
                let words = e.to_string();
                self.store.write(|tx| state::set(tx, LAST_ERROR, &words))?;
            }
        }
        self.emit([Event::SyncStatusChanged]);
        Ok(())
    }

    /// Where sync stands.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        self.store.read(|conn| {
            let pending: i64 = conn.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?;
            Ok(SyncStatus {
                paired: state::get(conn, PAIRED)?.is_some(),
                relay_url: state::get(conn, RELAY_URL)?,
                last_synced_at_ms: state::get(conn, LAST_SYNCED)?.and_then(|v| v.parse().ok()),
                pending: u32::try_from(pending).unwrap_or(u32::MAX),
                last_error: state::get(conn, LAST_ERROR)?,
                rejected_blobs: u32::try_from(state::number(conn, state::REJECTED)?)
                    .unwrap_or(u32::MAX),
                notice: state::get(conn, NOTICE)?,
                closed: state::is_closed(conn)?,
                relay_faults: u32::try_from(state::number(conn, state::RELAY_FAULTS)?)
                    .unwrap_or(u32::MAX),
                relay_fault: state::get(conn, state::RELAY_FAULT)?,
                quarantined: crate::sync::quarantine::count(conn)?,
            })
        })
    }

    /// Clears the notice once the person has seen it.
    pub fn dismiss_sync_notice(&self) -> Result<()> {
        self.store.write(|tx| state::clear(tx, NOTICE))
    }

    /// Leaves the shared space: the relay erases it (the partner's phone
    /// learns on its next sync), and both phones keep their copy, read-only
    /// and exportable.
    pub async fn leave_space(&self) -> Result<()> {
        let client = self.client()?;
        let (space, space_id) = self.space()?;
        match client.erase_space(&self.keys, &space).await {
            Ok(()) => {}
            Err(e) if e.code() == Some(ErrorCode::UnknownSpace) => {}
            Err(e) => return Err(e.into()),
        }
        crate::sync::epochs::forget_keys(self.key_store.as_ref(), &space_id)?;
        SpaceKey::forget(self.key_store.as_ref(), &space_id)?;
        self.store.write(|tx| {
            state::set(tx, CLOSED, "1")?;
            tx.execute("DELETE FROM outbox", [])?;
            Ok(())
        })?;
        self.emit([Event::SyncStatusChanged]);
        Ok(())
    }
}

/// A relay address as typed, trimmed and checked: an http(s) address with
/// no user name or password. It is stored and shown in the sync status,
/// so it must not carry a secret (and an error must not repeat one).
pub(super) fn checked_relay_url(url: &str) -> Result<&str> {
    let url = url.trim();
    let valid = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "http://".len()
        && !url.contains(char::is_whitespace);
    let authority = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next());
    if authority.is_some_and(|a| a.contains('@')) {
        return Err(Error::RelayUrlWithCredentials);
    }
    if !valid {
        return Err(Error::InvalidRelayUrl(url.to_owned()));
    }
    Ok(url)
}

/// Waits briefly for the device that shared the space to admit this one at
/// the relay (it does so right after its half of the exchange), so the
/// first sync works.
pub(super) async fn wait_until_admitted(
    client: &RelayClient,
    keys: &crate::crypto::DeviceKeys,
    space_id: &str,
) -> Result<()> {
    let space = SpaceId::parse(space_id).map_err(Error::pairing_failed)?;
    let mut backoff = Backoff::new();
    for _ in 0..12 {
        match client.space_info(keys, &space).await {
            Ok(_) => break,
            Err(e) if e.code() == Some(ErrorCode::NotAMember) => {
                tokio::time::sleep(backoff.next_wait().min(std::time::Duration::from_secs(2)))
                    .await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Refuses what needs a live place in the space (see
/// [`Hearth::check_in_space`]); else the relay's address, if one is set.
/// One statement: an engine is built for every live delivery.
fn in_space(conn: &rusqlite::Connection) -> Result<Option<String>> {
    let [closed, paired, removed, relay] =
        state::get_some(conn, [state::CLOSED, PAIRED, state::REMOVED, RELAY_URL])?;
    if closed.is_some() {
        return Err(Error::SpaceClosed);
    }
    if paired.is_none() {
        return Err(Error::NotPaired);
    }
    if removed.is_some() {
        return Err(Error::DeviceRemoved);
    }
    Ok(relay)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::events::Listener;
    use crate::testing::Phone;

    #[derive(Default)]
    struct StatusChanges(AtomicUsize);

    impl Listener for StatusChanges {
        fn on_event(&self, event: Event) {
            if event == Event::SyncStatusChanged {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
    }

    #[test]
    fn live_syncs_within_a_second_of_the_last_noted_are_neither_written_nor_announced() {
        let phone = Phone::new("Robin");
        let clock = phone.clock.clone().unwrap();
        let heard = Arc::new(StatusChanges::default());
        let _subscription = phone.hearth.subscribe(heard.clone());
        let count = || heard.0.load(Ordering::SeqCst);
        let synced = |phone: &Phone| {
            phone
                .hearth
                .store
                .read(|c| state::get(c, LAST_SYNCED))
                .unwrap()
        };
        let clean = Ok(SyncReport::default());

        phone.hearth.record_outcome(&clean, true).unwrap();
        assert_eq!(count(), 1);
        let noted = synced(&phone);
        clock.advance(NOTED_WITHIN_MS - 1);
        phone.hearth.record_outcome(&clean, true).unwrap();
        assert_eq!((count(), synced(&phone)), (1, noted.clone()));

        // A sync the person asked for, a second later, an error: each is
        // written and announced.
        phone.hearth.record_outcome(&clean, false).unwrap();
        assert_eq!(count(), 2);
        assert_ne!(synced(&phone), noted);
        clock.advance(NOTED_WITHIN_MS);
        phone.hearth.record_outcome(&clean, true).unwrap();
        assert_eq!(count(), 3);
        phone
            .hearth
            .record_outcome(&Err(Error::Sync("the relay went away".into())), true)
            .unwrap();
        assert_eq!(count(), 4);
    }
}
