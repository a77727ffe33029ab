//! The app's task: its loop, opening and closing the profile, the lock and
//! live sync, routing change events to the screens, building the view.

use super::*;

impl Model {
    pub(super) async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Msg>) {
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

    pub(super) async fn handle(&mut self, msg: Msg) {
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

    pub(super) fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The person's calendar day now.
    pub(super) fn day(&self) -> String {
        let offset = i64::from(self.shell.utc_offset_seconds());
        let seconds = self.now().div_euclid(1000) + offset;
        let date = time::OffsetDateTime::from_unix_timestamp(seconds)
            .map_or(time::Date::MIN, time::OffsetDateTime::date);
        crate::guidance::day::format(date)
    }

    pub(super) fn cx<'a>(&self, hearth: &'a Hearth) -> Cx<'a> {
        let status = hearth.sync_status().ok();
        Cx {
            hearth,
            day: self.day(),
            paired: status.as_ref().is_some_and(|s| s.paired && !s.closed),
            closed: status.as_ref().is_some_and(|s| s.closed),
            profile: hearth.profile().ok(),
        }
    }

    // --- opening, closing, erasing ------------------------------------------------

    pub(super) fn is_set_up(&self) -> bool {
        self.config.data_dir.join(DATABASE_FILE).exists()
    }

    /// How this app opens its profile: its clock and key store, and `name`
    /// when setting one up.
    pub(super) fn open_options(&self, name: Option<String>) -> OpenOptions {
        OpenOptions {
            display_name: name,
            clock: Some(Arc::clone(&self.clock)),
            key_store: self.config.key_store.clone(),
        }
    }

    /// Opens the profile if it is set up, or with `name` to set it up.
    pub(super) fn open(&mut self, name: Option<String>) {
        let onboarding = name.is_some();
        if !onboarding && !self.is_set_up() {
            self.phase = AppPhase::Welcome { problem: None };
            return;
        }
        let hearth = match Hearth::open(&self.config.data_dir, self.open_options(name)) {
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
    pub(super) async fn shut(&mut self) {
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

    pub(super) async fn erase(&mut self) -> Result<()> {
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

    /// Keeps the closed profile aside and opens a fresh one with the same
    /// name (see [`Hearth::start_new_space`]); offered once the space
    /// closed. The pairing flow comes up, as for a new profile.
    pub(super) async fn start_new_space(&mut self) -> Result<()> {
        if !self
            .hearth
            .as_ref()
            .is_some_and(|h| h.sync_status().is_ok_and(|s| s.closed))
        {
            return Err(Error::AlreadyPaired);
        }
        self.shut().await;
        let started = Hearth::start_new_space(&self.config.data_dir, self.open_options(None));
        self.reset_screens();
        match started {
            Ok(started) => {
                drop(started.hearth);
                self.open(None);
                self.pairing.reset(true);
                Ok(())
            }
            Err(e) => {
                // The old profile is as it was: open it again.
                self.open(None);
                Err(e)
            }
        }
    }

    /// Back to a fresh start, as after erasing.
    pub(super) fn reset_screens(&mut self) {
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

    pub(super) fn ask_unlock(&self) {
        if self.lock.locked() && self.shell.device_can_authenticate() {
            self.shell.request_unlock();
        }
    }

    /// Live sync runs while the app is in front, paired and the space open.
    pub(super) fn follow_foreground(&mut self) {
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

    pub(super) async fn stop_live(&mut self) {
        if let Some(live) = self.live.take() {
            let _ = live.stop.send(());
            let _ = live.task.await;
        }
    }

    // --- change events ------------------------------------------------------------

    /// Marks the screens that show what changed; each reloads once per burst.
    pub(super) fn route(&mut self, event: Event) {
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

    pub(super) fn reload(&mut self) {
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
            let result = match screen {
                Screen::Today => self.today.load(&cx),
                Screen::Journal => self.journal.load(&cx),
                Screen::Exercises => self.exercises.load(&cx),
                Screen::Us => self.us.load(&cx),
                Screen::Settings => self.settings.load(&cx),
                Screen::Safety => self.safety.load(&cx),
            };
            if let Err(e) = result {
                *self.problem_of(screen) = Some(Problem::from(&e));
            }
        }
    }

    // --- the view -----------------------------------------------------------------

    pub(super) fn view(&self) -> AppView {
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
            joining: self.joining,
        }
    }

    pub(super) fn screens(&self, hearth: &Hearth, can_lock: bool) -> Result<Screens> {
        let cx = self.cx(hearth);
        let settings = self.settings.view(&cx, self.lock.enabled(), can_lock);
        let needs_relay = settings.sync.relay_url.is_none();
        Ok(Screens {
            profile: match &cx.profile {
                Some(profile) => profile.clone(),
                None => hearth.profile()?,
            },
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

    pub(super) fn publish(&mut self) {
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

    /// Where a screen keeps the problem it shows.
    pub(super) fn problem_of(&mut self, screen: Screen) -> &mut Option<Problem> {
        match screen {
            Screen::Today => &mut self.today.problem,
            Screen::Journal => &mut self.journal.problem,
            Screen::Exercises => &mut self.exercises.problem,
            Screen::Us => &mut self.us.problem,
            Screen::Settings => &mut self.settings.problem,
            Screen::Safety => &mut self.safety.problem,
        }
    }
}
