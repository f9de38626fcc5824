/// How catalog items are indexed and scored.
public struct IndexConfiguration: Hashable, Sendable, Codable {
    /// Each title occurrence counts this many times: a title names what an item is.
    public var titleBoost: Double = 2
    /// Each body occurrence counts once.
    public var bodyBoost: Double = 1
    /// Each declared targeting keyword counts this many times: the advertiser chose it.
    public var keywordBoost: Double = 3
    /// BM25 parameters.
    public var bm25 = BM25()

    public init(titleBoost: Double = 2, bodyBoost: Double = 1, keywordBoost: Double = 3, bm25: BM25 = BM25()) {
        self.titleBoost = titleBoost
        self.bodyBoost = bodyBoost
        self.keywordBoost = keywordBoost
        self.bm25 = bm25
    }
}
