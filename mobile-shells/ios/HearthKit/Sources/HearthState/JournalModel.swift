import Foundation
import HearthBindings
import Observation

extension EntryFilter {
    /// A filter that lets every entry through.
    public static let everything = EntryFilter(author: nil, sinceMs: nil, untilMs: nil, emotion: nil, visibility: nil)
}

/// An entry as the person is writing it.
public struct EntryDraft: Equatable, Sendable {
    public var title = ""
    public var body = ""
    public var emotions: Set<Emotion> = []
    /// Kept on this phone only, never synced. Only a new entry's draft uses it.
    public var isPrivate = false

    public init(title: String = "", body: String = "", emotions: Set<Emotion> = [], isPrivate: Bool = false) {
        self.title = title
        self.body = body
        self.emotions = emotions
        self.isPrivate = isPrivate
    }
}

/// The open editor: a new entry (with what it is about, if anything) or an edit.
public struct Composer: Equatable, Sendable {
    public var draft: EntryDraft
    /// The id of the entry being edited; nil for a new entry.
    public var editing: String?
    /// What a new entry is about (an exercise, a question, a program day).
    public var link: EntryLink?
    /// A prompt to write to, e.g. the exercise's journal prompt.
    public var prompt: String?
    public var saving = false
}

/// A search and what it found.
public struct JournalSearch: Equatable, Sendable {
    public var text: String
    public var hits: [SearchHit] = []
    public var searching = true
}

/// The Journal screen.
public struct JournalState: Equatable, Sendable {
    public var entries: [Entry] = []
    /// The cursor of the next page; nil on the last one.
    public var next: String?
    public var loading = true
    public var filter = EntryFilter.everything
    public var search: JournalSearch?
    /// The entry shown in full, with its reactions and comments.
    public var open: Entry?
    public var composer: Composer?
    public var problem: Problem?
}

/// The couple's journal: pages of entries, filters, search, writing and
/// editing with emotions, reactions, comments and the private toggle. The
/// rules (who may edit or delete, what a valid entry is) are the core's; a
/// refusal arrives as a problem.
@MainActor
@Observable
public final class JournalModel: ShowsProblems {
    /// Entries per page.
    public static let page: UInt32 = 30
    /// The most the core returns in one page.
    public static let maxPage: UInt32 = 200
    /// Search results shown.
    public static let searchLimit: UInt32 = 50

    public private(set) var state = JournalState()
    private let core: CoreGateway
    private let reload = Reload()

    public init(core: CoreGateway) {
        self.core = core
    }

    func show(_ problem: Problem?) {
        state.problem = problem
        state.loading = false
    }

    public func dismissProblem() { show(nil) }

    public func refresh() async {
        await reload.run { await attempt { try await load() } }
    }

    private func load() async throws {
        // Reload as many entries as are shown, so a refresh does not scroll back.
        let shown = min(max(UInt32(state.entries.count), Self.page), Self.maxPage)
        let page = try await core.listEntries(filter: state.filter, limit: shown, cursor: nil)
        state.entries = page.entries
        state.next = page.next
        state.loading = false
        if let search = state.search {
            try await runSearch(search.text)
        }
    }

    /// Appends the next page.
    public func loadMore() async {
        guard let cursor = state.next else { return }
        await act {
            let page = try await core.listEntries(filter: state.filter, limit: Self.page, cursor: cursor)
            let known = Set(state.entries.map(\.id))
            state.entries += page.entries.filter { !known.contains($0.id) }
            state.next = page.next
        }
    }

    /// Shows only the entries `filter` lets through, from the newest.
    public func setFilter(_ filter: EntryFilter) async {
        state.filter = filter
        state.entries = []
        state.next = nil
        state.loading = true
        await refresh()
    }

    /// Searches titles and texts within the current filter.
    public func search(_ text: String) async {
        state.search = JournalSearch(text: text)
        await act { try await runSearch(text) }
    }

    private func runSearch(_ text: String) async throws {
        let hits = try await core.searchEntries(text: text, filter: state.filter, limit: Self.searchLimit)
        state.search = JournalSearch(text: text, hits: hits, searching: false)
    }

    public func clearSearch() { state.search = nil }

    /// Shows one entry in full.
    public func open(id: String) async {
        await act { state.open = try await core.entry(id: id) }
    }

    public func close() { state.open = nil }

    /// Opens the editor for a new entry, about `link` if given, with `prompt` as a cue.
    public func compose(link: EntryLink? = nil, prompt: String? = nil) {
        state.composer = Composer(draft: EntryDraft(), link: link, prompt: prompt)
    }

    /// Opens the editor on an entry.
    public func edit(_ entry: Entry) {
        let draft = EntryDraft(
            title: entry.title ?? "",
            body: entry.body,
            emotions: Set(entry.emotions),
            isPrivate: entry.visibility == .private
        )
        state.composer = Composer(draft: draft, editing: entry.id)
    }

    public func updateDraft(_ draft: EntryDraft) { state.composer?.draft = draft }

    public func cancelCompose() { state.composer = nil }

    /// Saves the editor's entry and closes it; on a refusal it stays open with the reason.
    public func save() async {
        guard let composer = state.composer else { return }
        state.composer?.saving = true
        defer { state.composer?.saving = false }
        let draft = composer.draft
        let trimmed = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let title: String? = trimmed.isEmpty ? nil : trimmed
        // Vocabulary order, as the core keeps them.
        let emotions = Emotion.allCases.filter { draft.emotions.contains($0) }
        await act {
            let saved: Entry
            if let id = composer.editing {
                saved = try await core.editEntry(id: id, update: EntryUpdate(title: title, body: draft.body, emotions: emotions))
            } else {
                let visibility: Visibility = draft.isPrivate ? .private : .shared
                let entry = NewEntry(title: title, body: draft.body, emotions: emotions, link: composer.link, visibility: visibility)
                saved = try await core.writeEntry(entry: entry)
            }
            state.composer = nil
            if state.open?.id == saved.id { state.open = saved }
            try await load()
        }
    }

    /// Deletes an entry here, at the relay and on the partner's phone.
    public func delete(id: String) async {
        await act {
            try await core.deleteEntry(id: id)
            forget(id)
        }
    }

    /// Sets (or with nil clears) this partner's reaction.
    public func react(entryId: String, reaction: Reaction?) async {
        await act {
            let entry = try await core.react(entryId: entryId, reaction: reaction)
            replace(entry)
        }
    }

    public func comment(entryId: String, body: String) async {
        await act {
            let entry = try await core.addComment(entryId: entryId, body: body)
            replace(entry)
        }
    }

    public func deleteComment(entryId: String, commentId: String) async {
        await act {
            let entry = try await core.deleteComment(entryId: entryId, commentId: commentId)
            replace(entry)
        }
    }

    /// Makes an entry private (kept on this phone only) or shares it. The
    /// core gives it a new id; the open entry follows it.
    public func setPrivate(id: String, isPrivate: Bool) async {
        await act {
            let moved = try await core.setEntryVisibility(id: id, visibility: isPrivate ? .private : .shared)
            if state.open?.id == id { state.open = moved }
            try await load()
        }
    }

    /// Follows a change made here or on the partner's phone.
    public func onEvent(_ event: Event) async {
        switch event {
        case .entryChanged(let id):
            if state.open?.id == id || state.entries.contains(where: { $0.id == id }) {
                await attempt {
                    let entry = try await core.entry(id: id)
                    replace(entry)
                }
            } else {
                await refresh()
            }
        case .entryRemoved(let id):
            forget(id)
        default:
            break
        }
    }

    private func replace(_ entry: Entry) {
        state.entries = state.entries.map { $0.id == entry.id ? entry : $0 }
        if state.open?.id == entry.id { state.open = entry }
    }

    private func forget(_ id: String) {
        state.entries.removeAll { $0.id == id }
        if state.open?.id == id { state.open = nil }
        state.search?.hits.removeAll { $0.entry.id == id }
    }
}
