@file:OptIn(ExperimentalLayoutApi::class)

package app.hearth.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material.icons.filled.Search
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.FilterChip
import androidx.compose.material3.FloatingActionButton
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.VerticalDivider
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import androidx.compose.runtime.remember
import app.hearth.core.Action
import app.hearth.core.AuthorFilter
import app.hearth.core.ComposerView
import app.hearth.core.Emotion
import app.hearth.core.Entry
import app.hearth.core.EntryFilter
import app.hearth.core.JournalView
import app.hearth.core.OpenEntry
import app.hearth.core.Reaction
import app.hearth.core.Screens
import app.hearth.core.Visibility

/** Every entry: the journal's unfiltered list. */
private val EveryEntry = EntryFilter(author = null, sinceMs = null, untilMs = null, emotion = null, visibility = null)

/**
 * The journal: the list (with filters and search), one entry in full, or
 * the editor. With [twoPanes] (a wide window) the list stays on the left and
 * the entry or the editor opens beside it.
 */
@Composable
fun JournalScreen(screens: Screens, send: (Action) -> Unit, modifier: Modifier, twoPanes: Boolean = false) {
    val journal = screens.journal
    val composer = journal.composer
    val open = journal.open
    val detail: (@Composable () -> Unit)? = when {
        composer != null -> {
            { ComposerView(composer, send) }
        }
        open != null -> {
            { EntryView(open, send) }
        }
        else -> null
    }
    Box(modifier) {
        if (twoPanes) {
            Row(Modifier.fillMaxSize()) {
                Box(Modifier.weight(1f).fillMaxHeight()) { EntryList(journal, send) }
                VerticalDivider()
                Box(Modifier.weight(1.4f).fillMaxHeight()) {
                    if (detail != null) {
                        detail()
                    } else {
                        Text(
                            Strings.journalChoose,
                            style = MaterialTheme.typography.bodyLarge,
                            modifier = Modifier.align(Alignment.Center).padding(32.dp),
                        )
                    }
                }
            }
        } else {
            if (detail != null) detail() else EntryList(journal, send)
        }
        Column(Modifier.align(Alignment.TopCenter).padding(horizontal = 16.dp)) {
            ProblemCard(journal.problem) { send(Action.DismissProblem) }
        }
    }
}

@Composable
private fun EntryList(state: JournalView, send: (Action) -> Unit) {
    var query by rememberSaveable { mutableStateOf(state.search?.text.orEmpty()) }
    Box(Modifier.fillMaxSize()) {
        LazyColumn(Modifier.fillMaxSize().padding(horizontal = 16.dp)) {
            item {
                OutlinedTextField(
                    value = query,
                    onValueChange = {
                        query = it
                        if (it.isBlank()) send(Action.ClearSearch)
                    },
                    label = { Text(Strings.journalSearch) },
                    singleLine = true,
                    trailingIcon = {
                        IconButton(onClick = { send(Action.Search(query.trim())) }, enabled = query.isNotBlank()) {
                            Icon(Icons.Filled.Search, contentDescription = Strings.journalSearch)
                        }
                    },
                    modifier = Modifier.fillMaxWidth().padding(top = 8.dp),
                )
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    val filter = state.filter
                    FilterChip(filter == EveryEntry, { send(Action.FilterEntries(EveryEntry)) }, { Text(Strings.journalAll) })
                    FilterChip(
                        filter.author == AuthorFilter.ME,
                        { send(Action.FilterEntries(EveryEntry.copy(author = AuthorFilter.ME))) },
                        { Text(Strings.journalMine) },
                    )
                    FilterChip(
                        filter.author == AuthorFilter.PARTNER,
                        { send(Action.FilterEntries(EveryEntry.copy(author = AuthorFilter.PARTNER))) },
                        { Text(Strings.journalPartners) },
                    )
                    FilterChip(
                        filter.visibility == Visibility.PRIVATE,
                        { send(Action.FilterEntries(EveryEntry.copy(visibility = Visibility.PRIVATE))) },
                        { Text(Strings.journalPrivate) },
                    )
                }
            }
            val search = state.search
            if (search != null) {
                item { Text(Strings.journalResults(search.hits.size), style = MaterialTheme.typography.labelLarge) }
                items(search.hits, key = { "hit-" + it.entry.id }) { hit ->
                    EntryRow(hit.entry, hit.excerpt) { send(Action.OpenEntry(hit.entry.id)) }
                }
            } else {
                if (state.entries.isEmpty()) {
                    item { Text(Strings.journalEmpty, modifier = Modifier.padding(vertical = 24.dp)) }
                }
                items(state.entries, key = { it.id }) { entry -> EntryRow(entry, null) { send(Action.OpenEntry(entry.id)) } }
                if (state.hasMore) {
                    item { TextButton(onClick = { send(Action.LoadMoreEntries) }) { Text(Strings.journalMore) } }
                }
            }
        }
        if (state.canWrite) FloatingActionButton(
            onClick = { send(Action.Compose) },
            modifier = Modifier.align(Alignment.BottomEnd).padding(16.dp),
        ) { Icon(Icons.Filled.Add, contentDescription = Strings.journalWrite) }
    }
}

@Composable
private fun EntryRow(entry: Entry, excerpt: String?, onOpen: () -> Unit) {
    Card(Modifier.fillMaxWidth().padding(vertical = 4.dp).clickable(onClick = onOpen)) {
        Column(Modifier.padding(12.dp)) {
            Text(entry.title ?: entry.body.lineSequence().first(), style = MaterialTheme.typography.titleSmall, maxLines = 1, overflow = TextOverflow.Ellipsis)
            Text(
                Strings.journalByline(entry.author.name, formatTime(entry.createdAtMs)),
                style = MaterialTheme.typography.bodySmall,
            )
            if (entry.visibility == Visibility.PRIVATE) {
                Text(Strings.journalPrivateMarker, style = MaterialTheme.typography.labelSmall)
            }
            // The core marks matches between [ and ].
            if (excerpt != null) Text(excerpt, style = MaterialTheme.typography.bodySmall, maxLines = 3, overflow = TextOverflow.Ellipsis)
        }
    }
}

@Composable
private fun EntryView(open: OpenEntry, send: (Action) -> Unit) {
    val entry = open.entry
    var comment by rememberSaveable(entry.id) { mutableStateOf("") }
    Column(Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        TextButton(onClick = { send(Action.CloseEntry) }) { Text(Strings.back) }
        entry.title?.let { Text(it, style = MaterialTheme.typography.headlineSmall) }
        Text(Strings.journalByline(entry.author.name, formatTime(entry.createdAtMs)), style = MaterialTheme.typography.bodySmall)
        open.about?.let { Text(it, style = MaterialTheme.typography.labelMedium) }
        entry.editedBy?.let { Text(Strings.journalEditedBy(it.name), style = MaterialTheme.typography.bodySmall) }
        Text(entry.body, style = MaterialTheme.typography.bodyLarge)
        if (entry.emotions.isNotEmpty()) {
            Text(entry.emotions.joinToString(" · ") { label(it) }, style = MaterialTheme.typography.labelMedium)
        }
        if (open.canEdit) {
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = { send(Action.EditEntry(entry.id)) }) { Text(Strings.edit) }
                OutlinedButton(onClick = { send(Action.DeleteEntry(entry.id)) }) { Text(Strings.delete) }
            }
        }
        if (open.canChangeVisibility) {
            Row(verticalAlignment = Alignment.CenterVertically) {
                Text(Strings.journalKeepPrivate, modifier = Modifier.weight(1f))
                Switch(checked = entry.visibility == Visibility.PRIVATE, onCheckedChange = { send(Action.SetEntryPrivate(entry.id, it)) })
            }
        } else if (entry.visibility == Visibility.PRIVATE) {
            Text(Strings.journalPrivateMarker, style = MaterialTheme.typography.labelSmall)
        }
        // Private entries stay on this device: nobody else can react or comment.
        if (open.canRespond) {
            HorizontalDivider()
            val myReaction = entry.reactions.firstOrNull { it.by.isMe }?.reaction
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                for (reaction in Reaction.entries) {
                    FilterChip(
                        selected = reaction == myReaction,
                        onClick = { send(Action.React(entry.id, if (reaction == myReaction) null else reaction)) },
                        label = { Text(label(reaction)) },
                    )
                }
            }
            entry.reactions.filterNot { it.by.isMe }.forEach {
                Text(Strings.journalReacted(it.by.name, label(it.reaction)), style = MaterialTheme.typography.bodySmall)
            }
            Text(Strings.journalComments, style = MaterialTheme.typography.titleSmall)
            entry.comments.forEach { c ->
                Column {
                    Text(Strings.journalByline(c.author.name, formatTime(c.createdAtMs)), style = MaterialTheme.typography.labelSmall)
                    Text(c.body)
                    if (c.author.isMe) TextButton(onClick = { send(Action.DeleteComment(entry.id, c.id)) }) { Text(Strings.delete) }
                }
            }
            OutlinedTextField(
                value = comment,
                onValueChange = { comment = it },
                label = { Text(Strings.journalAddComment) },
                modifier = Modifier.fillMaxWidth(),
            )
            Button(onClick = {
                send(Action.Comment(entry.id, comment.trim()))
                comment = ""
            }, enabled = comment.isNotBlank()) { Text(Strings.journalSend) }
        }
    }
}

@Composable
private fun ComposerView(composer: ComposerView, send: (Action) -> Unit) {
    // Typed here, and each change goes to the core, which keeps the draft if the app is closed.
    var title by remember(composer.editing) { mutableStateOf(composer.title) }
    var body by remember(composer.editing) { mutableStateOf(composer.body) }
    fun draft(emotions: List<Emotion> = composer.emotions, private: Boolean = composer.private) =
        send(Action.EditDraft(title, body, emotions, private))
    Column(Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(
            if (composer.editing == null) Strings.journalNew else Strings.journalEditing,
            style = MaterialTheme.typography.headlineSmall,
        )
        composer.prompt?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
        OutlinedTextField(
            value = title,
            onValueChange = {
                title = it
                draft()
            },
            label = { Text(Strings.journalTitle) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        OutlinedTextField(
            value = body,
            onValueChange = {
                body = it
                draft()
            },
            label = { Text(Strings.journalBody) },
            minLines = 6,
            modifier = Modifier.fillMaxWidth(),
        )
        Text(Strings.journalFeelings, style = MaterialTheme.typography.titleSmall)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
            for (emotion in Emotion.entries) {
                val chosen = emotion in composer.emotions
                FilterChip(
                    selected = chosen,
                    onClick = { draft(emotions = if (chosen) composer.emotions - emotion else composer.emotions + emotion) },
                    label = { Text(label(emotion)) },
                )
            }
        }
        if (composer.editing == null) {
            Row(verticalAlignment = Alignment.CenterVertically) {
                Column(Modifier.weight(1f)) {
                    Text(Strings.journalKeepPrivate)
                    Text(Strings.journalPrivateHelp, style = MaterialTheme.typography.bodySmall)
                }
                Switch(checked = composer.private, enabled = composer.canChoosePrivate, onCheckedChange = { draft(private = it) })
            }
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { send(Action.SaveEntry) }, enabled = !composer.saving && body.isNotBlank()) { Text(Strings.save) }
            OutlinedButton(onClick = { send(Action.CancelCompose) }) { Text(Strings.cancel) }
        }
    }
}
