import HearthBindings
import HearthState
import SwiftUI

/// The journal: the list (with filters and search), one entry in full, and the editor.
struct JournalView: View {
    let model: JournalModel
    @State private var query = ""

    var body: some View {
        NavigationStack {
            List {
                ProblemRow(problem: model.state.problem) { model.dismissProblem() }
                filterRow
                if let search = model.state.search {
                    Section("\(search.hits.count) found") {
                        ForEach(search.hits, id: \.entry.id) { hit in
                            Button { Task { await model.open(id: hit.entry.id) } } label: {
                                EntryRow(entry: hit.entry, excerpt: hit.excerpt)
                            }
                        }
                    }
                } else {
                    if !model.state.loading && model.state.entries.isEmpty {
                        Text("Nothing here yet. Tap + to write your first entry.").foregroundStyle(.secondary)
                    }
                    ForEach(model.state.entries, id: \.id) { entry in
                        Button { Task { await model.open(id: entry.id) } } label: {
                            EntryRow(entry: entry, excerpt: nil)
                        }
                    }
                    if model.state.next != nil {
                        Button("Show older entries") { Task { await model.loadMore() } }
                    }
                }
            }
            .navigationTitle("Journal")
            .searchable(text: $query, prompt: "Search your journal")
            .onSubmit(of: .search) { Task { await model.search(query) } }
            .onChange(of: query) { _, text in if text.isEmpty { model.clearSearch() } }
            .refreshable { await model.refresh() }
            .toolbar {
                ToolbarItem(placement: .primaryAction) {
                    Button { model.compose() } label: { Label("Write", systemImage: "square.and.pencil") }
                }
            }
            .navigationDestination(isPresented: Binding(get: { model.state.open != nil }, set: { if !$0 { model.close() } })) {
                if let entry = model.state.open {
                    EntryDetail(entry: entry, model: model)
                }
            }
            .sheet(isPresented: Binding(get: { model.state.composer != nil }, set: { if !$0 { model.cancelCompose() } })) {
                if let composer = model.state.composer {
                    ComposerView(composer: composer, model: model)
                }
            }
        }
    }

    private var filterRow: some View {
        let filter = model.state.filter
        return ScrollView(.horizontal, showsIndicators: false) {
            HStack {
                FilterButton(title: "All", on: filter == .everything) { await model.setFilter(.everything) }
                FilterButton(title: "Mine", on: filter.author == .me) {
                    await model.setFilter(EntryFilter(author: .me, sinceMs: nil, untilMs: nil, emotion: nil, visibility: nil))
                }
                FilterButton(title: "My partner's", on: filter.author == .partner) {
                    await model.setFilter(EntryFilter(author: .partner, sinceMs: nil, untilMs: nil, emotion: nil, visibility: nil))
                }
                FilterButton(title: "Only on this phone", on: filter.visibility == .private) {
                    await model.setFilter(EntryFilter(author: nil, sinceMs: nil, untilMs: nil, emotion: nil, visibility: .private))
                }
            }
        }
    }
}

private struct FilterButton: View {
    let title: LocalizedStringKey
    let on: Bool
    let action: () async -> Void

    var body: some View {
        if on {
            Button(title) { Task { await action() } }.buttonStyle(.borderedProminent)
        } else {
            Button(title) { Task { await action() } }.buttonStyle(.bordered)
        }
    }
}

private struct EntryRow: View {
    let entry: Entry
    let excerpt: String?

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(verbatim: entry.title ?? String(entry.body.prefix { $0 != "\n" })).font(.headline).lineLimit(1)
            Text(verbatim: "\(entry.author.name) · \(formatTime(entry.createdAtMs))").font(.caption).foregroundStyle(.secondary)
            if entry.visibility == .private {
                Label("Only on this phone", systemImage: "lock").font(.caption2)
            }
            // The core marks matches between [ and ].
            if let excerpt { Text(verbatim: excerpt).font(.footnote).lineLimit(3) }
        }
    }
}

private struct EntryDetail: View {
    let entry: Entry
    let model: JournalModel
    @State private var comment = ""

    private var shared: Bool { entry.visibility == .shared }
    private var mine: Bool { entry.author.isMe }
    private var myReaction: Reaction? { entry.reactions.first { $0.by.isMe }?.reaction }

    var body: some View {
        List {
            ProblemRow(problem: model.state.problem) { model.dismissProblem() }
            Section {
                if let title = entry.title { Text(verbatim: title).font(.title2) }
                Text(verbatim: "\(entry.author.name) · \(formatTime(entry.createdAtMs))").font(.caption)
                if let editor = entry.editedBy { Text("Edited by \(editor.name)").font(.caption) }
                Text(verbatim: entry.body)
                if !entry.emotions.isEmpty {
                    HStack { ForEach(entry.emotions, id: \.self) { Text($0.label).font(.caption) } }
                }
            }
            Section {
                Button("Edit") { model.edit(entry) }
                if mine {
                    Toggle("Keep on this phone only", isOn: Binding(
                        get: { !shared },
                        set: { isPrivate in Task { await model.setPrivate(id: entry.id, isPrivate: isPrivate) } }
                    ))
                    Button("Delete", role: .destructive) { Task { await model.delete(id: entry.id) } }
                }
            }
            // Private entries stay on this phone: nobody else can react or comment.
            if shared {
                Section("Reactions") {
                    ScrollView(.horizontal, showsIndicators: false) {
                        HStack {
                            ForEach(Reaction.allCases, id: \.self) { reaction in
                                let chosen = reaction == myReaction
                                Button(reaction.label) {
                                    Task { await model.react(entryId: entry.id, reaction: chosen ? nil : reaction) }
                                }
                                .buttonStyle(.bordered)
                                .tint(chosen ? .accentColor : .secondary)
                            }
                        }
                    }
                    ForEach(entry.reactions.filter { !$0.by.isMe }, id: \.by.id) { reaction in
                        HStack { Text(verbatim: reaction.by.name); Text(reaction.reaction.label) }.font(.caption)
                    }
                }
                Section("Comments") {
                    ForEach(entry.comments, id: \.id) { c in
                        VStack(alignment: .leading) {
                            Text(verbatim: "\(c.author.name) · \(formatTime(c.createdAtMs))").font(.caption2)
                            Text(verbatim: c.body)
                        }
                        .swipeActions {
                            if c.author.isMe {
                                Button("Delete", role: .destructive) {
                                    Task { await model.deleteComment(entryId: entry.id, commentId: c.id) }
                                }
                            }
                        }
                    }
                    TextField("Add a comment", text: $comment, axis: .vertical)
                    Button("Send") {
                        let body = comment
                        comment = ""
                        Task { await model.comment(entryId: entry.id, body: body) }
                    }
                    .disabled(comment.trimmingCharacters(in: .whitespaces).isEmpty)
                }
            }
        }
    }
}

private struct ComposerView: View {
    let composer: Composer
    let model: JournalModel

    private func binding<T>(_ keyPath: WritableKeyPath<EntryDraft, T>) -> Binding<T> {
        Binding(
            get: { (model.state.composer?.draft ?? composer.draft)[keyPath: keyPath] },
            set: { value in
                var draft = model.state.composer?.draft ?? composer.draft
                draft[keyPath: keyPath] = value
                model.updateDraft(draft)
            }
        )
    }

    var body: some View {
        NavigationStack {
            Form {
                ProblemRow(problem: model.state.problem) { model.dismissProblem() }
                if let prompt = composer.prompt {
                    Text(verbatim: prompt).foregroundStyle(.secondary)
                }
                TextField("Title (optional)", text: binding(\.title))
                TextField("What's on your mind?", text: binding(\.body), axis: .vertical).lineLimit(6...20)
                Section("How do you feel?") {
                    LazyVGrid(columns: [GridItem(.adaptive(minimum: 110))]) {
                        ForEach(Emotion.allCases, id: \.self) { emotion in
                            let chosen = composer.draft.emotions.contains(emotion)
                            Button(emotion.label) {
                                var emotions = composer.draft.emotions
                                if chosen { emotions.remove(emotion) } else { emotions.insert(emotion) }
                                var draft = composer.draft
                                draft.emotions = emotions
                                model.updateDraft(draft)
                            }
                            .buttonStyle(.bordered)
                            .tint(chosen ? .accentColor : .secondary)
                        }
                    }
                }
                if composer.editing == nil {
                    Section {
                        Toggle("Keep on this phone only", isOn: binding(\.isPrivate))
                    } footer: {
                        Text("Private entries never leave this phone. Your partner can't see them.")
                    }
                }
            }
            .navigationTitle(composer.editing == nil ? "New entry" : "Edit entry")
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button("Cancel") { model.cancelCompose() } }
                ToolbarItem(placement: .confirmationAction) {
                    Button("Save") { Task { await model.save() } }
                        .disabled(composer.saving || composer.draft.body.trimmingCharacters(in: .whitespaces).isEmpty)
                }
            }
        }
    }
}
