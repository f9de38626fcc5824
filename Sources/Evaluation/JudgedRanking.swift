/// One query's retrieved documents in trec_eval's order, each with its judgment, and the
/// counts of judgments per relevance level: everything a measure reads.
public struct JudgedRanking: Hashable, Sendable {
    /// Relevance of a retrieved document that the qrels do not mention.
    public static let notInPool = -1
    /// Relevance of a retrieved document judged with a negative value (in the pool, unjudged).
    public static let unjudged = -2

    /// Relevance per rank (index 0 is rank 1): a judgment ≥ 0, ``notInPool`` or ``unjudged``.
    public var relevances: [Int]
    /// Judged documents (relevance ≥ 0) per relevance level, over the whole qrels of the query.
    public var levelCounts: [Int]
    /// The level from which a judgment counts as relevant for binary measures.
    public var relevanceLevel: Int

    public var retrievedCount: Int { relevances.count }
    /// Relevant documents in the qrels.
    public var relevantCount: Int {
        levelCounts.indices.filter { $0 >= relevanceLevel }.reduce(0) { $0 + levelCounts[$1] }
    }
    /// Judged non-relevant documents in the qrels.
    public var nonRelevantCount: Int {
        levelCounts.indices.filter { $0 < relevanceLevel }.reduce(0) { $0 + levelCounts[$1] }
    }

    public func isRelevant(atIndex index: Int) -> Bool { relevances[index] >= relevanceLevel }

    /// Sorts `entries` as trec_eval does (score descending, then document id descending by
    /// byte order; the run's rank column never matters) and looks each up in `judgments`.
    /// - Throws: ``EvaluationError/duplicateDocument(query:document:)``.
    public init(query: String, entries: [TRECRun.Entry], judgments: [String: Int], relevanceLevel: Int) throws {
        let sorted = entries.sorted { a, b in
            a.score != b.score ? a.score > b.score : trecOrder(b.document, a.document)
        }
        var seen = Set<String>()
        for entry in sorted where !seen.insert(entry.document).inserted {
            throw EvaluationError.duplicateDocument(query: query, document: entry.document)
        }
        relevances = sorted.map { entry in
            guard let judged = judgments[entry.document] else { return Self.notInPool }
            return judged < 0 ? Self.unjudged : judged
        }
        let highest = judgments.values.max() ?? 0
        var counts = [Int](repeating: 0, count: max(0, highest) + 1)
        for relevance in judgments.values where relevance >= 0 { counts[relevance] += 1 }
        levelCounts = counts
        self.relevanceLevel = relevanceLevel
    }
}

/// A run that cannot be evaluated.
public enum EvaluationError: Error, Hashable, Sendable, CustomStringConvertible {
    case duplicateDocument(query: String, document: String)
    case noQueries

    public var description: String {
        switch self {
        case .duplicateDocument(let query, let document): "duplicate document \(document) for query \(query) in the run"
        case .noQueries: "the run and the qrels share no query"
        }
    }
}
