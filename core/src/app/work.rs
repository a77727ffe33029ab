//! Work that runs beside the app's task (sync, pairing steps, leaving,
//! export, erasing) and what its results change.

use super::*;

impl Model {
    // --- background work ----------------------------------------------------------

    /// Runs `work` beside the app's task; its result comes back as a
    /// message. Counted as pending until handled.
    pub(super) fn spawn<F>(&self, work: F)
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

    pub(super) fn background_sync(&mut self, reply: oneshot::Sender<BackgroundSyncOutcome>) {
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

    pub(super) async fn done(&mut self, done: Done) {
        // The work was counted when it began; its message closes the count.
        if let Err(e) = self.finish_work(done).await {
            self.settings.problem = Some(Problem::from(&e));
        }
    }

    pub(super) async fn finish_work(&mut self, done: Done) -> Result<()> {
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
            Done::LinkCode { attempt, result } => {
                if attempt != self.settings.devices.attempt {
                    return Ok(());
                }
                let invite = match result {
                    Ok(invite) => invite,
                    Err(e) => {
                        self.settings.devices.linking = LinkingStep::Idle;
                        return Err(e);
                    }
                };
                let Some(hearth) = self.hearth.clone() else {
                    return Ok(());
                };
                self.settings.devices.linking = LinkingStep::ShowCode {
                    code: invite.code,
                    expires_at_ms: invite.expires_at_ms,
                    relay_url: hearth.sync_status()?.relay_url.unwrap_or_default(),
                };
                // Waiting for the new device: not counted as pending work.
                let mailbox = self.mailbox.clone();
                self.runtime.spawn(async move {
                    let result = hearth.finish_linking().await;
                    drop(hearth);
                    mailbox.send(Msg::Done(Done::Linked { attempt, result }));
                });
            }
            Done::Linked { attempt, result } => {
                self.dirty.insert(Screen::Settings);
                if attempt != self.settings.devices.attempt {
                    return Ok(());
                }
                match result {
                    Ok(linked) => {
                        self.settings.devices.linking = LinkingStep::Compare {
                            device_id: linked.device_id,
                            device_label: linked.device_label,
                            safety_number: linked.safety_number,
                        };
                    }
                    Err(e) => {
                        self.settings.devices.linking = LinkingStep::Idle;
                        return Err(e);
                    }
                }
            }
            Done::DeviceRemoved { attempt, result } => {
                self.settings.devices.removing = false;
                self.dirty.insert(Screen::Settings);
                result?;
                if attempt.is_some_and(|a| a == self.settings.devices.attempt) {
                    self.settings.devices.linking = LinkingStep::Removed;
                }
            }
            Done::JoinedHere { result } => {
                self.joining = false;
                match result {
                    Ok(linked) => {
                        self.open(None);
                        // Both devices show the number: compare it here too.
                        self.settings.devices.linking = LinkingStep::Compare {
                            device_id: linked.device_id,
                            device_label: linked.device_label,
                            safety_number: linked.safety_number,
                        };
                        self.tab = Tab::Settings;
                    }
                    Err(e) => {
                        self.phase = AppPhase::Welcome {
                            problem: Some(Problem::from(&e)),
                        };
                    }
                }
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

    pub(super) fn pairing_failed(&mut self, e: &Error) {
        self.pairing.step = PairingStep::Choose;
        self.pairing.busy = false;
        self.pairing.problem = Some(Problem::from(e));
    }

    pub(super) async fn finish_erase(&mut self) {
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

    pub(super) fn sync_now(&mut self) {
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

    pub(super) fn export(&mut self, format: ExportFormat) {
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

    pub(super) fn leave(&mut self, why: Leave) {
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

    /// Sets this device up as another device of its person: refused if a
    /// profile is here already; the link runs beside the app's task.
    pub(super) fn link_this_device(
        &mut self,
        joining: Joining,
        code: String,
        relay: String,
        label: Option<String>,
    ) {
        if self.joining {
            return;
        }
        if self.hearth.is_some() {
            // Offered on the welcome screen only: an open profile stays.
            self.settings.problem = Some(Problem::from(&Error::ProfileExists));
            return;
        }
        if self.is_set_up() {
            self.phase = AppPhase::Welcome {
                problem: Some(Problem::from(&Error::ProfileExists)),
            };
            return;
        }
        self.joining = true;
        self.phase = AppPhase::Welcome { problem: None };
        let dir = self.config.data_dir.clone();
        let options = self.open_options(None);
        self.spawn(async move {
            let (code, label) = (code.trim(), label.as_deref());
            let joined = match joining {
                Joining::Link => Hearth::link(&dir, options, &relay, code, label).await,
                Joining::Rejoin => Hearth::recover(&dir, options, &relay, code, label).await,
            };
            let result = joined
                // The profile is opened again by the app's own `open`.
                .map(|(hearth, linked)| {
                    drop(hearth);
                    linked
                });
            Done::JoinedHere { result }
        });
    }

    /// Restores an export into a new profile here, then opens it; the
    /// welcome screen shows why when it cannot.
    pub(super) fn restore(&mut self, bytes: &[u8]) {
        if self.hearth.is_some() {
            self.settings.problem = Some(Problem::from(&Error::ProfileExists));
            return;
        }
        let refused = if self.is_set_up() {
            Some(Error::ProfileExists)
        } else {
            Hearth::import_bytes(&self.config.data_dir, self.open_options(None), bytes)
                // Opened again by the app's own `open`.
                .map(drop)
                .err()
        };
        match refused {
            None => self.open(None),
            Some(e) => {
                self.phase = AppPhase::Welcome {
                    problem: Some(Problem::from(&e)),
                };
            }
        }
    }

    /// Starts linking a new device of this person, or of the partner
    /// who lost every device of theirs (`for_partner`); paired only.
    pub(super) fn link_device(&mut self, for_partner: bool) {
        let Some(hearth) = self.hearth.clone() else {
            return;
        };
        let attempt = self.settings.devices.next_attempt(for_partner);
        self.settings.problem = None;
        self.spawn(async move {
            let result = if for_partner {
                hearth.start_partner_recovery().await
            } else {
                hearth.start_linking().await
            };
            Done::LinkCode { attempt, result }
        });
    }

    /// Removes another device of this person; `attempt` when it is the
    /// device of a link whose numbers differed.
    pub(super) fn remove_device(&mut self, device_id: String, attempt: Option<u64>) {
        let Some(hearth) = self.hearth.clone() else {
            return;
        };
        self.settings.devices.removing = true;
        self.settings.problem = None;
        self.spawn(async move {
            let result = hearth.remove_device(&device_id).await;
            Done::DeviceRemoved { attempt, result }
        });
    }

    pub(super) fn show_code(&mut self) {
        self.begin_pairing(PairingStep::GettingCode, |hearth, attempt| async move {
            let result = hearth.start_pairing().await;
            Done::Code { attempt, result }
        });
    }

    pub(super) fn enter_code(&mut self, code: String) {
        self.begin_pairing(PairingStep::Joining, |hearth, attempt| async move {
            let result = hearth.join_partner(code.trim()).await;
            Done::Paired { attempt, result }
        });
    }

    /// Starts a pairing attempt at `step`, unless this device is paired
    /// already (a couple is two people).
    fn begin_pairing<F, W>(&mut self, step: PairingStep, work: W)
    where
        W: FnOnce(Arc<Hearth>, u64) -> F,
        F: Future<Output = Done> + Send + 'static,
    {
        let Some(hearth) = self.hearth.clone() else {
            return;
        };
        if self.cx(&hearth).paired {
            self.pairing.problem = Some(Problem::from(&Error::AlreadyPaired));
            return;
        }
        self.pairing.visible = true;
        let attempt = self.pairing.next_attempt(step);
        self.spawn(work(hearth, attempt));
    }
}
