//! The app's state, owned by the core (crux-style): every screen's state
//! and every presentation rule, written once in Rust. A shell starts one
//! [`App`] with its [`Shell`] (rendering and platform effects), sends it
//! [`Action`]s, and renders each [`AppView`] it is handed. The shell decides
//! nothing: when to lock, when a notification is due, when live sync runs,
//! what needs a partner, how a draft survives the app being killed, all of
//! it lives here and is tested here.
//!
//! Work runs on one small runtime shared by every open app in the process:
//! [`App::dispatch`] returns at once, the actions are handled in order by
//! one task, and network work (sync, pairing, leaving) runs beside it and
//! reports back. Changes the core makes (here or pulled from the partner)
//! mark the screens that show them, and each screen reloads once per burst.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use hearth_core::app::{Action, App, AppConfig, Shell};
//! fn start(shell: Arc<dyn Shell>) -> hearth_core::Result<App> {
//!     let app = App::start(AppConfig::new("data"), shell)?;
//!     app.dispatch(Action::Begin { name: "Sam".into() });
//!     Ok(app)
//! }
//! ```

mod act;
mod action;
mod devices;
mod exercises;
mod journal;
mod local;
mod lock;
mod notify;
mod pairing;
mod run;
mod runtime;
mod safety;
mod settings;
mod shell;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
mod today;
mod us;
mod view;
mod work;

pub use action::{Action, AssessmentItemAnswer};
pub use lock::GRACE_MS;
pub use notify::BackgroundSyncOutcome;
pub use shell::{ExportFile, Shell};
pub use view::*;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Notify, mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::clock::{Clock, SystemClock};
use crate::crypto::KeyStore;
use crate::error::{Error, Result};
use crate::events::{Event, Listener, Subscription};
use crate::store::DATABASE_FILE;
use crate::sync::{PairingInvite, PairingResult, SyncReport};
use crate::{Hearth, OpenOptions};

use devices::Joining;
use exercises::Exercises;
use journal::Journal;
use lock::Lock;
use pairing::Pairing;
use safety::Safety;
use settings::Settings;
use today::Today;
use us::Us;
use view::Screen;

/// Where and how the app keeps its profile.
#[derive(Clone)]
pub struct AppConfig {
    /// The profile's data folder.
    pub data_dir: PathBuf,
    /// The platform's secure key storage; files in the data folder when
    /// `None` (desktop, tests).
    pub key_store: Option<Arc<dyn KeyStore>>,
    /// The relay set on first open, so pairing works out of the box.
    pub default_relay: Option<String>,
    /// The clock; the system clock when `None`.
    pub clock: Option<Arc<dyn Clock>>,
}

impl AppConfig {
    /// A profile in `data_dir`, keys in files beside it, no preset relay.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            key_store: None,
            default_relay: None,
            clock: None,
        }
    }
}

impl std::fmt::Debug for AppConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppConfig")
            .field("data_dir", &self.data_dir)
            .field("default_relay", &self.default_relay)
            .finish_non_exhaustive()
    }
}

/// Hearth as a person uses it: one profile, its screens and its rules.
pub struct App {
    tx: mpsc::UnboundedSender<Msg>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").finish_non_exhaustive()
    }
}

/// What the app's task and its callers share.
struct Shared {
    /// Messages sent and not yet handled, plus work under way.
    pending: AtomicUsize,
    idle: Notify,
    view: Mutex<AppView>,
}

impl Shared {
    fn add(&self) {
        self.pending.fetch_add(1, Ordering::SeqCst);
    }

    fn finish(&self, n: usize) {
        if self.pending.fetch_sub(n, Ordering::SeqCst) == n {
            self.idle.notify_waiters();
        }
    }
}

/// Sends to the app's task, counting the message as pending.
#[derive(Clone)]
struct Mailbox {
    tx: mpsc::UnboundedSender<Msg>,
    shared: Arc<Shared>,
}

impl Mailbox {
    fn send(&self, msg: Msg) {
        self.shared.add();
        if self.tx.send(msg).is_err() {
            // The app closed: nobody will handle it.
            self.shared.finish(1);
        }
    }

    /// Sends a message already counted (work that was counted when it began).
    fn send_counted(&self, msg: Msg) {
        if self.tx.send(msg).is_err() {
            self.shared.finish(1);
        }
    }
}

enum Msg {
    Start,
    Action(Action),
    Event(Event),
    Done(Done),
    BackgroundSync(oneshot::Sender<BackgroundSyncOutcome>),
    Close(oneshot::Sender<()>),
}

/// Network work that finished.
enum Done {
    Synced {
        report: Result<SyncReport>,
        reply: Option<oneshot::Sender<BackgroundSyncOutcome>>,
    },
    Code {
        attempt: u64,
        result: Result<PairingInvite>,
    },
    Paired {
        attempt: u64,
        result: Result<PairingResult>,
    },
    Left {
        why: Leave,
        result: Result<()>,
    },
    Exported {
        format: ExportFormat,
        result: Result<String>,
    },
    LinkCode {
        attempt: u64,
        result: Result<PairingInvite>,
    },
    Linked {
        attempt: u64,
        result: Result<crate::LinkResult>,
    },
    /// A device removed: from the list, or after the numbers of a link
    /// differed (`attempt`).
    DeviceRemoved {
        attempt: Option<u64>,
        result: Result<()>,
    },
    /// This device was set up as another device of its person.
    JoinedHere {
        result: Result<crate::LinkResult>,
    },
    LiveEnded,
}

/// Why the space is being left.
enum Leave {
    Settings,
    Mismatch { attempt: u64 },
    Erase,
}

/// Change events from the core, into the app's mailbox.
struct Forward(Mailbox);

impl Listener for Forward {
    fn on_event(&self, event: Event) {
        self.0.send(Msg::Event(event));
    }
}

impl App {
    /// Starts the app on `config`'s profile: opens it if it is set up
    /// (otherwise the view asks for a name) and renders through `shell`.
    pub fn start(config: AppConfig, shell: Arc<dyn Shell>) -> Result<Self> {
        let runtime = runtime::handle()?;
        let (tx, rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            pending: AtomicUsize::new(0),
            idle: Notify::new(),
            view: Mutex::new(AppView {
                phase: AppPhase::Starting,
                lock: LockView {
                    enabled: false,
                    locked: false,
                    device_lock_gone: false,
                },
                tab: Tab::Today,
                screens: None,
                erasing: ErasingView::Idle,
                joining: false,
            }),
        });
        let mailbox = Mailbox {
            tx: tx.clone(),
            shared: Arc::clone(&shared),
        };
        let model = Model::new(config, shell, mailbox.clone(), runtime.clone());
        runtime.spawn(model.run(rx));
        mailbox.send(Msg::Start);
        Ok(Self { tx, shared })
    }

    fn mailbox(&self) -> Mailbox {
        Mailbox {
            tx: self.tx.clone(),
            shared: Arc::clone(&self.shared),
        }
    }

    /// Hands the core an action. Returns at once; the next view shows what
    /// it did.
    pub fn dispatch(&self, action: Action) {
        self.mailbox().send(Msg::Action(action));
    }

    /// The view as last rendered.
    pub fn view(&self) -> AppView {
        self.shared
            .view
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits until every action sent so far is handled and the work it
    /// started (a sync, a pairing step) has reported back. Waiting for the
    /// partner to type a code and live sync do not count.
    pub async fn settle(&self) {
        loop {
            let idle = self.shared.idle.notified();
            if self.shared.pending.load(Ordering::SeqCst) == 0 {
                return;
            }
            idle.await;
        }
    }

    /// One sync for the platform's background scheduler. Posts the
    /// content-free notification when something new arrived and the
    /// person wants to hear of it.
    pub async fn background_sync(&self) -> BackgroundSyncOutcome {
        let (reply, answer) = oneshot::channel();
        self.mailbox().send(Msg::BackgroundSync(reply));
        answer.await.unwrap_or(BackgroundSyncOutcome::RetryLater)
    }

    /// Stops live sync and closes the profile. The app does nothing after.
    /// Calling it again does nothing.
    pub async fn close(&self) {
        let (done, closed) = oneshot::channel();
        self.mailbox().send(Msg::Close(done));
        let _ = closed.await;
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let (done, _) = oneshot::channel();
        let _ = self.tx.send(Msg::Close(done));
    }
}

/// Live sync while the app is in front.
struct Live {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// What a screen's code sees: the open profile and where the couple stands.
pub(crate) struct Cx<'a> {
    pub(crate) hearth: &'a Hearth,
    /// The person's calendar day, `YYYY-MM-DD`.
    pub(crate) day: String,
    pub(crate) paired: bool,
    pub(crate) closed: bool,
    /// Who this is and the partner, read once per batch.
    profile: Option<crate::Profile>,
}

impl Cx<'_> {
    pub(crate) fn partner_name(&self) -> String {
        self.profile
            .as_ref()
            .and_then(|p| p.partner.as_ref())
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }
}

/// The app's task: its state and the rules that change it.
struct Model {
    config: AppConfig,
    clock: Arc<dyn Clock>,
    shell: Arc<dyn Shell>,
    mailbox: Mailbox,
    runtime: tokio::runtime::Handle,
    phase: AppPhase,
    hearth: Option<Arc<Hearth>>,
    subscription: Option<Subscription>,
    foreground: bool,
    lock: Lock,
    tab: Tab,
    today: Today,
    journal: Journal,
    exercises: Exercises,
    us: Us,
    settings: Settings,
    safety: Safety,
    pairing: Pairing,
    dirty: HashSet<Screen>,
    live: Option<Live>,
    erasing: ErasingView,
    /// Linking this device to its person's space (the welcome screen).
    joining: bool,
    closed: bool,
    last: Option<AppView>,
}

impl Model {
    fn new(
        config: AppConfig,
        shell: Arc<dyn Shell>,
        mailbox: Mailbox,
        runtime: tokio::runtime::Handle,
    ) -> Self {
        let clock = config
            .clock
            .clone()
            .unwrap_or_else(|| Arc::new(SystemClock));
        Self {
            config,
            clock,
            shell,
            mailbox,
            runtime,
            phase: AppPhase::Starting,
            hearth: None,
            subscription: None,
            foreground: false,
            lock: Lock::default(),
            tab: Tab::Today,
            today: Today::default(),
            journal: Journal::default(),
            exercises: Exercises::default(),
            us: Us::default(),
            settings: Settings::default(),
            safety: Safety::default(),
            pairing: Pairing::default(),
            dirty: HashSet::new(),
            live: None,
            erasing: ErasingView::Idle,
            joining: false,
            closed: false,
            last: None,
        }
    }
}

#[cfg(test)]
mod tests;
