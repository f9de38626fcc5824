public import SelectionCore
import TextAnalysis

/// A slot marked up in a page: `<div data-ctxsel-slot="sidebar" data-ctxsel-count="2"
/// data-ctxsel-kinds="ad,house"></div>`. Its content (between the start tag and the matching end
/// tag) is what rendering replaces; every other byte of the page stays as it is.
public struct SlotMarkup: Hashable, Sendable {
    public var id: String
    public var count: Int
    public var kinds: [ItemKind]
    /// UTF-8 byte range of the element's content in the page.
    public var contentRange: Range<Int>

    static let startTag = try! CompiledPattern(#"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*?\sdata-ctxsel-slot\s*=\s*"([^"]*)"[^>]*>"#)
    static let attribute = try! CompiledPattern(#"\sdata-ctxsel-(count|kinds)\s*=\s*"([^"]*)""#)

    /// The slots of `html`, in page order.
    /// - Throws: ``SlotMarkupError`` naming the line and the attribute of a slot with an empty id,
    ///   no end tag, a count that is not an integer from 1 to 50, or a kind that does not exist.
    public static func slots(in html: String) throws(SlotMarkupError) -> [SlotMarkup] {
        var copy = html
        return try copy.withUTF8 { bytes in Result { () throws(SlotMarkupError) in try scan(bytes) } }.get()
    }

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws(SlotMarkupError) -> [SlotMarkup] {
        do {
            let scratch = MatchScratch(for: startTag)
            let attributeScratch = MatchScratch(for: attribute)
            var slots: [SlotMarkup] = []
            var searchFrom = 0
            while let match = startTag.captures(in: bytes, from: searchFrom, scratch: scratch) {
                let tagRange = match[0]!, nameRange = match[1]!, idRange = match[2]!
                searchFrom = tagRange.upperBound
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameRange]), as: UTF8.self).lowercased()
                let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[idRange]), as: UTF8.self)
                func fail(_ field: String, _ message: String) -> SlotMarkupError {
                    SlotMarkupError(line: 1 + bytes[..<tagRange.lowerBound].count { $0 == 0x0A }, field: field, message: message)
                }
                guard !id.isEmpty else { throw fail("data-ctxsel-slot", "a slot needs a non-empty id") }
                guard let end = closingTag(name, in: bytes, from: tagRange.upperBound) else {
                    throw fail("data-ctxsel-slot", "slot \"\(id)\" has no </\(name)> end tag")
                }
                var count = 1
                var kinds: [ItemKind] = []
                let tag = UnsafeBufferPointer(rebasing: bytes[tagRange])
                var attributeFrom = 0
                while let found = attribute.captures(in: tag, from: attributeFrom, scratch: attributeScratch) {
                    attributeFrom = found[0]!.upperBound
                    let key = String(decoding: UnsafeBufferPointer(rebasing: tag[found[1]!]), as: UTF8.self)
                    let value = String(decoding: UnsafeBufferPointer(rebasing: tag[found[2]!]), as: UTF8.self)
                    if key == "count" {
                        guard let parsed = Int(Substring(value).trimmingCharacters()), (1...SlotLimits.maximumCount).contains(parsed) else {
                            throw fail("data-ctxsel-count", "must be an integer from 1 to \(SlotLimits.maximumCount), not \"\(value)\"")
                        }
                        count = parsed
                    }
                    if key == "kinds" {
                        kinds = []
                        for word in value.split(separator: ",") {
                            guard let kind = ItemKind(rawValue: word.trimmingCharacters()) else {
                                throw fail("data-ctxsel-kinds", "unknown kind \"\(word)\"; kinds are ad, content, house")
                            }
                            kinds.append(kind)
                        }
                    }
                }
                slots.append(SlotMarkup(id: id, count: count, kinds: kinds, contentRange: tagRange.upperBound..<end))
                searchFrom = end
            }
            return slots
        }
    }

    /// The start of the end tag matching an element named `name` opened before `start`, counting
    /// nested elements of the same name.
    static func closingTag(_ name: String, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let nameBytes = Array(name.utf8)
        var depth = 1
        var index = start
        func matchesName(at position: Int) -> Bool {
            guard position + nameBytes.count <= bytes.count else { return false }
            for (offset, byte) in nameBytes.enumerated() where bytes[position + offset] | 0x20 != byte { return false }
            let after = position + nameBytes.count
            return after == bytes.count || !(bytes[after].isASCIIAlphanumericOrDash)
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/"), matchesName(at: index + 2) {
                    depth -= 1
                    if depth == 0 { return index }
                } else if matchesName(at: index + 1) {
                    depth += 1
                }
            }
            index += 1
        }
        return nil
    }
}

enum SlotLimits { static let maximumCount = 50 }

/// Slot markup that cannot be rendered, with the page line and the attribute at fault.
public struct SlotMarkupError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var field: String
    public var message: String
    public var description: String { "line \(line), \(field): \(message)" }
}

extension UInt8 {
    var isASCIIAlphanumericOrDash: Bool {
        (self >= 0x30 && self <= 0x39) || (self | 0x20 >= 0x61 && self | 0x20 <= 0x7A) || self == 0x2D
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var slice = self
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
