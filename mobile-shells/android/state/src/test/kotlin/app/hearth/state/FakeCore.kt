package app.hearth.state

import app.hearth.HearthException
import app.hearth.core.Appreciation
import app.hearth.core.AssessmentAnswers
import app.hearth.core.AssessmentKind
import app.hearth.core.AssessmentResult
import app.hearth.core.CheckInDue
import app.hearth.core.CheckInGuide
import app.hearth.core.CheckInSection
import app.hearth.core.CheckInTopic
import app.hearth.core.Comparison
import app.hearth.core.DailyQuestion
import app.hearth.core.DateIdea
import app.hearth.core.DrillSession
import app.hearth.core.Enrolment
import app.hearth.core.Entry
import app.hearth.core.EntryFilter
import app.hearth.core.EntryPage
import app.hearth.core.EntryReaction
import app.hearth.core.EntryUpdate
import app.hearth.core.Event
import app.hearth.core.Exercise
import app.hearth.core.ExerciseFilter
import app.hearth.core.Goal
import app.hearth.core.GoalStatus
import app.hearth.core.IntimacyResult
import app.hearth.core.NewEntry
import app.hearth.core.PairingInvite
import app.hearth.core.PairingResult
import app.hearth.core.PartnerAnswer
import app.hearth.core.Profile
import app.hearth.core.Program
import app.hearth.core.Reaction
import app.hearth.core.Recommendation
import app.hearth.core.SafetyAnswer
import app.hearth.core.SafetyCheck
import app.hearth.core.SafetyOutcome
import app.hearth.core.SearchHit
import app.hearth.core.SexualContentConsent
import app.hearth.core.SyncReport
import app.hearth.core.SyncStatus
import app.hearth.core.Today
import app.hearth.core.TurnMove
import app.hearth.core.Visibility
import kotlinx.coroutines.CompletableDeferred
import java.util.concurrent.CopyOnWriteArrayList

/**
 * An in-memory core for the state tests. It keeps a journal and a few
 * guidance items, pages and searches like the core, refuses what the core
 * refuses in the cases the tests exercise, emits events after writes, and
 * records every call so a test can see what the state holders asked for.
 */
class FakeCore : CoreGateway {
    /** Every call, as `name(args)`. */
    val calls = CopyOnWriteArrayList<String>()
    private val listeners = CopyOnWriteArrayList<(Event) -> Unit>()
    var closed = false
        private set

    // --- what the fake holds; tests set these directly -------------------------------

    var partner: app.hearth.core.Person? = null
    val entries = mutableListOf<Entry>()
    var today: Today = Today(question = daily(), programs = emptyList(), suggestion = null, checkInDue = false)
    var programList: List<Program> = listOf(program())
    var catalog: List<Exercise> = listOf(app.hearth.state.exercise("e-listen"), app.hearth.state.exercise("e-walk", listOf(app.hearth.core.Dimension.EXPERIENTIAL)))
    val drills = mutableMapOf<String, DrillSession>()
    var consent = SexualContentConsent(mine = false, partner = false)
    val goalList = mutableListOf<Goal>()
    val ideas = mutableListOf<DateIdea>()
    var mine: AssessmentResult? = null
    var status = SyncStatus(
        paired = false,
        relayUrl = null,
        lastSyncedAtMs = null,
        pending = 0u,
        lastError = null,
        rejectedBlobs = 0u,
        notice = null,
        closed = false,
    )
    var report = SyncReport(pushed = 0u, pulled = 0u, rejected = 0u, forgotten = 0u, compacted = 0u)
    var safetyOutcomeHeld: SafetyOutcome? = null

    /** When set, the next matching call throws it once. */
    val failures = mutableMapOf<String, Exception>()

    /** finishPairing waits on this: complete it to play the partner typing the code. */
    var partnerJoins = CompletableDeferred<PairingResult>()
    var liveStarted = 0
    var liveStopped = 0

    private var nextId = 1

    private fun call(name: String, vararg args: Any?) {
        calls.add("$name(${args.joinToString()})")
        failures.remove(name)?.let { throw it }
    }

    /** Plays a change arriving from the partner's phone. */
    fun emit(event: Event) = listeners.forEach { it(event) }

    // --- profile ---------------------------------------------------------------

    override suspend fun profile(): Profile {
        call("profile")
        return Profile(me = ME, partner = partner, deviceId = "d-1", spaceId = "s-1")
    }

    override suspend fun setDisplayName(name: String) = call("setDisplayName", name)

    // --- journal ---------------------------------------------------------------

    override suspend fun writeEntry(entry: NewEntry): Entry {
        call("writeEntry", entry)
        if (entry.body.isBlank()) throw HearthException.InvalidInput("an entry needs some text: write something first")
        val written = Entry(
            id = "e${nextId++}",
            visibility = entry.visibility,
            author = ME,
            createdAtMs = nextId.toLong(),
            updatedAtMs = nextId.toLong(),
            editedBy = null,
            title = entry.title,
            body = entry.body,
            emotions = entry.emotions,
            link = entry.link,
            reactions = emptyList(),
            comments = emptyList(),
        )
        entries.add(0, written)
        emit(Event.EntryChanged(written.id))
        return written
    }

    override suspend fun editEntry(id: String, update: EntryUpdate): Entry {
        call("editEntry", id, update)
        return change(id) { it.copy(title = update.title, body = update.body, emotions = update.emotions) }
    }

    override suspend fun deleteEntry(id: String) {
        call("deleteEntry", id)
        entries.removeAll { it.id == id }
        emit(Event.EntryRemoved(id))
    }

    override suspend fun setEntryVisibility(id: String, visibility: Visibility): Entry {
        call("setEntryVisibility", id, visibility)
        val old = find(id)
        val moved = old.copy(id = "e${nextId++}", visibility = visibility)
        entries[entries.indexOf(old)] = moved
        return moved
    }

    override suspend fun entry(id: String): Entry {
        call("entry", id)
        return find(id)
    }

    override suspend fun listEntries(filter: EntryFilter, limit: UInt, cursor: String?): EntryPage {
        call("listEntries", filter, limit, cursor)
        val from = cursor?.toInt() ?: 0
        val matching = entries.filter { filter.visibility == null || it.visibility == filter.visibility }
        val page = matching.drop(from).take(limit.toInt())
        val end = from + page.size
        return EntryPage(page, if (end < matching.size) end.toString() else null)
    }

    override suspend fun searchEntries(text: String, filter: EntryFilter, limit: UInt): List<SearchHit> {
        call("searchEntries", text, limit)
        return entries.filter { it.body.contains(text, ignoreCase = true) }.take(limit.toInt()).map { SearchHit(it, "[$text]") }
    }

    override suspend fun react(entryId: String, reaction: Reaction?): Entry {
        call("react", entryId, reaction)
        return change(entryId) { entry ->
            val others = entry.reactions.filterNot { it.by.isMe }
            entry.copy(reactions = others + listOfNotNull(reaction?.let { EntryReaction(ME, it) }))
        }
    }

    override suspend fun addComment(entryId: String, body: String): Entry {
        call("addComment", entryId, body)
        return change(entryId) { it.copy(comments = it.comments + app.hearth.core.Comment("c${nextId++}", ME, 0, body)) }
    }

    override suspend fun deleteComment(entryId: String, commentId: String): Entry {
        call("deleteComment", entryId, commentId)
        return change(entryId) { entry -> entry.copy(comments = entry.comments.filterNot { it.id == commentId }) }
    }

    private fun find(id: String) = entries.firstOrNull { it.id == id } ?: throw HearthException.NotFound("there is no entry with id $id")

    private fun change(id: String, edit: (Entry) -> Entry): Entry {
        val old = find(id)
        val new = edit(old)
        entries[entries.indexOf(old)] = new
        emit(Event.EntryChanged(id))
        return new
    }

    override suspend fun exportJson(): String {
        call("exportJson")
        return "{\"entries\":${entries.size}}"
    }

    override suspend fun exportMarkdown(): String {
        call("exportMarkdown")
        return "# Our journal\n"
    }

    override fun subscribe(onEvent: (Event) -> Unit): AutoCloseable {
        listeners.add(onEvent)
        return AutoCloseable { listeners.remove(onEvent) }
    }

    val listening: Boolean get() = listeners.isNotEmpty()

    // --- guidance --------------------------------------------------------------

    override suspend fun setSexualContentOptIn(optIn: Boolean) {
        call("setSexualContentOptIn", optIn)
        consent = consent.copy(mine = optIn)
    }

    override suspend fun sexualContentConsent(): SexualContentConsent = consent.also { call("sexualContentConsent") }

    override suspend fun today(day: String): Today = today.also { call("today", day) }

    override suspend fun dailyQuestion(day: String): DailyQuestion = today.question.also { call("dailyQuestion", day) }

    override suspend fun answerDailyQuestion(day: String, text: String): DailyQuestion {
        call("answerDailyQuestion", day, text)
        if (text.isBlank()) throw HearthException.InvalidInput("an answer needs some text")
        // The partner had answered: answering reveals their words, as the core does.
        val partner = when (today.question.answers.partner) {
            PartnerAnswer.Hidden -> PartnerAnswer.Shown("Our walk by the river.")
            else -> today.question.answers.partner
        }
        val question = today.question.copy(answers = today.question.answers.copy(mine = text, partner = partner))
        today = today.copy(question = question)
        return question
    }

    override suspend fun exercises(filter: ExerciseFilter): List<Exercise> {
        call("exercises", filter.dimension)
        return catalog.filter { filter.dimension == null || filter.dimension in it.dimensions }
    }

    override suspend fun exercise(id: String): Exercise {
        call("exercise", id)
        return catalog.firstOrNull { it.id == id } ?: throw HearthException.NotFound("there is no exercise $id")
    }

    override suspend fun logExercise(id: String, day: String, done: Boolean) = call("logExercise", id, day, done)

    override suspend fun startDrill(exerciseId: String): DrillSession {
        call("startDrill", exerciseId)
        val session = drillSession("d${nextId++}", exerciseId)
        drills[session.id] = session
        return session
    }

    override suspend fun drill(id: String): DrillSession {
        call("drill", id)
        return drills[id] ?: throw HearthException.NotFound("there is no drill $id")
    }

    override suspend fun drillMove(id: String, action: TurnMove): DrillSession {
        call("drillMove", id, action)
        val session = drill(id)
        if (action !in session.view.moves) throw HearthException.NotAllowed("it is not your turn")
        val moved = session.copy(view = session.view.copy(phase = app.hearth.core.DrillPhase.REFLECTING, moves = emptyList()))
        drills[id] = moved
        return moved
    }

    override suspend fun openDrills(): List<DrillSession> = drills.values.filterNot { it.finished }.also { call("openDrills") }

    override suspend fun assessmentForms(): AssessmentForms = forms().also { call("assessmentForms") }

    override suspend fun takeAssessment(answers: AssessmentAnswers): AssessmentResult {
        call("takeAssessment", answers)
        if (answers is AssessmentAnswers.Intimacy && answers.ratings.size < 2) {
            throw HearthException.InvalidInput("1 item(s) are not answered yet; answer all of them to see a result")
        }
        val result = AssessmentResult.Intimacy(IntimacyResult(emptyList()))
        mine = result
        return result
    }

    override suspend fun myAssessment(kind: AssessmentKind): AssessmentResult? =
        mine.takeIf { kind == AssessmentKind.INTIMACY }.also { call("myAssessment", kind) }

    override suspend fun partnerAssessment(kind: AssessmentKind): AssessmentResult? = null.also { call("partnerAssessment", kind) }

    override suspend fun shareAssessment(kind: AssessmentKind) = call("shareAssessment", kind)

    override suspend fun unshareAssessment(kind: AssessmentKind) = call("unshareAssessment", kind)

    override suspend fun compareAssessments(kind: AssessmentKind): Comparison? = null.also { call("compareAssessments", kind) }

    override suspend fun programs(): List<Program> = programList.also { call("programs") }

    override suspend fun joinProgram(id: String, day: String): Enrolment = enrolment(id).also { call("joinProgram", id, day) }

    override suspend fun leaveProgram(id: String, day: String) = call("leaveProgram", id, day)

    override suspend fun completeProgramDay(id: String, number: UInt, day: String): Enrolment {
        call("completeProgramDay", id, number, day)
        return enrolment(id, nextDay = number + 1u)
    }

    override suspend fun enrolments(day: String): List<Enrolment> = today.programs.also { call("enrolments", day) }

    override suspend fun checkInGuide(): CheckInGuide {
        call("checkInGuide")
        val sections = listOf(CheckInTopic.FEELINGS, CheckInTopic.WISH).map { CheckInSection(it, "$it", "Say it.", "Listen.") }
        return CheckInGuide("Check-in", "Once a month.", 30u, listOf("Do not interrupt."), sections, "Thank you.")
    }

    private var lastHeld: String? = null

    override suspend fun recordCheckIn(day: String): CheckInDue {
        call("recordCheckIn", day)
        lastHeld = day
        return nextCheckIn(day)
    }

    override suspend fun nextCheckIn(day: String): CheckInDue = CheckInDue(dueOn = "2025-04-14", isDue = lastHeld == null, lastHeld = lastHeld)

    override suspend fun addGoal(text: String): Goal {
        call("addGoal", text)
        val goal = Goal("g${nextId++}", ME, text, GoalStatus.IDEA, 0)
        goalList.add(goal)
        return goal
    }

    override suspend fun goals(): List<Goal> = goalList.toList().also { call("goals") }

    override suspend fun readyToPickGoals(): Boolean = (goalList.any { it.author.isMe } && goalList.any { !it.author.isMe }).also { call("readyToPickGoals") }

    override suspend fun setGoalStatus(id: String, status: GoalStatus): Goal {
        call("setGoalStatus", id, status)
        val index = goalList.indexOfFirst { it.id == id }
        goalList[index] = goalList[index].copy(status = status)
        return goalList[index]
    }

    override suspend fun addDateIdea(text: String): DateIdea {
        call("addDateIdea", text)
        val idea = DateIdea("i${nextId++}", ME, text, null)
        ideas.add(idea)
        return idea
    }

    override suspend fun dateIdeas(): List<DateIdea> = ideas.toList().also { call("dateIdeas") }

    override suspend fun drawDateIdea(): DateIdea? = ideas.firstOrNull { it.doneOn == null }.also { call("drawDateIdea") }

    override suspend fun markDateDone(id: String, day: String) {
        call("markDateDone", id, day)
        val index = ideas.indexOfFirst { it.id == id }
        ideas[index] = ideas[index].copy(doneOn = day)
    }

    override suspend fun appreciate(text: String): Appreciation = Appreciation("a${nextId++}", ME, text, 0).also { call("appreciate", text) }

    override suspend fun appreciations(): List<Appreciation> = emptyList<Appreciation>().also { call("appreciations") }

    override suspend fun safetyCheck(): SafetyCheck = app.hearth.state.safetyCheck().also { call("safetyCheck") }

    override suspend fun recordSafetyCheck(answers: List<SafetyAnswer>): SafetyOutcome {
        call("recordSafetyCheck", answers)
        val check = app.hearth.state.safetyCheck()
        val concern = answers.any { it.yes }
        val urgent = answers.any { a -> a.yes && check.items.any { it.id == a.itemId && it.urgent } }
        val outcome = SafetyOutcome(concern, urgent, if (concern) check.concern else check.noConcern, check.resources)
        safetyOutcomeHeld = outcome
        return outcome
    }

    override suspend fun safetyOutcome(): SafetyOutcome? = safetyOutcomeHeld.also { call("safetyOutcome") }

    override suspend fun clearSafetyCheck() {
        call("clearSafetyCheck")
        safetyOutcomeHeld = null
    }

    // --- sync ------------------------------------------------------------------

    override suspend fun setRelay(url: String) {
        call("setRelay", url)
        status = status.copy(relayUrl = url)
    }

    override suspend fun startPairing(): PairingInvite {
        call("startPairing")
        return PairingInvite(code = "4821-river-lantern-moss", expiresAtMs = 600_000)
    }

    override suspend fun finishPairing(): PairingResult {
        call("finishPairing")
        val result = partnerJoins.await()
        becomePaired(result)
        return result
    }

    override suspend fun joinPartner(code: String): PairingResult {
        call("joinPartner", code)
        if (!code.first().isDigit()) throw HearthException.InvalidInput("this code cannot be used: it should start with its number")
        val result = PairingResult(partnerName = PARTNER.name, safetyNumber = "1234 5678 9012")
        becomePaired(result)
        return result
    }

    private fun becomePaired(result: PairingResult) {
        partner = PARTNER.copy(name = result.partnerName)
        status = status.copy(paired = true)
        emit(Event.SyncStatusChanged)
    }

    override suspend fun syncNow(): SyncReport {
        call("syncNow")
        status = status.copy(lastSyncedAtMs = 1_000)
        return report
    }

    override suspend fun syncStatus(): SyncStatus = status.also { call("syncStatus") }

    override suspend fun dismissSyncNotice() {
        call("dismissSyncNotice")
        status = status.copy(notice = null)
    }

    override suspend fun leaveSpace() {
        call("leaveSpace")
        status = status.copy(closed = true)
    }

    override suspend fun startLiveSync(): AutoCloseable {
        call("startLiveSync")
        liveStarted++
        return AutoCloseable { liveStopped++ }
    }

    override fun close() {
        closed = true
    }

    /** A recommendation of [exerciseId], as the core's today would carry it. */
    fun recommend(exerciseId: String, reason: String) = Recommendation(
        app.hearth.core.RecommendationTarget.Exercise(exerciseId),
        score = 1.0,
        reason = reason,
    )
}

/** In-memory preferences. */
class FakePreferences(
    override var appLockEnabled: Boolean = false,
    override var partnerNewsNotifications: Boolean = true,
) : ShellPreferences {
    var cleared = 0

    override fun clear() {
        appLockEnabled = false
        partnerNewsNotifications = true
        cleared++
    }
}

/** Opens a [FakeCore]; remembers the name it was opened with and whether it was erased. */
class FakeOpener(var setUp: Boolean = false, var core: FakeCore = FakeCore()) : CoreOpener {
    val openedWith = mutableListOf<String?>()
    var erased = 0
    var failure: Exception? = null

    override fun isSetUp() = setUp

    override suspend fun open(displayName: String?): CoreGateway {
        openedWith.add(displayName)
        failure?.let { throw it }
        setUp = true
        return core
    }

    override suspend fun erase() {
        check(core.closed) { "erase must run with the core closed" }
        erased++
        setUp = false
        core = FakeCore()
    }
}
