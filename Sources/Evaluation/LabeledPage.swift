import WireFormat

public import Selection
public import TextAnalysis

/// One line of a labeled page file (`Corpus/understanding`, `Corpus/sensitivity`):
/// `{"id", "title", "text" or "html", "kind", "sensitive", "sensitive_rows", "categories"}`; only
/// `id` and a text are required, labels are read when present.
public struct LabeledPage: Sendable {
    public var id: String
    /// The page's line in its file (from 1), for errors about its labels.
    public var lineNumber: Int
    public var content: PageFields
    /// The kind of page (news, encyclopedia, …), "" when not given.
    public var kind: String
    public var sensitive: Bool?
    public var sensitiveRows: [String]
    public var categories: [String]

    /// - Throws: ``TRECFormatError`` naming the file, the line and what is wrong.
    public init(line: Substring, source: String, lineNumber: Int) throws {
        func fail(_ message: String) -> TRECFormatError { TRECFormatError(source: source, line: lineNumber, message: message) }
        let json: JSONValue
        do { json = try JSONParser.parse(String(line)) } catch { throw fail("not JSON: \(error)") }
        guard case .string(let id)? = json["id"] else { throw fail("expected a string \"id\"") }
        self.id = id
        self.lineNumber = lineNumber
        let title: String? = if case .string(let value)? = json["title"] { value } else { nil }
        if case .string(let html)? = json["html"] {
            content = HTMLTextExtractor().extract(html)
        } else if case .string(let text)? = json["text"] {
            content = .plainText(text, title: title)
        } else {
            throw fail("expected a string \"text\" or \"html\"")
        }
        kind = if case .string(let value)? = json["kind"] { value } else { "" }
        switch json["sensitive"] {
        case .bool(let value)?: sensitive = value
        case nil, .null?: sensitive = nil
        default: throw fail("\"sensitive\" must be true or false")
        }
        func ids(_ key: String) throws -> [String] {
            switch json[key] {
            case nil, .null?: return []
            case .array(let values)?:
                return try values.map { value in
                    guard case .string(let id) = value else { throw fail("\"\(key)\" must be an array of category ids") }
                    return id
                }
            default: throw fail("\"\(key)\" must be an array of category ids")
            }
        }
        sensitiveRows = try ids("sensitive_rows")
        categories = try ids("categories")
    }
}

extension LabeledPage {
    /// The non-blank lines of a labeled page file with their numbers (from 1), each read with
    /// ``init(line:source:lineNumber:)`` as it comes, so that a reader can stream.
    public static func lines(of text: String) -> [(number: Int, line: Substring)] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { offset, line in
            line.isEmpty ? nil : (offset + 1, line)
        }
    }
}

extension CategoryClassifier.Assignment {
    /// `{"id", "name", "score", "sensitive", "evidence": [{"text", "weight"}]}`.
    public var json: JSONValue {
        .object([
            ("id", .string(id)), ("name", .string(name)), ("score", .number(score)), ("sensitive", .bool(isSensitive)),
            ("evidence", .array(evidence.map { .object([("text", .string($0.text)), ("weight", .number($0.weight))]) })),
        ])
    }
}
