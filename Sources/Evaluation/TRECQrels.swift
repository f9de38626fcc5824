/// Relevance judgments in TREC format: `qid iter docno rel` per line.
///
/// Negative `rel` means "in the pool but not judged", as in trec_eval: such documents count
/// neither as relevant nor as judged non-relevant.
public struct TRECQrels: Hashable, Sendable {
    /// Judgments per query: document → relevance.
    public private(set) var judgments: [String: [String: Int]]

    public init(judgments: [String: [String: Int]] = [:]) { self.judgments = judgments }

    public var queryIDs: [String] { judgments.keys.sorted(by: trecOrder) }

    /// Parses qrels text.
    /// - Throws: ``TRECFormatError`` naming the line.
    public init(parsing text: String, source: String = "qrels") throws {
        var judgments: [String: [String: Int]] = [:]
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 4, let relevance = Int(fields[3]) else {
                throw TRECFormatError(source: source, line: offset + 1,
                                      message: "expected 'qid iter docno rel' with an integer rel")
            }
            let query = String(fields[0]), document = String(fields[2])
            guard judgments[query]?[document] == nil else {
                throw TRECFormatError(source: source, line: offset + 1, message: "duplicate judgment of \(document) for query \(query)")
            }
            judgments[query, default: [:]][document] = relevance
        }
        self.init(judgments: judgments)
    }
}

/// A line of a TREC file that cannot be read.
public struct TRECFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    public var source: String
    public var line: Int
    public var message: String
    public var description: String { "\(source):\(line): \(message)" }
}

/// trec_eval orders query ids and breaks score ties by C `strcmp`: plain byte order.
func trecOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
