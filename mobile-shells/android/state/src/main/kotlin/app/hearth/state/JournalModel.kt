package app.hearth.state

import app.hearth.core.Emotion
import app.hearth.core.Entry
import app.hearth.core.EntryFilter
import app.hearth.core.EntryLink
import app.hearth.core.EntryUpdate
import app.hearth.core.Event
import app.hearth.core.NewEntry
import app.hearth.core.Reaction
import app.hearth.core.SearchHit
import app.hearth.core.Visibility
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** A filter that lets every entry through. */
val EVERY_ENTRY = EntryFilter(author = null, sinceMs = null, untilMs = null, emotion = null, visibility = null)

/** An entry as the person is writing it. */
data class EntryDraft(
    val title: String = "",
    val body: String = "",
    val emotions: Set<Emotion> = emptySet(),
    /** Kept on this phone only, never synced. Only a new entry's draft uses it. */
    val private: Boolean = false,
)

/** The open editor: a new entry (with what it is about, if anything) or an edit of [editing]. */
data class Composer(
    val draft: EntryDraft,
    /** The id of the entry being edited; null for a new entry. */
    val editing: String? = null,
    /** What a new entry is about (an exercise, a question, a program day). */
    val link: EntryLink? = null,
    /** A prompt to write to, e.g. the exercise's journal prompt. */
    val prompt: String? = null,
    val saving: Boolean = false,
)

/** A search and what it found. */
data class JournalSearch(val text: String, val hits: List<SearchHit> = emptyList(), val searching: Boolean = true)

/** The Journal screen. */
data class JournalState(
    val entries: List<Entry> = emptyList(),
    /** The cursor of the next page; null on the last one. */
    val next: String? = null,
    val loading: Boolean = true,
    val filter: EntryFilter = EVERY_ENTRY,
    val search: JournalSearch? = null,
    /** The entry shown in full, with its reactions and comments. */
    val open: Entry? = null,
    val composer: Composer? = null,
    val problem: Problem? = null,
)

/**
 * The couple's journal: pages of entries, filters, search, writing and
 * editing with emotions, reactions, comments and the private toggle. Limits
 * and rules (who may edit or delete, what a valid entry is) are the core's;
 * a refusal arrives as a [Problem].
 */
class JournalModel(
    private val core: CoreGateway,
    scope: CoroutineScope,
) : ScreenModel<JournalState>(JournalState(), scope) {
    override fun JournalState.withProblem(problem: Problem?) = copy(problem = problem, loading = false)

    override suspend fun load() {
        // Reload as many entries as are shown, so a refresh does not scroll back.
        val shown = current.entries.size.toUInt().coerceIn(PAGE, MAX_PAGE)
        val page = core.listEntries(current.filter, shown, null)
        set { it.copy(entries = page.entries, next = page.next, loading = false) }
        current.search?.let { runSearch(it.text) }
    }

    /** Appends the next page. */
    fun loadMore(): Job = action {
        val cursor = current.next ?: return@action
        val page = core.listEntries(current.filter, PAGE, cursor)
        set { state ->
            val known = state.entries.mapTo(HashSet()) { it.id }
            state.copy(entries = state.entries + page.entries.filter { it.id !in known }, next = page.next)
        }
    }

    /** Shows only the entries [filter] lets through, from the newest. */
    fun setFilter(filter: EntryFilter): Job {
        set { it.copy(filter = filter, entries = emptyList(), next = null, loading = true) }
        return refresh()
    }

    /** Searches titles and texts within the current filter. */
    fun search(text: String): Job = action {
        set { it.copy(search = JournalSearch(text)) }
        runSearch(text)
    }

    private suspend fun runSearch(text: String) {
        val hits = core.searchEntries(text, current.filter, SEARCH_LIMIT)
        set { it.copy(search = JournalSearch(text, hits, searching = false)) }
    }

    fun clearSearch() = set { it.copy(search = null) }

    /** Shows one entry in full. */
    fun open(id: String): Job = action {
        val entry = core.entry(id)
        set { it.copy(open = entry) }
    }

    fun close() = set { it.copy(open = null) }

    /** Opens the editor for a new entry, about [link] if given, with [prompt] as a cue. */
    fun compose(link: EntryLink? = null, prompt: String? = null) =
        set { it.copy(composer = Composer(EntryDraft(), link = link, prompt = prompt)) }

    /** Opens the editor on an entry. */
    fun edit(entry: Entry) = set {
        val draft = EntryDraft(entry.title.orEmpty(), entry.body, entry.emotions.toSet(), entry.visibility == Visibility.PRIVATE)
        it.copy(composer = Composer(draft, editing = entry.id))
    }

    fun updateDraft(draft: EntryDraft) = set { state -> state.copy(composer = state.composer?.copy(draft = draft)) }

    fun cancelCompose() = set { it.copy(composer = null) }

    /** Saves the editor's entry and closes it; on a refusal it stays open with the reason. */
    fun save(): Job = action {
        val composer = current.composer ?: return@action
        set { it.copy(composer = composer.copy(saving = true)) }
        val draft = composer.draft
        val title = draft.title.trim().ifEmpty { null }
        // Vocabulary order, as the core keeps them.
        val emotions = Emotion.entries.filter { it in draft.emotions }
        try {
            val saved = if (composer.editing == null) {
                val visibility = if (draft.private) Visibility.PRIVATE else Visibility.SHARED
                core.writeEntry(NewEntry(title, draft.body, emotions, composer.link, visibility))
            } else {
                core.editEntry(composer.editing, EntryUpdate(title, draft.body, emotions))
            }
            set { state ->
                state.copy(composer = null, open = if (state.open?.id == saved.id) saved else state.open)
            }
            load()
        } finally {
            set { state -> state.copy(composer = state.composer?.copy(saving = false)) }
        }
    }

    /** Deletes an entry here, at the relay and on the partner's phone. */
    fun delete(id: String): Job = action {
        core.deleteEntry(id)
        forget(id)
    }

    /** Sets (or with null clears) this partner's reaction. */
    fun react(entryId: String, reaction: Reaction?): Job = action { replace(core.react(entryId, reaction)) }

    fun comment(entryId: String, body: String): Job = action { replace(core.addComment(entryId, body)) }

    fun deleteComment(entryId: String, commentId: String): Job = action {
        replace(core.deleteComment(entryId, commentId))
    }

    /**
     * Makes an entry private (kept on this phone only) or shares it. The
     * core gives it a new id; the open entry follows it.
     */
    fun setPrivate(id: String, private: Boolean): Job = action {
        val moved = core.setEntryVisibility(id, if (private) Visibility.PRIVATE else Visibility.SHARED)
        set { it.copy(open = if (it.open?.id == id) moved else it.open) }
        load()
    }

    /** Follows a change made here or on the partner's phone. */
    fun onEvent(event: Event) {
        when (event) {
            is Event.EntryChanged -> if (current.open?.id == event.id || current.entries.any { it.id == event.id }) {
                action { replace(core.entry(event.id)) }
            } else {
                refresh()
            }
            is Event.EntryRemoved -> forget(event.id)
            else -> Unit
        }
    }

    private fun replace(entry: Entry) = set { state ->
        state.copy(
            entries = state.entries.map { if (it.id == entry.id) entry else it },
            open = if (state.open?.id == entry.id) entry else state.open,
        )
    }

    private fun forget(id: String) = set { state ->
        state.copy(
            entries = state.entries.filterNot { it.id == id },
            open = state.open?.takeUnless { it.id == id },
            search = state.search?.let { search -> search.copy(hits = search.hits.filterNot { it.entry.id == id }) },
        )
    }

    companion object {
        /** Entries per page. */
        val PAGE: UInt = 30u

        /** The most the core returns in one page. */
        val MAX_PAGE: UInt = 200u

        /** Search results shown. */
        val SEARCH_LIMIT: UInt = 50u
    }
}
