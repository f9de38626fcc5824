import Contract

/// The tables a report publishes, each keyed by something a response names.
public enum ReportTable: String, CaseIterable, Hashable, Sendable, Comparable {
    /// Impressions per item id.
    case items
    /// Impressions per advertiser.
    case advertisers
    /// Pages per IAB category id.
    case categories
    /// Pages per keyword (its analysed term).
    case keywords
    /// Slots served and filled per slot id.
    case slots

    public static func < (lhs: Self, rhs: Self) -> Bool { allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)! }
}

/// What one response adds to each table, bounded: at most `keysPerResponse` distinct keys per
/// table, each counted once, taken in the response's own order (items in slot order, keywords by
/// rank, categories by score), so the choice depends on that response alone.
public struct BoundedContribution: Hashable, Sendable {
    public var keys: [ReportTable: [String]] = [:]
    /// The slots among `keys[.slots]` that got at least one item.
    public var filledSlots: Set<String> = []

    public init(_ slots: [ResponseLine.Slot], page: ResponseLine.Page, keysPerResponse k: Int) {
        func firstDistinct(_ values: [String]) -> [String] {
            var seen: Set<String> = []
            var kept: [String] = []
            for value in values where kept.count < k && seen.insert(value).inserted { kept.append(value) }
            return kept
        }
        let items = slots.flatMap(\.items)
        keys[.items] = firstDistinct(items.map(\.id))
        keys[.advertisers] = firstDistinct(items.compactMap(\.advertiser))
        keys[.categories] = firstDistinct(page.categories.map(\.id))
        keys[.keywords] = firstDistinct(page.keywords)
        keys[.slots] = firstDistinct(slots.map(\.id))
        let kept = Set(keys[.slots]!)
        // A slot id repeated in one response counts as filled when any of its copies was.
        filledSlots = Set(slots.filter { kept.contains($0.id) && !$0.items.isEmpty }.map(\.id))
    }
}

/// The true counts of a response log, before any noise: never published as they are.
public struct ResponseCounts: Sendable {
    public var keysPerResponse: Int
    public private(set) var responses = 0
    public private(set) var errorRecords = 0
    public private(set) var counts: [ReportTable: [String: Int]] = [:]
    /// Per slot id, the responses in which it got at least one item.
    public private(set) var filled: [String: Int] = [:]
    /// Category names as the responses gave them.
    public private(set) var categoryNames: [String: String] = [:]

    public init(keysPerResponse: Int) {
        precondition(keysPerResponse >= 1)
        self.keysPerResponse = keysPerResponse
        for table in ReportTable.allCases { counts[table] = [:] }
    }

    public mutating func add(_ line: ResponseLine) {
        switch line {
        case .error:
            errorRecords += 1
        case .response(_, let slots, let page):
            responses += 1
            let contribution = BoundedContribution(slots, page: page, keysPerResponse: keysPerResponse)
            for (table, keys) in contribution.keys {
                for key in keys { counts[table]![key, default: 0] += 1 }
            }
            for slot in contribution.filledSlots { filled[slot, default: 0] += 1 }
            for category in page.categories where categoryNames[category.id] == nil { categoryNames[category.id] = category.name }
        }
    }

    /// Reads a log: one response or error record per line, blank lines skipped.
    /// - Throws: ``ResponseLine/DecodingError`` for the first line that is neither, naming it.
    public mutating func add(log text: String) throws(ResponseLine.DecodingError) {
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            guard line.contains(where: { !$0.isWhitespace }) else { continue }
            add(try ResponseLine(line, line: number))
        }
    }
}
