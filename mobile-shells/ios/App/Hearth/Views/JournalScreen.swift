import HearthBindings
import SwiftUI

/// The journal: entries, search, one entry in full, and the editor. What a
/// person may do to an entry is the core's call (`OpenEntry.can*`).
struct JournalScreen: View {
    let journal: JournalView
    let dispatch: (Action) -> Void
    @State private var search = ""

    var body: some View {
        List {
            ProblemRow(problem: journal.problem, dispatch: dispatch)
            if let found = journal.search {
                Section("Found") {
                    ForEach(found.hits, id: \.entry.id) { hit in
                        Button(hit.excerpt) { dispatch(.openEntry(id: hit.entry.id)) }
                    }
                }
            }
            ForEach(journal.entries, id: \.id) { entry in
                Button { dispatch(.openEntry(id: entry.id)) } label: {
                    VStack(alignment: .leading) {
                        Text(verbatim: entry.title ?? entry.author.name).font(.headline)
                        Text(verbatim: entry.body).lineLimit(2)
                    }
                }
            }
            if journal.hasMore {
                Button("Show more") { dispatch(.loadMoreEntries) }
            }
        }
        .searchable(text: $search)
        .onSubmit(of: .search) { dispatch(.search(text: search)) }
        .navigationTitle("Journal")
        .toolbar {
            if journal.canWrite { Button("Write") { dispatch(.compose) } }
        }
        .sheet(isPresented: .constant(journal.open != nil && journal.composer == nil)) {
            if let open = journal.open { EntryDetail(open: open, dispatch: dispatch) }
        }
        .sheet(isPresented: .constant(journal.composer != nil)) {
            if let composer = journal.composer { Composer(composer: composer, dispatch: dispatch) }
        }
    }
}

private struct EntryDetail: View {
    let open: OpenEntry
    let dispatch: (Action) -> Void

    var body: some View {
        NavigationStack {
            List {
                if let about = open.about { Text("About: \(about)").font(.caption) }
                Text(verbatim: open.entry.body)
                ForEach(open.entry.comments, id: \.id) { comment in
                    Text(verbatim: "\(comment.author.name): \(comment.body)")
                }
                if open.canRespond {
                    SendField(placeholder: "Comment", button: "Send") {
                        dispatch(.comment(entryId: open.entry.id, body: $0))
                    }
                }
                if open.canEdit {
                    Button("Edit") { dispatch(.editEntry(id: open.entry.id)) }
                    Button("Delete", role: .destructive) { dispatch(.deleteEntry(id: open.entry.id)) }
                }
                if open.canChangeVisibility {
                    let isPrivate = open.entry.visibility == .private
                    Button(isPrivate ? "Share with your partner" : "Make private") {
                        dispatch(.setEntryPrivate(id: open.entry.id, private: !isPrivate))
                    }
                }
            }
            .toolbar { Button("Close") { dispatch(.closeEntry) } }
        }
    }
}

private struct Composer: View {
    let composer: ComposerView
    let dispatch: (Action) -> Void

    var body: some View {
        NavigationStack {
            Form {
                if let prompt = composer.prompt { Text(verbatim: prompt).font(.callout) }
                TextField("Title (optional)", text: binding(\.title))
                TextField("What happened, what you felt", text: binding(\.body), axis: .vertical)
                    .lineLimit(6...)
                Toggle("Only on this phone", isOn: Binding(
                    get: { composer.private },
                    set: { edit(private: $0) }
                ))
                .disabled(!composer.canChoosePrivate)
            }
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button("Cancel") { dispatch(.cancelCompose) } }
                ToolbarItem(placement: .confirmationAction) {
                    Button("Save") { dispatch(.saveEntry) }.disabled(composer.saving)
                }
            }
        }
    }

    private func binding(_ field: KeyPath<ComposerView, String>) -> Binding<String> {
        Binding(get: { composer[keyPath: field] }, set: { value in
            dispatch(.editDraft(
                title: field == \.title ? value : composer.title,
                body: field == \.body ? value : composer.body,
                emotions: composer.emotions,
                private: composer.private
            ))
        })
    }

    private func edit(private isPrivate: Bool) {
        dispatch(.editDraft(title: composer.title, body: composer.body, emotions: composer.emotions, private: isPrivate))
    }
}
