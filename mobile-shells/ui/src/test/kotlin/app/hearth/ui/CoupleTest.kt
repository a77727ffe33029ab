package app.hearth.ui

import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onLast
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.runDesktopComposeUiTest
import app.hearth.core.Action
import app.hearth.core.AppPhase
import app.hearth.core.LinkingStep
import app.hearth.core.PartnerAnswerView
import org.junit.AfterClass
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.BeforeClass
import org.junit.Test

/**
 * The app used as two people would, on two app instances in one JVM (two
 * data folders) and a real relay process: every step is a tap or typed
 * text on one person's screen, and every check is what that screen shows.
 */
class CoupleTest {
    companion object {
        private lateinit var relay: Relay

        @JvmStatic
        @BeforeClass
        fun startRelay() {
            relay = Relay.start()
        }

        @JvmStatic
        @AfterClass
        fun stopRelay() = relay.close()
    }

    private fun couple(test: androidx.compose.ui.test.ComposeUiTest.(Couple) -> Unit) {
        Couple(relay).use { couple ->
            runDesktopComposeUiTest(width = 822, height = 891) {
                showBoth(couple)
                pairByHand(couple)
                test(couple)
            }
        }
    }

    @Test
    fun pairingShowsTheSameSafetyNumberOnBothPhones() = couple { couple ->
        val alex = on(couple.alex)
        val sam = on(couple.sam)
        alex.tap(Strings.tabSettings)
        sam.tap(Strings.tabSettings)
        alex.waitFor(Strings.settingsPairedWith("Sam"))
        sam.waitFor(Strings.settingsPairedWith("Alex"))
    }

    @Test
    fun anEntryWrittenOfflineReachesThePartnerAfterSync() {
        // This test takes the relay away, so it has one of its own.
        Relay.start().use { own ->
            Couple(own).use { couple ->
                runDesktopComposeUiTest(width = 822, height = 891) {
                    showBoth(couple)
                    pairByHand(couple)
                    val alex = on(couple.alex)
                    val sam = on(couple.sam)
                    own.suspend()

                    alex.tap(Strings.tabJournal)
                    alex.tap(Strings.journalWrite) // the + button
                    alex.type(Strings.journalTitle, "Pancakes")
                    alex.type(Strings.journalBody, "Sunday pancakes were the best part of the week.")
                    alex.tap(Strings.emotionJoyful)
                    alex.tap(Strings.save)
                    alex.waitFor("Pancakes")

                    // Offline: the sync fails, the entry waits on Alex's phone.
                    alex.tap(Strings.tabSettings)
                    alex.tap(Strings.settingsSyncNow)
                    couple.alex.awaitView("the sync to fail") { it.screens?.settings?.let { s -> !s.syncing && s.sync.lastError != null } == true }
                    val pending = couple.alex.screens.settings.sync.pending.toInt()
                    assertTrue("the entry waits to be sent", pending >= 1)
                    alex.waitFor(Strings.settingsPending(pending))
                    sam.tap(Strings.tabJournal)
                    assertFalse(sam.has("Pancakes"))

                    own.resume()
                    alex.syncNow(then = Strings.tabJournal)
                    sam.syncNow(then = Strings.tabJournal)
                    sam.waitFor("Pancakes")
                    sam.tap("Pancakes")
                    sam.waitFor("Sunday pancakes were the best part of the week.")
                    sam.waitFor(Strings.emotionJoyful)
                }
            }
        }
    }

    @Test
    fun thePartnersAnswerShowsOnlyOnceBothAnswered() = couple { couple ->
        val alex = on(couple.alex)
        val sam = on(couple.sam)
        alex.type(Strings.todayYourAnswer, "A long walk without phones.")
        alex.tap(Strings.save)
        alex.waitFor(Strings.todayYouSaid)
        alex.syncNow(then = Strings.tabToday)
        sam.syncNow(then = Strings.tabToday)

        // Sam learns that Alex answered, not what.
        sam.waitFor(Strings.todayPartnerHidden("Alex"))
        assertFalse(sam.has("A long walk without phones."))

        sam.type(Strings.todayYourAnswer, "Cooking together, slowly.")
        sam.tap(Strings.save)
        sam.waitFor(Strings.todayPartnerSaid("Alex"))
        sam.waitFor("A long walk without phones.")

        sam.syncNow(then = Strings.tabToday)
        alex.syncNow(then = Strings.tabToday)
        alex.waitFor(Strings.todayPartnerSaid("Sam"))
        alex.waitFor("Cooking together, slowly.")
        assertTrue(couple.alex.screens.today.question?.partner is PartnerAnswerView.Shown)
    }

    @Test
    fun aDrillTakesTurnsAcrossBothPhones() = couple { couple ->
        val alex = on(couple.alex)
        val sam = on(couple.sam)
        alex.tap(Strings.tabExercises)
        // "Take turns on both phones" is offered now that they are paired: the first exercise that has it.
        alex.tap(Strings.exercisesStartDrill)
        couple.alex.awaitView("the drill to open") { it.screens?.exercises?.drill != null }
        val drill = couple.alex.screens.exercises.drill!!
        alex.waitFor(drill.exercise.title)
        alex.waitFor(Strings.drillTurn(1, drill.session.view.totalTurns.toInt()))
        alex.waitFor(Strings.drillYouSpeak)
        alex.waitFor(Strings.moveDoneSpeaking)

        alex.syncNow(then = Strings.tabExercises)
        sam.syncNow(then = Strings.tabExercises)
        sam.waitFor(Strings.exercisesOpenDrills)
        sam.tap(Strings.exercisesContinue)
        sam.waitFor(Strings.drillYouListen)
        assertFalse("only the speaker may say they are done", sam.has(Strings.moveDoneSpeaking))

        alex.tap(Strings.moveDoneSpeaking)
        alex.waitFor(Strings.phaseReflecting)
        alex.syncNow(then = Strings.tabExercises)
        sam.syncNow(then = Strings.tabExercises)
        sam.waitFor(Strings.moveDoneReflecting)
        sam.tap(Strings.moveDoneReflecting)
        sam.waitFor(Strings.phaseConfirming)
    }

    @Test
    fun anAssessmentComparesOnceBothShared() = couple { couple ->
        for ((phone, pick) in listOf(couple.alex to 0, couple.sam to 1)) {
            val person = on(phone)
            person.tap(Strings.tabUs)
            person.tap(Strings.assessmentTake) // the first: closeness today
            val form = phone.screens.us.assessments.forms.intimacy
            person.waitFor(form.title)
            // Each person answers every question: Alex low, Sam high, so they differ.
            for (item in form.items) {
                val low = form.scale.min.toInt() + pick * (form.scale.max - form.scale.min).toInt()
                phone.send(app.hearth.core.Action.AnswerAssessment(app.hearth.core.AssessmentItemAnswer.Importance(item.dimension, low.toUInt())))
                phone.send(app.hearth.core.Action.AnswerAssessment(app.hearth.core.AssessmentItemAnswer.Satisfaction(item.dimension, form.scale.min)))
            }
            person.waitFor(Strings.assessmentAnswered(form.items.size * 2, form.items.size * 2))
            person.tap(Strings.assessmentSeeResult)
            person.waitFor(Strings.assessmentYourResult)
            person.tap(Strings.done)
            person.tap(Strings.assessmentShare)
            person.waitFor(Strings.assessmentUnshare)
        }
        on(couple.alex).syncNow(then = Strings.tabUs)
        on(couple.sam).syncNow(then = Strings.tabUs)
        on(couple.alex).syncNow(then = Strings.tabUs)
        on(couple.alex).waitFor(Strings.assessmentDifferences)
        on(couple.sam).waitFor(Strings.assessmentDifferences)
    }

    @Test
    fun theSensualProgramAppearsOnlyOnceBothOptIn() = couple { couple ->
        val alex = on(couple.alex)
        val sam = on(couple.sam)
        val sensual = "30 sensual days"
        alex.tap(Strings.tabUs)
        assertFalse(alex.has(sensual))

        alex.tap(Strings.tabSettings)
        alex.tap(Strings.settingsSexual)
        alex.waitFor(Strings.settingsSexualWaiting)
        alex.syncNow(then = Strings.tabUs)
        assertFalse("one person's yes is not enough", alex.has(sensual))

        sam.tap(Strings.tabSettings)
        sam.syncNow(then = Strings.tabSettings)
        sam.tap(Strings.settingsSexual)
        sam.waitFor(Strings.settingsSexualBoth)
        sam.syncNow(then = Strings.tabUs)
        sam.waitFor(sensual)
        alex.syncNow(then = Strings.tabUs)
        alex.waitFor(sensual)
    }

    @Test
    fun theSafetyCheckStaysHereAndOffersHelpInsteadOfCloseness() = couple { couple ->
        val alex = on(couple.alex)
        val sam = on(couple.sam)
        alex.waitFor(Strings.todaySuggestion)
        alex.tap(Strings.tabSettings)
        alex.tap(Strings.settingsSupportOpen)
        val check = couple.alex.screens.safety.check
        alex.waitFor(check.title)
        for (item in check.items) {
            alex.waitFor(item.text)
        }
        // A yes to the first question: a concern.
        alex.tap(Strings.yes)
        alex.tap(Strings.safetySubmit)
        couple.alex.awaitView("the outcome") { it.screens?.safety?.outcome != null }
        val outcome = couple.alex.screens.safety.outcome!!
        alex.waitFor(outcome.message)
        alex.tap(Strings.close)
        alex.tap(Strings.tabToday)
        alex.waitFor(Strings.todaySeeSupport)
        assertFalse("no exercise is pushed after a concern", alex.has(Strings.todaySuggestionStart))

        // Nothing of it reaches the partner.
        alex.syncNow(then = Strings.tabToday)
        sam.syncNow(then = Strings.tabToday)
        assertFalse(sam.has(Strings.todaySeeSupport))
        assertTrue(couple.sam.screens.safety.outcome == null)
    }

    @Test
    fun theAppLockHidesEverythingUntilTheDeviceSaysItIsYou() = couple { couple ->
        val alex = on(couple.alex)
        alex.tap(Strings.tabSettings)
        alex.tap(Strings.settingsAppLock)
        couple.alex.awaitView("the lock to be on") { it.screens?.settings?.appLock == true }

        couple.alex.deviceUnlocks = false
        couple.alex.restart()
        alex.waitFor(Strings.lockTitle)
        assertFalse(alex.has(Strings.tabToday))
        // Asked for without a tap (the effect may land just after the first frame).
        waitUntil("the prompt was asked for at once", NETWORK_MS) { couple.alex.lockPrompts > 0 }

        couple.alex.deviceUnlocks = true
        alex.tap(Strings.lockUnlock)
        alex.waitFor(Strings.todayQuestion)

        // The device's own lock was removed: the prompt can never succeed, so the lock screen offers a way in.
        couple.alex.canAuthenticate = false
        couple.alex.restart()
        alex.waitFor(Strings.lockDeviceGone)
        alex.tap(Strings.lockTurnOff)
        alex.waitFor(Strings.todayQuestion)
    }

    @Test
    fun aLaptopIsAddedFromSettingsAndThePartnerIsTold() = couple { couple ->
        val alex = on(couple.alex)
        val sam = on(couple.sam)
        alex.tap(Strings.tabSettings)
        alex.tap(Strings.devicesLink)
        alex.waitFor(Strings.devicesLinkHelp)
        val shown = couple.alex.screens.settings.devices.linking as LinkingStep.ShowCode
        alex.waitFor(shown.code)
        alex.waitFor(Strings.devicesLinkRelay(relay.url))

        // Alex's laptop: a third app instance, set up from its welcome
        // screen's link form (driven by its actions here).
        Phone("laptop").use { laptop ->
            laptop.settle()
            laptop.send(Action.LinkThisDevice(shown.code, shown.relayUrl, "laptop"))
            waitUntil("the laptop is set up", NETWORK_MS) { laptop.view.phase is AppPhase.Ready }
            alex.waitFor(Strings.devicesLinkCompare)
            val onAlex = couple.alex.screens.settings.devices.linking as LinkingStep.Compare
            val onLaptop = laptop.screens.settings.devices.linking as LinkingStep.Compare
            assertEquals("both devices show the same number", onAlex.safetyNumber, onLaptop.safetyNumber)
            alex.waitFor(onAlex.safetyNumber)
            alex.tap(Strings.pairingMatch)
            alex.waitFor(Strings.devicesLinkDone)
            assertEquals("Alex", laptop.screens.profile.me.name)
        }

        sam.syncNow(then = Strings.tabSettings)
        sam.waitFor("Alex added a device (laptop)", substring = true)
        sam.waitFor(Strings.devicesPartners("Alex") + " · laptop")
    }

    @Test
    fun samLetsAlexBackInOnANewPhoneAfterAlexLostTheirs() = couple { couple ->
        val sam = on(couple.sam)
        sam.tap(Strings.tabSettings)
        sam.tap(Strings.devicesLetIn("Alex"))
        sam.waitFor(Strings.devicesLetInHelp("Alex"))
        val shown = couple.sam.screens.settings.devices.linking as LinkingStep.ShowCode
        sam.waitFor(shown.code)

        // Alex's new phone: a third app instance, set up from its welcome
        // screen's rejoin form (driven by its actions here).
        Phone("new-phone").use { phone ->
            phone.settle()
            phone.send(Action.RejoinThisDevice(shown.code, shown.relayUrl, "new phone"))
            waitUntil("the new phone is set up", NETWORK_MS) { phone.view.phase is AppPhase.Ready }
            sam.waitFor(Strings.devicesLinkCompare)
            val onSam = couple.sam.screens.settings.devices.linking as LinkingStep.Compare
            val onPhone = phone.screens.settings.devices.linking as LinkingStep.Compare
            assertEquals("both devices show the same number", onSam.safetyNumber, onPhone.safetyNumber)
            sam.tap(Strings.pairingMatch)
            sam.waitFor(Strings.devicesLetInDone("Alex"))
            assertEquals("Alex", phone.screens.profile.me.name)
        }
        // The lost phone is no longer listed on Sam's.
        val lost = couple.alex.screens.settings.devices.devices.first { it.thisDevice }.deviceId
        assertTrue(couple.sam.screens.settings.devices.devices.none { it.deviceId == lost })
        sam.waitFor(Strings.devicesPartners("Alex") + " · new phone")
    }

    @Test
    fun afterLeavingANewSpaceIsStartedAndPairingOffered() = couple { couple ->
        val alex = on(couple.alex)
        alex.tap(Strings.tabSettings)
        alex.tap(Strings.settingsLeave)
        // The confirmation dialog (a window of its own, drawn last) has a
        // button with the same words.
        waitForIdle()
        onAllNodes(hasText(Strings.settingsLeave) and hasClickAction()).onLast().performClick()
        alex.waitFor(Strings.settingsClosed)
        alex.tap(Strings.settingsNewSpace)
        alex.waitFor(Strings.pairingTitle)
        assertFalse(couple.alex.screens.paired)
        assertEquals("Alex", couple.alex.screens.profile.me.name)
    }

    @Test
    fun aDeletedEntryIsGoneFromBothPhones() = couple { couple ->
        val alex = on(couple.alex)
        val sam = on(couple.sam)
        alex.tap(Strings.tabJournal)
        alex.tap(Strings.journalWrite)
        alex.type(Strings.journalBody, "Something I wrote too quickly.")
        alex.tap(Strings.save)
        alex.waitFor("Something I wrote too quickly.")
        alex.syncNow(then = Strings.tabJournal)
        sam.syncNow(then = Strings.tabJournal)
        sam.waitFor("Something I wrote too quickly.")

        alex.tap("Something I wrote too quickly.")
        alex.tap(Strings.delete)
        alex.waitFor(Strings.journalEmpty)
        alex.syncNow(then = Strings.tabJournal)
        sam.syncNow(then = Strings.tabJournal)
        sam.waitGone("Something I wrote too quickly.")
        sam.waitFor(Strings.journalEmpty)
    }

    @Test
    fun theExportIsSavedWhereThePersonChooses() = couple { couple ->
        val alex = on(couple.alex)
        alex.tap(Strings.tabJournal)
        alex.tap(Strings.journalWrite)
        alex.type(Strings.journalTitle, "For the record")
        alex.type(Strings.journalBody, "This goes in the export.")
        alex.tap(Strings.save)
        alex.waitFor("For the record")
        alex.tap(Strings.tabSettings)
        alex.tap(Strings.settingsExportMarkdown)
        waitUntil("the export was handed to the platform", NETWORK_MS) { couple.alex.exports.isNotEmpty() }
        assertTrue(couple.alex.exports.single().contains("For the record"))
        assertEquals("nothing else was saved", 1, couple.alex.exports.size)

        // The JSON export brings the journal back on a new device's welcome screen.
        alex.tap(Strings.settingsExportJson)
        waitUntil("the JSON export was handed over", NETWORK_MS) { couple.alex.exports.size == 2 }
        Phone("restored").use { phone ->
            phone.settle()
            phone.send(Action.ChooseExportToRestore)
            waitUntil("the platform was asked for a file", NETWORK_MS) { phone.choosingExport }
            phone.send(Action.RestoreFromExport(couple.alex.exports.last().toByteArray()))
            waitUntil("the restored profile opens", NETWORK_MS) { phone.view.phase is AppPhase.Ready }
            assertEquals("Alex", phone.screens.profile.me.name)
            phone.send(Action.Navigate(app.hearth.core.Tab.JOURNAL))
            waitUntil("the entry is back", NETWORK_MS) { phone.screens.journal.entries.any { it.title == "For the record" } }
        }
    }
}
