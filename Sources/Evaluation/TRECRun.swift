/// A ranked run in TREC format: `qid Q0 docno rank score tag` per line.
public struct TRECRun: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var document: String
        public var score: Double
        public init(document: String, score: Double) {
            self.document = document
            self.score = score
        }
    }

    /// The run's tag (sixth column of its first line).
    public var tag: String
    /// Retrieved documents per query, in file order (evaluation re-sorts them).
    public var results: [String: [Entry]]

    public init(tag: String, results: [String: [Entry]] = [:]) {
        self.tag = tag
        self.results = results
    }

    /// Parses a run. The rank column is read but ignored, as trec_eval ignores it.
    /// - Throws: ``TRECFormatError`` naming the line.
    public init(parsing text: String, source: String = "run") throws {
        var results: [String: [Entry]] = [:]
        var tag: String?
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 6, Int(fields[3]) != nil, let score = Double(fields[4]), score.isFinite else {
                throw TRECFormatError(source: source, line: offset + 1,
                                      message: "expected 'qid Q0 docno rank score tag' with an integer rank and a number score")
            }
            if tag == nil { tag = String(fields[5]) }
            results[String(fields[0]), default: []].append(Entry(document: String(fields[2]), score: score))
        }
        self.init(tag: tag ?? source, results: results)
    }

    /// The run as TREC text: per query in trec order, entries best first, ranks from 1.
    public func serialized() -> String {
        var text = ""
        for query in results.keys.sorted(by: trecOrder) {
            for (rank, entry) in results[query]!.enumerated() {
                text += "\(query) Q0 \(entry.document) \(rank + 1) \(entry.score) \(tag)\n"
            }
        }
        return text
    }
}
