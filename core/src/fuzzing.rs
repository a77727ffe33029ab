//! Entry points for the fuzz targets in `fuzz/`, behind the `fuzzing`
//! feature; not an API. A receiving phone whose partner device is known
//! takes pulled items through the real path (envelope open, payload
//! decode, merge into the store, projections), and loads document
//! snapshots the way a merge and a later read do. Each input runs in one
//! write transaction that is rolled back afterwards, so inputs never see
//! each other and one store serves a whole fuzzing run.

use automerge::ActorId;
use hearth_protocol::{BlobId, DeviceId, DocumentId, LogItem, SpaceId, StoredBlob};
use rusqlite::Connection;

use crate::crypto::{self, BlobContext, DeviceKeys, SpaceKey, relay_doc_id};
use crate::error::{Error, Failure, Result};
use crate::events::Registry;
use crate::journal::Actor;
use crate::merge::{self, MergeOutcome};
use crate::store::{Store, documents};
use crate::sync::client::RelayClient;
use crate::sync::engine::Engine;
use crate::sync::{payload, quarantine, state};

/// The space the receiving phone belongs to.
pub const SPACE: &str = "space-fuzz";

/// Why the harness ends its transaction: never a finding.
const ROLLBACK: &str = "the fuzz harness rolls every input back";

/// Who sealed an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// The partner's device, learned at pairing.
    Partner,
    /// A device that is not in the space.
    Stranger,
    /// This phone itself (its own blobs coming back).
    Me,
}

/// What one input did to the store before it was rolled back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Received {
    /// Items rejected (bad signature, unknown device, wrong document).
    pub rejected: u32,
    /// Documents stored afterwards.
    pub documents: u32,
    /// Blobs quarantined afterwards.
    pub quarantined: u32,
    /// Of those, blobs whose merge panicked inside Automerge (caught and
    /// quarantined, as designed).
    pub panics: u32,
}

/// A paired phone's store, ready to receive.
#[derive(Debug)]
pub struct Receiver {
    _dir: tempfile::TempDir,
    store: Store,
    events: Registry,
    keys: DeviceKeys,
    partner: DeviceKeys,
    stranger: DeviceKeys,
    device: ActorId,
    space_key: SpaceKey,
}

fn fixed_keys(seed: u8) -> Result<DeviceKeys> {
    let mut bytes = vec![1u8];
    bytes.extend((0..64u8).map(|i| i.wrapping_mul(31).wrapping_add(seed)));
    DeviceKeys::from_secret_bytes(&bytes, "fuzz").map_err(Error::sync_failed)
}

impl Receiver {
    /// A fresh store in a temporary folder, paired with a partner device
    /// (fixed keys, so sealed seeds stay valid from run to run).
    ///
    /// # Errors
    /// When the folder or the store cannot be made.
    pub fn new() -> Result<Self> {
        let dir = tempfile::tempdir().map_err(Error::sync_failed)?;
        let store = Store::open(&dir.path().join("hearth.db"))?;
        let partner = fixed_keys(2)?;
        store.write(|tx| state::add_device(tx, "partner", &partner.public(), 0))?;
        Ok(Self {
            _dir: dir,
            store,
            events: Registry::default(),
            keys: fixed_keys(1)?,
            partner,
            stranger: fixed_keys(3)?,
            device: ActorId::from(&[7u8; 16][..]),
            space_key: SpaceKey::from_bytes([9u8; SpaceKey::LEN]),
        })
    }

    fn engine(&self) -> Result<Engine<'_>> {
        Ok(Engine {
            store: &self.store,
            events: &self.events,
            keys: &self.keys,
            member: "me",
            device: &self.device,
            now: 1_795_683_600_000,
            client: RelayClient::new("http://127.0.0.1:9")?,
            space: SpaceId::parse(SPACE).map_err(Error::sync_failed)?,
            space_key: self.space_key.clone(),
            doc_ids: crate::crypto::DocIdKey::new(&self.space_key),
            epochs: self.store.read(|conn| {
                crate::sync::epochs::Epochs::load(
                    std::sync::Arc::new(crate::crypto::keystore::MemoryKeyStore::default()),
                    SPACE,
                    &self.space_key,
                    conn,
                )
            })?,
            announced: crate::sync::announce::Announced::default(),
        })
    }

    fn sender(&self, sender: Sender) -> &DeviceKeys {
        match sender {
            Sender::Partner => &self.partner,
            Sender::Stranger => &self.stranger,
            Sender::Me => &self.keys,
        }
    }

    /// The relay's id for local document `local` in this space.
    #[must_use]
    pub fn relay_doc(&self, local: &str) -> String {
        relay_doc_id(&self.space_key, local)
    }

    /// A pulled blob carrying `data` as its ciphertext, as `sender` pushed
    /// it for relay document `relay_doc`.
    ///
    /// # Errors
    /// When `relay_doc` is not a valid relay id.
    pub fn blob(
        &self,
        sender: Sender,
        relay_doc: &str,
        seq: u64,
        data: Vec<u8>,
    ) -> Result<LogItem> {
        let bad = |e: hearth_protocol::IdError| Error::sync_failed(e);
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&seq.to_le_bytes());
        Ok(LogItem::Blob(StoredBlob {
            seq,
            id: BlobId::from_random_bytes(id),
            doc: DocumentId::parse(relay_doc).map_err(bad)?,
            device: DeviceId::from_key(self.sender(sender).public().signing_key()),
            snapshot: false,
            data,
        }))
    }

    /// `plain` (a payload) sealed by `sender` as blob `seq` of relay
    /// document `relay_doc`.
    ///
    /// # Errors
    /// When `relay_doc` is not a valid relay id or sealing fails.
    pub fn sealed(
        &self,
        sender: Sender,
        relay_doc: &str,
        seq: u64,
        plain: &[u8],
    ) -> Result<LogItem> {
        let LogItem::Blob(mut blob) = self.blob(sender, relay_doc, seq, Vec::new())? else {
            return Err(Error::Sync("not a blob".into()));
        };
        let keys = self.sender(sender);
        let ctx = BlobContext {
            space_id: SPACE.to_owned(),
            doc_id: blob.doc.as_str().to_owned(),
            sender_device: keys.device_id(),
            blob_id: blob.id.as_str().to_owned(),
        };
        blob.data = crypto::seal(&self.space_key, keys, &ctx, plain).map_err(Error::sync_failed)?;
        Ok(LogItem::Blob(blob))
    }

    /// Opens and merges `items` as one pulled page, then the same page
    /// again (a relay that repeats itself), then reloads every stored
    /// document; all of it rolled back before returning.
    ///
    /// # Errors
    /// Any error here is a finding: a pass that fails on hostile items
    /// stalls sync, and a stored document that no longer loads is damage.
    pub fn receive(&self, items: &[LogItem]) -> Result<Received> {
        let engine = self.engine()?;
        let head = u64::try_from(items.len()).unwrap_or(u64::MAX);
        self.rolled_back(|tx| {
            let mut rejected = engine.receive_in(tx, items, head)?;
            rejected += engine.receive_in(tx, items, head)?;
            let documents = reload_all(tx, &self.device)?;
            Ok(Received {
                rejected,
                documents,
                quarantined: quarantine::count(tx)?,
                panics: tx.query_row(
                    "SELECT count(*) FROM quarantine WHERE reason LIKE '%panic%'",
                    [],
                    |r| r.get(0),
                )?,
            })
        })
    }

    /// Loads `bytes` as a document snapshot both ways one arrives here: as
    /// the first bytes of a document from the partner (a strict load, the
    /// projections, the stored copy read back, through the same
    /// `catch_unwind` as a pull), and as a stored snapshot read from this
    /// phone's database. Rolled back before returning.
    ///
    /// # Errors
    /// A merge that refuses the bytes is fine ([`Loaded::refused`]); any
    /// other error is a finding.
    pub fn load_snapshot(&self, doc_id: &str, bytes: &[u8]) -> Result<Loaded> {
        let who = Actor {
            member: "me",
            device: &self.device,
            now: 1_795_683_600_000,
        };
        self.rolled_back(|tx| {
            let merged = match merge::apply_untrusted(tx, &who, doc_id, bytes) {
                Ok((outcome, _)) => Some(outcome),
                Err(Error::CorruptDocument { .. } | Error::InvalidDocument { .. }) => None,
                Err(e) => return Err(e),
            };
            reload_all(tx, &self.device)?;
            documents::put_bytes(tx, "stored-fuzz", "entry", bytes, 0)?;
            let stored = match documents::load(tx, "stored-fuzz", &self.device) {
                Ok(doc) => doc.is_some(),
                Err(Error::DamagedDatabase(_)) => false,
                Err(e) => return Err(e),
            };
            Ok(Loaded {
                merged,
                stored_loads: stored,
            })
        })
    }

    fn rolled_back<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut out = None;
        let result = self.store.write_unflushed(|tx| {
            out = Some(f(tx)?);
            Err::<(), _>(Error::Sync(Failure::new(ROLLBACK)))
        });
        match (result, out) {
            (Err(Error::Sync(why)), Some(value)) if why.to_string() == ROLLBACK => Ok(value),
            (Err(e), _) => Err(e),
            (Ok(()), _) => Err(Error::Sync("the harness transaction committed".into())),
        }
    }
}

/// What loading a snapshot did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    /// The merge's outcome, or `None` when it refused the bytes.
    pub merged: Option<MergeOutcome>,
    /// Whether the bytes load as a stored snapshot.
    pub stored_loads: bool,
}

/// Loads every stored document back; a merge must never store what
/// cannot be read again. Returns how many there are.
fn reload_all(tx: &Connection, device: &ActorId) -> Result<u32> {
    let ids: Vec<String> = tx
        .prepare("SELECT id FROM documents ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        if documents::load(tx, id, device)?.is_none() {
            return Err(Error::DamagedDatabase(format!("document {id} vanished")));
        }
    }
    Ok(u32::try_from(ids.len()).unwrap_or(u32::MAX))
}

/// Frames `bytes` of document `doc_id` as a blob's payload.
#[must_use]
pub fn payload(doc_id: &str, bytes: &[u8]) -> Vec<u8> {
    payload::encode(doc_id, bytes)
}

/// The document id a payload names, if it follows the layout.
#[must_use]
pub fn payload_doc(plain: &[u8]) -> Option<String> {
    payload::decode(plain).ok().map(|(id, _)| id)
}
