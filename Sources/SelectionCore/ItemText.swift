/// Text an item carries that the engine seldom reads (its body, shown only when an item is
/// rendered): a String, or a run of UTF-8 left where it lies in a loaded index snapshot and
/// decoded when read. A million items' bodies are hundreds of megabytes that loading need not
/// copy.
///
/// Compared and hashed by its text, whichever way it is held.
public struct ItemText: Hashable, Sendable, Codable, CustomStringConvertible {
    private enum Storage: Sendable {
        case string(String)
        case stored(any TextStore, offset: Int, count: Int)
    }
    private let storage: Storage

    public init(_ string: String) { storage = .string(string) }

    /// `count` UTF-8 bytes at `offset` in `store`, decoded on every read.
    public init(in store: any TextStore, offset: Int, count: Int) {
        storage = .stored(store, offset: offset, count: count)
    }

    public var string: String {
        switch storage {
        case .string(let string): string
        case .stored(let store, let offset, let count): store.text(at: offset, count: count)
        }
    }

    /// Bytes of UTF-8 held, without decoding a stored text.
    public var utf8Count: Int {
        switch storage {
        case .string(let string): string.utf8.count
        case .stored(_, _, let count): count
        }
    }

    public var isEmpty: Bool { utf8Count == 0 }

    public var description: String { string }

    public static func == (lhs: ItemText, rhs: ItemText) -> Bool { lhs.string == rhs.string }
    public func hash(into hasher: inout Hasher) { hasher.combine(string) }

    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }
}

/// Bytes that hold items' text for as long as any item refers to them.
public protocol TextStore: AnyObject, Sendable {
    /// The `count` UTF-8 bytes at `offset`, as a String (invalid sequences repaired).
    func text(at offset: Int, count: Int) -> String
}
