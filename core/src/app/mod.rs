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
//! # fn shell() -> Arc<dyn Shell> { unimplemented!() }
//! let app = App::start(AppConfig::new("data"), shell())?;
//! app.dispatch(Action::Begin { name: "Sam".into() });
//! # Ok::<(), hearth_core::Error>(())
//! ```

mod action;
mod exercises;
mod journal;
mod local;
mod lock;
mod notify;
mod pairing;
mod runtime;
mod safety;
mod settings;
mod shell;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
mod today;
mod us;
mod view;

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
    partner: Option<String>,
}

impl Cx<'_> {
    pub(crate) fn partner_name(&self) -> String {
        self.partner.clone().unwrap_or_default()
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
            closed: false,
            last: None,
        }
    }

    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Msg>) {
        while let Some(first) = rx.recv().await {
            let mut handled = 1;
            self.handle(first).await;
            // Everything already waiting is handled before the screens
            // reload: a burst of fifty changes costs one reload.
            while !self.closed {
                let Ok(msg) = rx.try_recv() else { break };
                handled += 1;
                self.handle(msg).await;
            }
            if !self.closed {
                self.reload();
                self.publish();
            }
            self.mailbox.shared.finish(handled);
            if self.closed {
                break;
            }
        }
        // Anything still queued will never be handled.
        rx.close();
        let mut left = 0;
        while let Ok(msg) = rx.try_recv() {
            if let Msg::Close(done) = msg {
                let _ = done.send(());
            }
            left += 1;
        }
        self.mailbox.shared.finish(left);
    }

    async fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::Start => self.open(None),
            Msg::Action(action) => self.act(action).await,
            Msg::Event(event) => self.route(event),
            Msg::Done(done) => self.done(done).await,
            Msg::BackgroundSync(reply) => self.background_sync(reply),
            Msg::Close(done) => {
                self.shut().await;
                self.closed = true;
                let _ = done.send(());
            }
        }
    }

    fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The person's calendar day now.
    fn day(&self) -> String {
        let offset = i64::from(self.shell.utc_offset_seconds());
        let seconds = self.now().div_euclid(1000) + offset;
        let date = time::OffsetDateTime::from_unix_timestamp(seconds)
            .map_or(time::Date::MIN, time::OffsetDateTime::date);
        crate::guidance::day::format(date)
    }

    fn cx<'a>(&self, hearth: &'a Hearth) -> Cx<'a> {
        let status = hearth.sync_status().ok();
        let profile = hearth.profile().ok();
        Cx {
            hearth,
            day: self.day(),
            paired: status.as_ref().is_some_and(|s| s.paired && !s.closed),
            closed: status.as_ref().is_some_and(|s| s.closed),
            partner: profile.and_then(|p| p.partner).map(|p| p.name),
        }
    }

    // --- opening, closing, erasing ------------------------------------------------

    fn is_set_up(&self) -> bool {
        self.config.data_dir.join(DATABASE_FILE).exists()
    }

    /// Opens the profile if it is set up, or with `name` to set it up.
    fn open(&mut self, name: Option<String>) {
        let onboarding = name.is_some();
        if !onboarding && !self.is_set_up() {
            self.phase = AppPhase::Welcome { problem: None };
            return;
        }
        let options = OpenOptions {
            display_name: name,
            clock: Some(Arc::clone(&self.clock)),
            key_store: self.config.key_store.clone(),
        };
        let hearth = match Hearth::open(&self.config.data_dir, options) {
            Ok(hearth) => Arc::new(hearth),
            Err(e) => {
                let problem = Problem::from(&e);
                self.phase = if onboarding && e.kind() == crate::error::ErrorKind::InvalidInput {
                    AppPhase::Welcome {
                        problem: Some(problem),
                    }
                } else {
                    AppPhase::Failed { problem }
                };
                return;
            }
        };
        if let Some(relay) = &self.config.default_relay
            && hearth.sync_status().is_ok_and(|s| s.relay_url.is_none())
        {
            // A preset relay that does not parse is the build's mistake;
            // the person can still set one in Settings.
            let _ = hearth.set_relay(relay);
        }
        self.subscription = Some(hearth.subscribe(Arc::new(Forward(self.mailbox.clone()))));
        self.lock = Lock::opened(local::lock_enabled(&hearth).unwrap_or(false));
        self.phase = AppPhase::Ready;
        let paired = hearth.sync_status().is_ok_and(|s| s.paired && !s.closed);
        self.hearth = Some(hearth);
        self.dirty.extend(Screen::ALL);
        if onboarding {
            self.pairing.reset(true);
        }
        self.shell.schedule_background_sync(paired);
        if self.foreground {
            self.ask_unlock();
            self.follow_foreground();
        }
    }

    /// Stops live sync and closes the profile, waiting until nothing else
    /// holds it, so its files may be deleted.
    async fn shut(&mut self) {
        self.stop_live().await;
        self.subscription = None;
        if let Some(hearth) = self.hearth.take() {
            // Work under way (a sync, a pairing step) holds the profile for
            // a moment; it ends soon after its request does.
            for _ in 0..250 {
                if Arc::strong_count(&hearth) == 1 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            drop(hearth);
        }
    }

    async fn erase(&mut self) -> Result<()> {
        let space_id = self
            .hearth
            .as_ref()
            .and_then(|h| h.profile().ok())
            .map(|p| p.space_id);
        self.shut().await;
        if let Some(store) = &self.config.key_store {
            store
                .delete(crate::crypto::keys::DEVICE_KEYS_ENTRY.to_owned())
                .map_err(crate::crypto::KeyError::from)?;
            if let Some(space_id) = &space_id {
                crate::crypto::SpaceKey::forget(store.as_ref(), space_id)?;
            }
        }
        match std::fs::remove_dir_all(&self.config.data_dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(Error::DataDir {
                    path: self.config.data_dir.clone(),
                    source,
                });
            }
        }
        self.shell.schedule_background_sync(false);
        self.shell.erased();
        Ok(())
    }

    /// Back to a fresh start, as after erasing.
    fn reset_screens(&mut self) {
        self.lock = Lock::default();
        self.tab = Tab::Today;
        self.today = Today::default();
        self.journal = Journal::default();
        self.exercises = Exercises::default();
        self.us = Us::default();
        self.settings = Settings::default();
        self.safety = Safety::default();
        self.pairing = Pairing::default();
        self.dirty.clear();
    }

    // --- foreground, lock, live sync ---------------------------------------------

    fn ask_unlock(&self) {
        if self.lock.locked() && self.shell.device_can_authenticate() {
            self.shell.request_unlock();
        }
    }

    /// Live sync runs while the app is in front, paired and the space open.
    fn follow_foreground(&mut self) {
        let Some(hearth) = &self.hearth else { return };
        let wanted = self.foreground
            && hearth
                .sync_status()
                .is_ok_and(|s| s.paired && !s.closed && s.relay_url.is_some());
        let running = self.live.as_ref().is_some_and(|l| !l.task.is_finished());
        if wanted && !running {
            let (stop, stopped) = oneshot::channel::<()>();
            let hearth = Arc::clone(hearth);
            let mailbox = self.mailbox.clone();
            let task = self.runtime.spawn(async move {
                let until_stopped = async move {
                    let _ = stopped.await;
                };
                // Why it ended is in the sync status, which the core keeps.
                let _ = hearth.sync_live(until_stopped).await;
                drop(hearth);
                mailbox.send(Msg::Done(Done::LiveEnded));
            });
            self.live = Some(Live { stop, task });
        }
    }

    async fn stop_live(&mut self) {
        if let Some(live) = self.live.take() {
            let _ = live.stop.send(());
            let _ = live.task.await;
        }
    }

    // --- background work ----------------------------------------------------------

    /// Runs `work` beside the app's task; its result comes back as a
    /// message. Counted as pending until handled.
    fn spawn<F>(&self, work: F)
    where
        F: Future<Output = Done> + Send + 'static,
    {
        let mailbox = self.mailbox.clone();
        mailbox.shared.add();
        self.runtime.spawn(async move {
            let done = work.await;
            mailbox.send_counted(Msg::Done(done));
        });
    }

    fn background_sync(&mut self, reply: oneshot::Sender<BackgroundSyncOutcome>) {
        let Some(hearth) = self.hearth.clone() else {
            let _ = reply.send(BackgroundSyncOutcome::NothingToDo);
            return;
        };
        if !hearth.sync_status().is_ok_and(|s| s.paired && !s.closed) {
            let _ = reply.send(BackgroundSyncOutcome::NothingToDo);
            return;
        }
        self.spawn(async move {
            let report = hearth.sync_now().await;
            Done::Synced {
                report,
                reply: Some(reply),
            }
        });
    }

    async fn done(&mut self, done: Done) {
        // The work was counted when it began; its message closes the count.
        if let Err(e) = self.finish_work(done).await {
            self.settings.problem = Some(Problem::from(&e));
        }
    }

    async fn finish_work(&mut self, done: Done) -> Result<()> {
        match done {
            Done::Synced { report, reply } => {
                self.settings.syncing = false;
                self.dirty.insert(Screen::Settings);
                match reply {
                    Some(reply) => {
                        let outcome = match &report {
                            Ok(report) => {
                                let wanted = self
                                    .hearth
                                    .as_ref()
                                    .map(|h| local::partner_news(h))
                                    .transpose()?
                                    .unwrap_or(false);
                                if notify::partner_news_due(report.pulled, self.foreground, wanted)
                                {
                                    self.shell.notify_partner_news();
                                }
                                BackgroundSyncOutcome::Synced
                            }
                            Err(_) => BackgroundSyncOutcome::RetryLater,
                        };
                        let _ = reply.send(outcome);
                    }
                    None => {
                        if let Err(e) = report {
                            self.settings.problem = Some(Problem::from(&e));
                        }
                    }
                }
            }
            Done::Code { attempt, result } => {
                if attempt != self.pairing.attempt {
                    return Ok(());
                }
                match result {
                    Ok(invite) => {
                        self.pairing.step = PairingStep::ShowCode {
                            code: invite.code,
                            expires_at_ms: invite.expires_at_ms,
                        };
                        self.pairing.busy = false;
                        let Some(hearth) = self.hearth.clone() else {
                            return Ok(());
                        };
                        // Waiting for the partner to type the code: not
                        // counted as pending work.
                        let mailbox = self.mailbox.clone();
                        self.runtime.spawn(async move {
                            let result = hearth.finish_pairing().await;
                            drop(hearth);
                            mailbox.send(Msg::Done(Done::Paired { attempt, result }));
                        });
                    }
                    Err(e) => self.pairing_failed(&e),
                }
            }
            Done::Paired { attempt, result } => {
                if attempt != self.pairing.attempt {
                    return Ok(());
                }
                match result {
                    Ok(paired) => {
                        self.pairing.step = PairingStep::Compare {
                            partner_name: paired.partner_name,
                            safety_number: paired.safety_number,
                        };
                        self.pairing.busy = false;
                        self.dirty.extend(Screen::ALL);
                        self.shell.schedule_background_sync(true);
                        self.follow_foreground();
                    }
                    Err(e) => self.pairing_failed(&e),
                }
            }
            Done::Left { why, result } => match why {
                Leave::Settings => {
                    self.settings.leaving = false;
                    self.dirty.extend(Screen::ALL);
                    result?;
                    self.stop_live().await;
                    self.shell.schedule_background_sync(false);
                }
                Leave::Mismatch { attempt } => {
                    self.dirty.extend(Screen::ALL);
                    if attempt == self.pairing.attempt {
                        self.pairing.busy = false;
                        match result {
                            Ok(()) => self.pairing.step = PairingStep::Mismatch,
                            Err(e) => self.pairing.problem = Some(Problem::from(&e)),
                        }
                    }
                    self.stop_live().await;
                    self.shell.schedule_background_sync(false);
                }
                Leave::Erase => match result {
                    Ok(()) => self.finish_erase().await,
                    Err(e) => {
                        self.erasing = ErasingView::LeaveFailed {
                            problem: Problem::from(&e),
                        };
                    }
                },
            },
            Done::Exported { format, result } => {
                self.settings.exporting = false;
                let text = result?;
                let extension = match format {
                    ExportFormat::Json => "json",
                    ExportFormat::Markdown => "md",
                };
                self.shell.save_export(ExportFile {
                    file_name: format!("hearth-journal-{}.{extension}", self.day()),
                    format,
                    text,
                });
            }
            Done::LiveEnded => {
                // It ended because sync cannot work now (not paired, no
                // relay, the space closed); a change of status starts it
                // again when it can.
                self.dirty.insert(Screen::Settings);
            }
        }
        Ok(())
    }

    fn pairing_failed(&mut self, e: &Error) {
        self.pairing.step = PairingStep::Choose;
        self.pairing.busy = false;
        self.pairing.problem = Some(Problem::from(e));
    }

    async fn finish_erase(&mut self) {
        match self.erase().await {
            Ok(()) => {
                self.reset_screens();
                self.erasing = ErasingView::Idle;
                self.phase = AppPhase::Welcome { problem: None };
            }
            Err(e) => {
                self.erasing = ErasingView::Idle;
                self.phase = AppPhase::Failed {
                    problem: Problem::from(&e),
                };
            }
        }
    }

    // --- change events ------------------------------------------------------------

    /// Marks the screens that show what changed; each reloads once per burst.
    fn route(&mut self, event: Event) {
        match event {
            Event::EntryChanged { .. } => {
                self.dirty.insert(Screen::Journal);
            }
            Event::EntryRemoved { id } => {
                self.journal.forget(&id);
                self.dirty.insert(Screen::Journal);
            }
            Event::DocumentChanged { kind, .. } => {
                self.dirty.extend(view::screens_showing(kind));
            }
            Event::SyncStatusChanged => {
                // Pairing, leaving or a closed space change what is offered.
                self.dirty.extend(Screen::ALL);
                self.follow_foreground();
            }
        }
    }

    fn reload(&mut self) {
        let Some(hearth) = self.hearth.clone() else {
            self.dirty.clear();
            return;
        };
        if self.lock.locked() || self.dirty.is_empty() {
            // Nothing is shown while locked; the screens reload on unlock.
            return;
        }
        let cx = self.cx(&hearth);
        for screen in std::mem::take(&mut self.dirty) {
            let (result, problem) = match screen {
                Screen::Today => (self.today.load(&cx), &mut self.today.problem),
                Screen::Journal => (self.journal.load(&cx), &mut self.journal.problem),
                Screen::Exercises => (self.exercises.load(&cx), &mut self.exercises.problem),
                Screen::Us => (self.us.load(&cx), &mut self.us.problem),
                Screen::Settings => (self.settings.load(&cx), &mut self.settings.problem),
                Screen::Safety => (self.safety.load(&cx), &mut self.safety.problem),
            };
            if let Err(e) = result {
                *problem = Some(Problem::from(&e));
            }
        }
    }

    // --- the view -----------------------------------------------------------------

    fn view(&self) -> AppView {
        let device_can_authenticate = self.shell.device_can_authenticate();
        let lock = LockView {
            enabled: self.lock.enabled(),
            locked: self.lock.locked(),
            device_lock_gone: self.lock.locked() && !device_can_authenticate,
        };
        let screens = match (&self.phase, &self.hearth) {
            (AppPhase::Ready, Some(hearth)) if !self.lock.locked() => {
                self.screens(hearth, device_can_authenticate).ok()
            }
            _ => None,
        };
        AppView {
            phase: self.phase.clone(),
            lock,
            tab: self.tab,
            screens,
            erasing: self.erasing.clone(),
        }
    }

    fn screens(&self, hearth: &Hearth, can_lock: bool) -> Result<Screens> {
        let cx = self.cx(hearth);
        let settings = self.settings.view(&cx, self.lock.enabled(), can_lock);
        let needs_relay = settings.sync.relay_url.is_none();
        Ok(Screens {
            profile: hearth.profile()?,
            paired: cx.paired,
            closed: cx.closed,
            today: self.today.view(&cx),
            journal: self.journal.view(&cx),
            exercises: self.exercises.view(&cx),
            us: self.us.view(&cx)?,
            safety: self.safety.view(&cx)?,
            pairing: self.pairing.view(needs_relay),
            settings,
        })
    }

    fn publish(&mut self) {
        let view = self.view();
        if self.last.as_ref() == Some(&view) {
            return;
        }
        *self
            .mailbox
            .shared
            .view
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = view.clone();
        self.last = Some(view.clone());
        self.shell.render(view);
    }

    // --- actions ------------------------------------------------------------------

    /// Runs `f` on the open profile; a failure becomes `screen`'s problem.
    fn on(&mut self, screen: Screen, f: impl FnOnce(&mut Self, &Cx<'_>) -> Result<()>) {
        let Some(hearth) = self.hearth.clone() else {
            return;
        };
        let cx = self.cx(&hearth);
        let result = f(self, &cx);
        let problem = match screen {
            Screen::Today => &mut self.today.problem,
            Screen::Journal => &mut self.journal.problem,
            Screen::Exercises => &mut self.exercises.problem,
            Screen::Us => &mut self.us.problem,
            Screen::Settings => &mut self.settings.problem,
            Screen::Safety => &mut self.safety.problem,
        };
        *problem = result.err().map(|e| Problem::from(&e));
    }

    #[allow(clippy::too_many_lines)] // one arm per action, each a line or two
    async fn act(&mut self, action: Action) {
        use Action as A;
        use Screen as S;
        match action {
            A::Begin { name } => self.open(Some(name)),
            A::Retry => self.open(None),
            A::Foreground => {
                self.foreground = true;
                if self.lock.foreground(self.now()) || self.lock.locked() {
                    self.ask_unlock();
                }
                // The day may have changed while away.
                self.dirty.extend(Screen::ALL);
                self.follow_foreground();
            }
            A::Background => {
                self.foreground = false;
                self.lock.background(self.now());
                self.stop_live().await;
            }
            A::Navigate { tab } => self.tab = tab,
            A::Back => self.back(),
            A::DismissProblem => {
                self.today.problem = None;
                self.journal.problem = None;
                self.exercises.problem = None;
                self.us.problem = None;
                self.settings.problem = None;
                self.safety.problem = None;
                self.pairing.problem = None;
            }

            A::Unlock => self.ask_unlock(),
            A::UnlockSucceeded => {
                self.lock.unlock();
                self.dirty.extend(Screen::ALL);
            }
            A::UnlockFailed => {}
            A::TurnOffLockWithoutDevice => {
                let can = self.shell.device_can_authenticate();
                match self.lock.turn_off_without_device(can) {
                    Ok(()) => {
                        self.on(S::Settings, |_, cx| {
                            local::set_lock_enabled(cx.hearth, false)
                        });
                        self.dirty.extend(Screen::ALL);
                    }
                    Err(lock::DeviceStillLocks) => self.ask_unlock(),
                }
            }

            A::EditAnswer { text } => self.on(S::Today, |m, cx| m.today.edit_answer(cx, text)),
            A::SubmitAnswer => self.on(S::Today, |m, cx| m.today.submit_answer(cx)),
            A::SwapQuestion => self.on(S::Today, |m, cx| m.today.swap_question(cx)),
            A::CompleteProgramDay { program_id, day } => self.on(S::Today, |m, cx| {
                m.today.complete_program_day(cx, &program_id, day)
            }),

            A::LoadMoreEntries => self.on(S::Journal, |m, cx| m.journal.load_more(cx)),
            A::FilterEntries { filter } => {
                self.on(S::Journal, |m, cx| m.journal.set_filter(cx, filter));
            }
            A::Search { text } => self.on(S::Journal, |m, cx| m.journal.search(cx, text)),
            A::ClearSearch => self.journal.clear_search(),
            A::OpenEntry { id } => {
                self.tab = Tab::Journal;
                self.on(S::Journal, |m, cx| m.journal.open(cx, &id));
            }
            A::CloseEntry => self.journal.close_entry(),
            A::Compose => {
                self.tab = Tab::Journal;
                self.on(S::Journal, |m, cx| m.journal.compose(cx));
            }
            A::WriteAboutExercise { exercise_id } => {
                self.tab = Tab::Journal;
                self.on(S::Journal, |m, cx| {
                    m.journal.write_about_exercise(cx, &exercise_id)
                });
            }
            A::WriteAboutQuestion => {
                self.tab = Tab::Journal;
                self.on(S::Journal, |m, cx| m.journal.write_about_question(cx));
            }
            A::EditEntry { id } => self.on(S::Journal, |m, cx| m.journal.edit(cx, &id)),
            A::EditDraft {
                title,
                body,
                emotions,
                private,
            } => self.on(S::Journal, |m, cx| {
                m.journal.edit_draft(cx, title, body, emotions, private)
            }),
            A::CancelCompose => self.on(S::Journal, |m, cx| m.journal.cancel_compose(cx)),
            A::SaveEntry => self.on(S::Journal, |m, cx| m.journal.save(cx)),
            A::DeleteEntry { id } => self.on(S::Journal, |m, cx| m.journal.delete(cx, &id)),
            A::React { entry_id, reaction } => {
                self.on(S::Journal, |m, cx| m.journal.react(cx, &entry_id, reaction));
            }
            A::Comment { entry_id, body } => {
                self.on(S::Journal, |m, cx| m.journal.comment(cx, &entry_id, &body));
            }
            A::DeleteComment {
                entry_id,
                comment_id,
            } => self.on(S::Journal, |m, cx| {
                m.journal.delete_comment(cx, &entry_id, &comment_id)
            }),
            A::SetEntryPrivate { id, private } => {
                self.on(S::Journal, |m, cx| m.journal.set_private(cx, &id, private));
            }

            A::Browse { dimension } => {
                self.on(S::Exercises, |m, cx| m.exercises.browse(cx, dimension));
            }
            A::StartExercise { id } => {
                self.tab = Tab::Exercises;
                self.on(S::Exercises, |m, cx| m.exercises.start(cx, &id));
            }
            A::NextStep => self.exercises.next_step(),
            A::PreviousStep => self.exercises.previous_step(),
            A::FinishExercise { done } => {
                self.on(S::Exercises, |m, cx| m.exercises.finish(cx, done));
                self.dirty.insert(S::Today);
            }
            A::CloseExercise => self.exercises.close_run(),
            A::StartDrill { exercise_id } => {
                self.on(S::Exercises, |m, cx| {
                    m.exercises.start_drill(cx, &exercise_id)
                });
            }
            A::OpenDrill { id } => {
                self.tab = Tab::Exercises;
                self.on(S::Exercises, |m, cx| m.exercises.open_drill(cx, &id));
            }
            A::DrillMove { action } => {
                self.on(S::Exercises, |m, cx| m.exercises.drill_move(cx, action));
            }
            A::CloseDrill => self.exercises.close_drill(),

            A::AddGoal { text } => self.on(S::Us, |m, cx| m.us.add_goal(cx, &text)),
            A::SetGoalStatus { id, status } => {
                self.on(S::Us, |m, cx| m.us.set_goal_status(cx, &id, status));
            }
            A::AddDateIdea { text } => self.on(S::Us, |m, cx| m.us.add_date_idea(cx, &text)),
            A::AddStarterIdea { id } => self.on(S::Us, |m, cx| m.us.add_starter(cx, &id)),
            A::DrawDateIdea => self.on(S::Us, |m, cx| m.us.draw(cx)),
            A::DismissDrawn => self.us.dismiss_drawn(),
            A::MarkDateDone { id } => self.on(S::Us, |m, cx| m.us.mark_date_done(cx, &id)),
            A::BeginCheckIn => {
                self.tab = Tab::Us;
                self.us.begin_check_in();
            }
            A::NextCheckInSection => self.on(S::Us, |m, cx| m.us.next_section(cx)),
            A::PreviousCheckInSection => self.us.previous_section(),
            A::FinishCheckIn { month } => self.on(S::Us, |m, cx| m.us.finish_check_in(cx, month)),
            A::StartGameRound { i_answer } => {
                self.on(S::Us, |m, cx| m.us.start_game_round(cx, i_answer));
            }
            A::PlayGameRound { id, text } => {
                self.on(S::Us, |m, cx| m.us.play_game_round(cx, &id, &text));
            }
            A::CloseCheckIn => self.us.close_check_in(),
            A::Appreciate { text } => self.on(S::Us, |m, cx| m.us.appreciate(cx, &text)),
            A::JoinProgram { id } => self.on(S::Us, |m, cx| m.us.join_program(cx, &id)),
            A::LeaveProgram { id } => self.on(S::Us, |m, cx| m.us.leave_program(cx, &id)),

            A::BeginAssessment { kind } => {
                self.tab = Tab::Us;
                self.us.begin_assessment(kind);
            }
            A::AnswerAssessment { answer } => self.us.answer(answer),
            A::CancelAssessment => self.us.cancel_assessment(),
            A::SubmitAssessment => {
                self.on(S::Us, |m, cx| m.us.submit_assessment(cx));
                // Results shape the suggestions.
                self.dirty.extend([S::Us, S::Today, S::Exercises]);
            }
            A::DismissResult => self.us.dismiss_result(),
            A::ShareAssessment { kind } => self.on(S::Us, |m, cx| m.us.share(cx, kind)),
            A::UnshareAssessment { kind } => self.on(S::Us, |m, cx| m.us.unshare(cx, kind)),

            A::SyncNow => self.sync_now(),
            A::SetRelay { url } => {
                self.on(S::Settings, |_, cx| cx.hearth.set_relay(&url));
                if self.pairing.visible {
                    let problem = self.settings.problem.take();
                    self.pairing.problem = problem;
                }
                self.dirty.insert(S::Settings);
            }
            A::DismissSyncNotice => {
                self.on(S::Settings, |_, cx| cx.hearth.dismiss_sync_notice());
                self.dirty.insert(S::Settings);
            }
            A::SetDisplayName { name } => {
                self.on(S::Settings, |_, cx| cx.hearth.set_display_name(&name));
                self.dirty.insert(S::Settings);
            }
            A::SetSexualContentOptIn { opt_in } => self.on(S::Settings, |_, cx| {
                cx.hearth.set_sexual_content_opt_in(opt_in)
            }),
            A::SetAppLock { enabled } => {
                let can = self.shell.device_can_authenticate();
                match self.lock.set_enabled(enabled, can) {
                    Ok(()) => {
                        self.on(S::Settings, |_, cx| {
                            local::set_lock_enabled(cx.hearth, enabled)
                        });
                    }
                    Err(lock::NoDeviceLock) => {
                        self.settings.problem = Some(Problem::from(&Error::NoDeviceLock));
                    }
                }
            }
            A::SetPartnerNews { enabled } => {
                if enabled {
                    // On only once the platform grants the permission.
                    self.shell.request_notification_permission();
                } else {
                    self.on(S::Settings, |m, cx| m.settings.set_partner_news(cx, false));
                }
            }
            A::NotificationPermission { granted } => {
                if granted {
                    self.on(S::Settings, |m, cx| m.settings.set_partner_news(cx, true));
                } else {
                    self.settings.notifications_blocked = true;
                    self.on(S::Settings, |m, cx| m.settings.set_partner_news(cx, false));
                }
            }
            A::Export { format } => self.export(format),
            A::LeaveSpace => self.leave(Leave::Settings),
            A::EraseEverything { leave_first } => {
                self.erasing = ErasingView::Running;
                let open_space = self
                    .hearth
                    .as_ref()
                    .and_then(|h| h.sync_status().ok())
                    .is_some_and(|s| s.paired && !s.closed);
                if leave_first && open_space {
                    self.leave(Leave::Erase);
                } else {
                    self.finish_erase().await;
                }
            }
            A::CancelErase => self.erasing = ErasingView::Idle,

            A::AnswerSafety { item_id, yes } => self.safety.answer(item_id, yes),
            A::TakeSafetyCheck => self.safety.take(),
            A::SubmitSafetyCheck => {
                self.on(S::Safety, |m, cx| m.safety.submit(cx));
                // A concern turns closeness suggestions into help.
                self.dirty.extend([S::Today, S::Exercises]);
            }
            A::ResumeClosenessSuggestions => {
                self.on(S::Safety, |m, cx| m.safety.resume_closeness(cx));
                self.dirty.extend([S::Today, S::Exercises]);
            }
            A::ClearSafetyCheck => {
                self.on(S::Safety, |m, cx| m.safety.clear(cx));
                self.dirty.extend([S::Today, S::Exercises]);
            }

            A::OfferPairing => self.pairing.reset(true),
            A::PairLater => self.pairing.reset(false),
            A::ShowCode => self.show_code(),
            A::CancelPairing => self.pairing.reset(true),
            A::EnterCode { code } => self.enter_code(code),
            A::ConfirmMatch => {
                if matches!(self.pairing.step, PairingStep::Compare { .. }) {
                    self.pairing.step = PairingStep::Paired;
                }
            }
            A::ReportMismatch => {
                let attempt = self.pairing.attempt;
                self.pairing.busy = true;
                self.leave(Leave::Mismatch { attempt });
            }
        }
    }

    /// The back gesture closes what is on top: the pairing flow, then what
    /// is open on the current tab.
    fn back(&mut self) {
        if self.pairing.visible && !self.pairing.busy {
            self.pairing.reset(false);
            return;
        }
        let closed = match self.tab {
            Tab::Journal => self.journal.back(),
            Tab::Exercises => self.exercises.back(),
            Tab::Us => self.us.back(),
            Tab::Today | Tab::Settings => false,
        };
        if !closed && self.tab != Tab::Today {
            self.tab = Tab::Today;
        }
    }

    fn sync_now(&mut self) {
        let Some(hearth) = self.hearth.clone() else {
            return;
        };
        self.settings.syncing = true;
        self.settings.problem = None;
        self.spawn(async move {
            let report = hearth.sync_now().await;
            Done::Synced {
                report,
                reply: None,
            }
        });
    }

    fn export(&mut self, format: ExportFormat) {
        let Some(hearth) = self.hearth.clone() else {
            return;
        };
        self.settings.exporting = true;
        self.settings.problem = None;
        self.spawn(async move {
            let result = tokio::task::spawn_blocking(move || match format {
                ExportFormat::Json => hearth.export_json(),
                ExportFormat::Markdown => hearth.export_markdown(),
            })
            .await
            .unwrap_or_else(|e| Err(Error::Background(e.to_string())));
            Done::Exported { format, result }
        });
    }

    fn leave(&mut self, why: Leave) {
        let Some(hearth) = self.hearth.clone() else {
            return;
        };
        if matches!(why, Leave::Settings) {
            self.settings.leaving = true;
            self.settings.problem = None;
        }
        self.spawn(async move {
            let result = hearth.leave_space().await;
            Done::Left { why, result }
        });
    }

    fn show_code(&mut self) {
        let Some(hearth) = self.hearth.clone() else {
            return;
        };
        if self.cx(&hearth).paired {
            self.pairing.problem = Some(Problem::from(&Error::Pairing(
                "this device is already paired".into(),
            )));
            return;
        }
        self.pairing.visible = true;
        let attempt = self.pairing.next_attempt(PairingStep::GettingCode);
        self.spawn(async move {
            let result = hearth.start_pairing().await;
            Done::Code { attempt, result }
        });
    }

    fn enter_code(&mut self, code: String) {
        let Some(hearth) = self.hearth.clone() else {
            return;
        };
        if self.cx(&hearth).paired {
            self.pairing.problem = Some(Problem::from(&Error::Pairing(
                "this device is already paired".into(),
            )));
            return;
        }
        self.pairing.visible = true;
        let attempt = self.pairing.next_attempt(PairingStep::Joining);
        self.spawn(async move {
            let result = hearth.join_partner(code.trim()).await;
            Done::Paired { attempt, result }
        });
    }
}

#[cfg(test)]
mod tests;
