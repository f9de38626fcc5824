import WireFormat

public import Selection

/// A response line read back (what `evaluate --selections` and reports read): each slot's
/// requested count and the ids of its items, or the error record it is.
public enum ResponseLine: Hashable, Sendable {
    case response(id: String?, slots: [Slot])
    case error(line: Int?, id: String?, code: String)

    public struct Slot: Hashable, Sendable {
        public var id: String
        public var count: Int
        public var itemIDs: [String]

        public init(id: String, count: Int, itemIDs: [String]) {
            self.id = id
            self.count = count
            self.itemIDs = itemIDs
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
            var ids: [String] = []
            for (position, item) in items.enumerated() {
                guard case .string(let itemID)? = item["id"] else {
                    throw fail("an item needs a string id", "slots[\(index)].items[\(position)].id")
                }
                ids.append(itemID)
            }
            read.append(Slot(id: slotID, count: Int(count), itemIDs: ids))
        }
        self = .response(id: id, slots: read)
    }
}
