import WireFormat

public import Selection

/// A response line read back (what `evaluate --selections` and `report` read): each slot's
/// requested count and its items, what the page was found to be about, or the error record it is.
public enum ResponseLine: Hashable, Sendable {
    case response(id: String?, slots: [Slot], page: Page)
    case error(line: Int?, id: String?, code: String)

    public struct Slot: Hashable, Sendable {
        public var id: String
        public var count: Int
        public var items: [Item]
        public var itemIDs: [String] { items.map(\.id) }

        public init(id: String, count: Int, items: [Item]) {
            self.id = id
            self.count = count
            self.items = items
        }

        public init(id: String, count: Int, itemIDs: [String]) {
            self.init(id: id, count: count, items: itemIDs.map { Item(id: $0, advertiser: nil) })
        }
    }

    public struct Item: Hashable, Sendable {
        public var id: String
        public var advertiser: String?
        public init(id: String, advertiser: String?) {
            self.id = id
            self.advertiser = advertiser
        }
    }

    /// The page as the response describes it: its keywords' analysed terms in rank order, its
    /// categories' ids (with names) in score order, and whether it was found sensitive.
    public struct Page: Hashable, Sendable {
        public var keywords: [String]
        public var categories: [(id: String, name: String)]
        public var sensitive: Bool

        public init(keywords: [String] = [], categories: [(id: String, name: String)] = [], sensitive: Bool = false) {
            self.keywords = keywords
            self.categories = categories
            self.sensitive = sensitive
        }

        public static func == (lhs: Page, rhs: Page) -> Bool {
            lhs.keywords == rhs.keywords && lhs.sensitive == rhs.sensitive
                && lhs.categories.map(\.id) == rhs.categories.map(\.id) && lhs.categories.map(\.name) == rhs.categories.map(\.name)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(keywords)
            hasher.combine(categories.map(\.id))
            hasher.combine(sensitive)
        }
    }

    /// What is wrong with a line that is neither a response nor an error record.
    public struct DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var field: String?
        public var description: String { "line \(line)\(field.map { ", field \($0)" } ?? ""): \(message)" }
    }

    /// Reads one output line of `ctxsel select` (or the service's batch route).
    /// - Throws: ``DecodingError`` with the line and the field.
    public init(_ text: some StringProtocol, line: Int) throws(DecodingError) {
        func fail(_ message: String, _ field: String? = nil) -> DecodingError { DecodingError(line: line, message: message, field: field) }
        let json: JSONValue
        do { json = try JSONParser.parse(String(text)) } catch { throw fail("not JSON: \(error)") }
        guard case .object = json else { throw fail("not a JSON object") }
        let id: String? = if case .string(let value)? = json["id"] { value } else { nil }
        if case .object? = json["error"] {
            let code: String = if case .string(let value)? = json["error"]?["code"] { value } else { "" }
            let number: Int? = if case .number(let value)? = json["line"] { Int(value) } else { nil }
            self = .error(line: number, id: id, code: code)
            return
        }
        guard case .array(let slots)? = json["slots"] else { throw fail("a response needs \"slots\" (ctxsel select output)", "slots") }
        var read: [Slot] = []
        for (index, slot) in slots.enumerated() {
            guard case .string(let slotID)? = slot["id"] else { throw fail("a slot needs a string id", "slots[\(index)].id") }
            guard case .number(let count)? = slot["count"], count >= 0, count == count.rounded() else {
                throw fail("a slot needs its requested count", "slots[\(index)].count")
            }
            guard case .array(let items)? = slot["items"] else { throw fail("a slot needs items", "slots[\(index)].items") }
            var readItems: [Item] = []
            for (position, item) in items.enumerated() {
                guard case .string(let itemID)? = item["id"] else {
                    throw fail("an item needs a string id", "slots[\(index)].items[\(position)].id")
                }
                let advertiser: String? = if case .string(let value)? = item["advertiser"] { value } else { nil }
                readItems.append(Item(id: itemID, advertiser: advertiser))
            }
            read.append(Slot(id: slotID, count: Int(count), items: readItems))
        }
        var page = Page()
        if case .array(let keywords)? = json["keywords"] {
            for (position, keyword) in keywords.enumerated() {
                guard case .string(let term)? = keyword["term"] else { throw fail("a keyword needs its term", "keywords[\(position)].term") }
                page.keywords.append(term)
            }
        }
        if case .array(let categories)? = json["categories"] {
            for (position, category) in categories.enumerated() {
                guard case .string(let categoryID)? = category["id"] else {
                    throw fail("a category needs its id", "categories[\(position)].id")
                }
                let name: String = if case .string(let value)? = category["name"] { value } else { "" }
                page.categories.append((categoryID, name))
            }
        }
        if case .bool(let sensitive)? = json["sensitive"] { page.sensitive = sensitive }
        self = .response(id: id, slots: read, page: page)
    }
}
