package app.hearth.state

import app.hearth.core.Emotion
import app.hearth.core.EntryLink
import app.hearth.core.Event
import app.hearth.core.LinkKind
import app.hearth.core.NewEntry
import app.hearth.core.Reaction
import app.hearth.core.Visibility
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class JournalModelTest {
    private suspend fun FakeCore.write(body: String, visibility: Visibility = Visibility.SHARED) =
        writeEntry(NewEntry(null, body, emptyList(), null, visibility))

    private fun TestScope.loaded(core: FakeCore): JournalModel {
        val model = JournalModel(core, backgroundScope)
        model.refresh()
        runCurrent()
        return model
    }

    @Test
    fun `pages load newest first and the next page appends without repeats`() = runTest {
        val core = FakeCore()
        repeat(45) { core.write("Entry number $it") }
        val model = loaded(core)
        assertEquals(30, model.state.value.entries.size)
        assertEquals("Entry number 44", model.state.value.entries.first().body)
        assertNotNull(model.state.value.next)

        model.loadMore()
        runCurrent()
        val bodies = model.state.value.entries.map { it.body }
        assertEquals(45, bodies.size)
        assertEquals(45, bodies.toSet().size)
        assertNull(model.state.value.next)

        // Nothing more to load: no call goes out.
        val before = core.calls.size
        model.loadMore()
        runCurrent()
        assertEquals(before, core.calls.size)
    }

    @Test
    fun `a new private entry goes to the core private, with emotions in the core's order`() = runTest {
        val core = FakeCore()
        val model = loaded(core)
        model.compose(link = EntryLink(LinkKind.EXERCISE, "e-listen"), prompt = "What did you notice?")
        model.updateDraft(EntryDraft(title = "  ", body = "We listened.", emotions = setOf(Emotion.TENDER, Emotion.CALM), private = true))
        model.save()
        runCurrent()

        val written = core.entries.single()
        assertEquals(Visibility.PRIVATE, written.visibility)
        assertNull(written.title, "a blank title is no title")
        assertEquals(listOf(Emotion.CALM, Emotion.TENDER), written.emotions)
        assertEquals(EntryLink(LinkKind.EXERCISE, "e-listen"), written.link)
        assertNull(model.state.value.composer, "the editor closes once saved")
        assertEquals(listOf(written.id), model.state.value.entries.map { it.id })
    }

    @Test
    fun `a refused entry keeps the editor open with the reason`() = runTest {
        val core = FakeCore()
        val model = loaded(core)
        model.compose()
        model.updateDraft(EntryDraft(body = "   "))
        model.save()
        runCurrent()
        val composer = model.state.value.composer
        assertNotNull(composer)
        assertFalse(composer!!.saving)
        assertEquals(ProblemKind.INVALID_INPUT, model.state.value.problem?.kind)
        assertTrue(core.entries.isEmpty())
    }

    @Test
    fun `editing sends the update and the open entry follows`() = runTest {
        val core = FakeCore()
        val entry = core.write("First draft")
        val model = loaded(core)
        model.open(entry.id)
        runCurrent()
        model.edit(model.state.value.open!!)
        model.updateDraft(model.state.value.composer!!.draft.copy(body = "Second draft", emotions = setOf(Emotion.HOPEFUL)))
        model.save()
        runCurrent()
        assertTrue(core.calls.any { it.startsWith("editEntry(${entry.id}") })
        assertEquals("Second draft", model.state.value.open?.body)
        assertEquals(listOf(Emotion.HOPEFUL), model.state.value.open?.emotions)
    }

    @Test
    fun `making an entry private follows it to its new id`() = runTest {
        val core = FakeCore()
        val entry = core.write("Something to keep to myself")
        val model = loaded(core)
        model.open(entry.id)
        runCurrent()
        model.setPrivate(entry.id, private = true)
        runCurrent()
        val open = model.state.value.open!!
        assertNotEquals(entry.id, open.id)
        assertEquals(Visibility.PRIVATE, open.visibility)
        assertEquals(listOf(open.id), model.state.value.entries.map { it.id })
    }

    @Test
    fun `reactions and comments replace the entry in the list`() = runTest {
        val core = FakeCore()
        val entry = core.write("Dinner at the new place")
        val model = loaded(core)
        model.react(entry.id, Reaction.HEART)
        model.comment(entry.id, "Let's go back soon.")
        runCurrent()
        val shown = model.state.value.entries.single()
        assertEquals(listOf(Reaction.HEART), shown.reactions.map { it.reaction })
        assertEquals(listOf("Let's go back soon."), shown.comments.map { it.body })

        model.deleteComment(entry.id, shown.comments.single().id)
        model.react(entry.id, null)
        runCurrent()
        assertTrue(model.state.value.entries.single().comments.isEmpty())
        assertTrue(model.state.value.entries.single().reactions.isEmpty())
    }

    @Test
    fun `an entry from the partner's phone appears, and one they deleted disappears`() = runTest {
        val core = FakeCore()
        val mine = core.write("Mine")
        val model = loaded(core)
        model.open(mine.id)
        runCurrent()

        // Sync pulled an entry: the core has it and says so.
        core.entries.add(0, mine.copy(id = "from-ben", body = "From Ben", author = PARTNER))
        model.onEvent(Event.EntryChanged("from-ben"))
        runCurrent()
        assertEquals(listOf("from-ben", mine.id), model.state.value.entries.map { it.id })

        core.entries.removeAll { it.id == mine.id }
        model.onEvent(Event.EntryRemoved(mine.id))
        assertEquals(listOf("from-ben"), model.state.value.entries.map { it.id })
        assertNull(model.state.value.open, "a deleted entry does not stay open")
    }

    @Test
    fun `search finds entries and a filter reloads from the start`() = runTest {
        val core = FakeCore()
        core.write("A walk by the river")
        core.write("Quiet evening", Visibility.PRIVATE)
        val model = loaded(core)
        model.search("river")
        runCurrent()
        assertEquals(listOf("A walk by the river"), model.state.value.search?.hits?.map { it.entry.body })
        model.clearSearch()
        assertNull(model.state.value.search)

        model.setFilter(EVERY_ENTRY.copy(visibility = Visibility.PRIVATE))
        runCurrent()
        assertEquals(listOf("Quiet evening"), model.state.value.entries.map { it.body })
    }

    @Test
    fun `deleting removes the entry at once`() = runTest {
        val core = FakeCore()
        val entry = core.write("Gone soon")
        val model = loaded(core)
        model.delete(entry.id)
        runCurrent()
        assertTrue(model.state.value.entries.isEmpty())
        assertTrue(core.calls.contains("deleteEntry(${entry.id})"))
    }
}
