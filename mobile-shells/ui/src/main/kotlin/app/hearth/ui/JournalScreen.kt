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
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.hearth.core.AuthorFilter
import app.hearth.core.Emotion
import app.hearth.core.Entry
import app.hearth.core.Reaction
import app.hearth.core.Visibility
import app.hearth.state.Composer
import app.hearth.state.EVERY_ENTRY
import app.hearth.state.JournalModel

/**
 * The journal: the list (with filters and search), one entry in full, or
 * the editor. With [twoPanes] (a wide window) the list stays on the left and
 * the entry or the editor opens beside it.
 */
@Composable
fun JournalScreen(model: JournalModel, modifier: Modifier, twoPanes: Boolean = false) {
    val state by model.state.collectAsStateWithLifecycle()
    val composer = state.composer
    val open = state.open
    val detail: (@Composable () -> Unit)? = when {
        composer != null -> {
            { ComposerView(composer, model) }
        }
        open != null -> {
            { EntryView(open, model) }
        }
        else -> null
    }
    if (composer != null) BackHandler { model.cancelCompose() } else if (open != null) BackHandler { model.close() }
    Box(modifier) {
        if (twoPanes) {
            Row(Modifier.fillMaxSize()) {
                Box(Modifier.weight(1f).fillMaxHeight()) { EntryList(model) }
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
            if (detail != null) detail() else EntryList(model)
        }
        Column(Modifier.align(Alignment.TopCenter).padding(horizontal = 16.dp)) {
            ProblemCard(state.problem, model::dismissProblem)
        }
    }
}

@Composable
private fun EntryList(model: JournalModel) {
    val state by model.state.collectAsStateWithLifecycle()
    var query by rememberSaveable { mutableStateOf("") }
    Box(Modifier.fillMaxSize()) {
        LazyColumn(Modifier.fillMaxSize().padding(horizontal = 16.dp)) {
            item {
                OutlinedTextField(
                    value = query,
                    onValueChange = {
                        query = it
                        if (it.isBlank()) model.clearSearch()
                    },
                    label = { Text(Strings.journalSearch) },
                    singleLine = true,
                    trailingIcon = {
                        IconButton(onClick = { model.search(query) }, enabled = query.isNotBlank()) {
                            Icon(Icons.Filled.Search, contentDescription = Strings.journalSearch)
                        }
                    },
                    modifier = Modifier.fillMaxWidth().padding(top = 8.dp),
                )
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    val filter = state.filter
                    FilterChip(filter == EVERY_ENTRY, { model.setFilter(EVERY_ENTRY) }, { Text(Strings.journalAll) })
                    FilterChip(
                        filter.author == AuthorFilter.ME,
                        { model.setFilter(EVERY_ENTRY.copy(author = AuthorFilter.ME)) },
                        { Text(Strings.journalMine) },
                    )
                    FilterChip(
                        filter.author == AuthorFilter.PARTNER,
                        { model.setFilter(EVERY_ENTRY.copy(author = AuthorFilter.PARTNER)) },
                        { Text(Strings.journalPartners) },
                    )
                    FilterChip(
                        filter.visibility == Visibility.PRIVATE,
                        { model.setFilter(EVERY_ENTRY.copy(visibility = Visibility.PRIVATE)) },
                        { Text(Strings.journalPrivate) },
                    )
                }
            }
            val search = state.search
            if (search != null) {
                item { Text(Strings.journalResults(search.hits.size), style = MaterialTheme.typography.labelLarge) }
                items(search.hits, key = { "hit-" + it.entry.id }) { hit ->
                    EntryRow(hit.entry, hit.excerpt) { model.open(hit.entry.id) }
                }
            } else {
                if (!state.loading && state.entries.isEmpty()) {
                    item { Text(Strings.journalEmpty, modifier = Modifier.padding(vertical = 24.dp)) }
                }
                items(state.entries, key = { it.id }) { entry -> EntryRow(entry, null) { model.open(entry.id) } }
                if (state.next != null) {
                    item { TextButton(onClick = { model.loadMore() }) { Text(Strings.journalMore) } }
                }
            }
        }
        FloatingActionButton(
            onClick = { model.compose() },
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
private fun EntryView(entry: Entry, model: JournalModel) {
    var comment by rememberSaveable(entry.id) { mutableStateOf("") }
    val mine = entry.author.isMe
    val shared = entry.visibility == Visibility.SHARED
    Column(Modifier.fillMaxSize().padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        TextButton(onClick = model::close) { Text(Strings.back) }
        entry.title?.let { Text(it, style = MaterialTheme.typography.headlineSmall) }
        Text(Strings.journalByline(entry.author.name, formatTime(entry.createdAtMs)), style = MaterialTheme.typography.bodySmall)
        entry.editedBy?.let { Text(Strings.journalEditedBy(it.name), style = MaterialTheme.typography.bodySmall) }
        Text(entry.body, style = MaterialTheme.typography.bodyLarge)
        if (entry.emotions.isNotEmpty()) {
            Text(entry.emotions.map { label(it) }.joinToString(" · "), style = MaterialTheme.typography.labelMedium)
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedButton(onClick = { model.edit(entry) }) { Text(Strings.edit) }
            if (mine) OutlinedButton(onClick = { model.delete(entry.id) }) { Text(Strings.delete) }
        }
        if (mine) {
            Row(verticalAlignment = Alignment.CenterVertically) {
                Text(Strings.journalKeepPrivate, modifier = Modifier.weight(1f))
                Switch(checked = !shared, onCheckedChange = { model.setPrivate(entry.id, it) })
            }
        }
        // Private entries stay on this phone: nobody else can react or comment.
        if (shared) {
            HorizontalDivider()
            val myReaction = entry.reactions.firstOrNull { it.by.isMe }?.reaction
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                for (reaction in Reaction.entries) {
                    FilterChip(
                        selected = reaction == myReaction,
                        onClick = { model.react(entry.id, if (reaction == myReaction) null else reaction) },
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
                    if (c.author.isMe) TextButton(onClick = { model.deleteComment(entry.id, c.id) }) { Text(Strings.delete) }
                }
            }
            OutlinedTextField(
                value = comment,
                onValueChange = { comment = it },
                label = { Text(Strings.journalAddComment) },
                modifier = Modifier.fillMaxWidth(),
            )
            Button(onClick = {
                model.comment(entry.id, comment)
                comment = ""
            }, enabled = comment.isNotBlank()) { Text(Strings.journalSend) }
        }
    }
}

@Composable
private fun ComposerView(composer: Composer, model: JournalModel) {
    val draft = composer.draft
    Column(Modifier.fillMaxSize().padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(
            if (composer.editing == null) Strings.journalNew else Strings.journalEditing,
            style = MaterialTheme.typography.headlineSmall,
        )
        composer.prompt?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
        OutlinedTextField(
            value = draft.title,
            onValueChange = { model.updateDraft(draft.copy(title = it)) },
            label = { Text(Strings.journalTitle) },
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
        OutlinedTextField(
            value = draft.body,
            onValueChange = { model.updateDraft(draft.copy(body = it)) },
            label = { Text(Strings.journalBody) },
            minLines = 6,
            modifier = Modifier.fillMaxWidth(),
        )
        Text(Strings.journalFeelings, style = MaterialTheme.typography.titleSmall)
        FlowRow(horizontalArrangement = Arrangement.spacedBy(6.dp)) {
            for (emotion in Emotion.entries) {
                val chosen = emotion in draft.emotions
                FilterChip(
                    selected = chosen,
                    onClick = { model.updateDraft(draft.copy(emotions = if (chosen) draft.emotions - emotion else draft.emotions + emotion)) },
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
                Switch(checked = draft.private, onCheckedChange = { model.updateDraft(draft.copy(private = it)) })
            }
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { model.save() }, enabled = !composer.saving && draft.body.isNotBlank()) { Text(Strings.save) }
            OutlinedButton(onClick = model::cancelCompose) { Text(Strings.cancel) }
        }
    }
}
