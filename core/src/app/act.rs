//! Every action a person (or the platform) takes, and what it changes.

use super::*;

impl Model {
    // --- actions ------------------------------------------------------------------

    /// Runs `f` on the open profile; a failure becomes `screen`'s problem.
    pub(super) fn on(&mut self, screen: Screen, f: impl FnOnce(&mut Self, &Cx<'_>) -> Result<()>) {
        let Some(hearth) = self.hearth.clone() else {
            return;
        };
        let cx = self.cx(&hearth);
        let result = f(self, &cx);
        *self.problem_of(screen) = result.err().map(|e| Problem::from(&e));
    }

    #[allow(clippy::too_many_lines)] // one arm per action, each a line or two
    pub(super) async fn act(&mut self, action: Action) {
        use Action as A;
        use Screen as S;
        match action {
            A::Begin { name } => self.open(Some(name)),
            A::LinkThisDevice {
                code,
                relay_url,
                label,
            } => self.link_this_device(Joining::Link, code, relay_url, label),
            A::RejoinThisDevice {
                code,
                relay_url,
                label,
            } => self.link_this_device(Joining::Rejoin, code, relay_url, label),
            A::ChooseExportToRestore => {
                if self.hearth.is_none() {
                    self.shell.choose_export_to_restore();
                }
            }
            A::RestoreFromExport { bytes } => self.restore(&bytes),
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
            A::StartNewSpace => {
                if let Err(e) = self.start_new_space().await {
                    self.settings.problem = Some(Problem::from(&e));
                }
            }
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
            A::LinkDevice => self.link_device(false),
            A::LetPartnerBackIn => self.link_device(true),
            A::CancelLinking => self.settings.devices.stop_linking(),
            A::ConfirmLinkMatch => {
                if matches!(self.settings.devices.linking, LinkingStep::Compare { .. }) {
                    self.settings.devices.linking = LinkingStep::Linked;
                }
            }
            A::ReportLinkMismatch => {
                if let LinkingStep::Compare { device_id, .. } = &self.settings.devices.linking {
                    let attempt = self.settings.devices.attempt;
                    self.remove_device(device_id.clone(), Some(attempt));
                }
            }
            A::RemoveDevice { device_id } => self.remove_device(device_id, None),

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
    pub(super) fn back(&mut self) {
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
}
