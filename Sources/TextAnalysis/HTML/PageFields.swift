/// The parts of a page that carry different weight as evidence of what it is about.
public enum Field: String, CaseIterable, Hashable, Sendable, Codable {
    case title
    case description
    case keywords
    case headings
    case body
    case imageAlt = "image_alt"
    case linkText = "link_text"

    /// The field's place in ``allCases``, for tables indexed by field.
    var ordinal: Int {
        switch self {
        case .title: 0
        case .description: 1
        case .keywords: 2
        case .headings: 3
        case .body: 4
        case .imageAlt: 5
        case .linkText: 6
        }
    }
}

/// A run of page text from one place in the raw page.
///
/// `text` is decoded (entities replaced); `rawOffset(of:)` maps a byte offset in `text` back to
/// the raw page, so tokens always point at the page's own bytes.
public struct TextSegment: Hashable, Sendable {
    public var text: String
    /// Byte offset of the segment's first byte in the raw page.
    public var rawStart: Int
    /// Where decoded entities shifted offsets (raw offsets absolute); empty when `text` is verbatim.
    public var offsetMap: [OffsetMapPoint]
    /// True when a block boundary (paragraph, list item, cell, line break) precedes this text,
    /// so phrases are not formed across it.
    public var startsBlock: Bool

    public init(text: String, rawStart: Int, offsetMap: [OffsetMapPoint] = [], startsBlock: Bool = true) {
        self.text = text
        self.rawStart = rawStart
        self.offsetMap = offsetMap
        self.startsBlock = startsBlock
    }

    /// The raw page offset of decoded byte `offset`. Offsets inside a decoded entity map to the
    /// entity's end, which keeps ranges non-decreasing.
    public func rawOffset(of offset: Int) -> Int {
        guard !offsetMap.isEmpty else { return rawStart + offset }
        var low = 0, high = offsetMap.count
        while low < high {
            let mid = (low + high) / 2
            if offsetMap[mid].decoded <= offset { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return rawStart + offset }
        let point = offsetMap[low - 1]
        return point.raw + (offset - point.decoded)
    }
}

/// A page split into weighted fields, with the language it declares.
public struct PageFields: Sendable {
    public private(set) var segments: [Field: [TextSegment]] = [:]
    /// The page's declared language (the primary subtag of `<html lang>`), if any.
    public var language: String?

    public init(language: String? = nil) { self.language = language }

    public mutating func append(_ segment: TextSegment, to field: Field) {
        segments[field, default: []].append(segment)
    }

    /// A field's text, segments joined by spaces (for display and tests).
    public func text(of field: Field) -> String {
        (segments[field] ?? []).map(\.text).joined(separator: " ")
    }

    /// Plain text as a page: every byte is body text.
    public static func plainText(_ text: String, title: String? = nil) -> PageFields {
        var fields = PageFields()
        if let title, !title.isEmpty { fields.append(TextSegment(text: title, rawStart: 0), to: .title) }
        fields.append(TextSegment(text: text, rawStart: 0), to: .body)
        return fields
    }
}
