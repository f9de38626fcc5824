/// Orders retrieved candidates for one page. The one plug point of the ranking stage.
///
/// Conformers must be deterministic: the same candidates in the same context give the same
/// order. They return a reordering (usually with new scores) of the candidates they are given,
/// and may drop candidates but never invent them. Each sets `explanation` so that its root value
/// equals the new `score`, keeping the previous explanation as a detail.
public protocol Ranker: Sendable {
    /// Stable name, written into explanations and run files.
    var name: String { get }

    /// Orders `candidates` (already ordered by the previous stage) for `context`.
    func rank(_ candidates: [Candidate], in context: RankingContext) throws -> [Candidate]

    /// Which index score retrieval should collect candidates by when this ranker comes first.
    var retrievalModel: RetrievalModel { get }
}

extension Ranker {
    public var retrievalModel: RetrievalModel { .bm25 }
}

/// The scoring model candidates are retrieved by.
public enum RetrievalModel: String, Hashable, Sendable, Codable, CaseIterable {
    case bm25
    case cosine
}

/// What a ranker may know about the request: the page's keywords and what is being filled.
/// Nothing about the visitor.
public struct RankingContext: Sendable {
    /// The request's id, if it has one.
    public var requestID: String?
    /// The page's keywords, strongest first.
    public var keywords: [Keyword]
    /// The page's language (primary subtag).
    public var language: String
    /// How many items the request needs in all.
    public var limit: Int
    /// A seed derived from the request, for rankers that draw at random: the same request draws
    /// the same way.
    public var seed: UInt64

    public init(requestID: String? = nil, keywords: [Keyword], language: String = "en", limit: Int = 10, seed: UInt64 = 0) {
        self.requestID = requestID
        self.keywords = keywords
        self.language = language
        self.limit = limit
        self.seed = seed
    }
}

/// A ranker that could not do its work; the request fails with this message.
public struct RankerError: Error, Hashable, Sendable, CustomStringConvertible {
    public var ranker: String
    public var message: String

    public init(ranker: String, message: String) {
        self.ranker = ranker
        self.message = message
    }

    public var description: String { "ranker \(ranker): \(message)" }
}
