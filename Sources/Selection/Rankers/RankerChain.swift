public import SelectionCore

/// Rankers applied in order, each to the previous one's output.
public struct RankerChain: Ranker {
    public let rankers: [any Ranker]

    public init(_ rankers: [any Ranker]) {
        precondition(!rankers.isEmpty, "a ranker chain needs at least one ranker")
        self.rankers = rankers
    }

    public var name: String { rankers.map(\.name).joined(separator: ",") }
    public var retrievalModel: RetrievalModel { rankers[0].retrievalModel }

    public func rank(_ candidates: [Candidate], in context: RankingContext) throws -> [Candidate] {
        var current = candidates
        for ranker in rankers { current = try ranker.rank(current, in: context) }
        return current
    }
}

/// Makes rankers from their names: `bm25`, `tfidf`, `priority` (or `priority:BLEND`), `mmr` (or
/// `mmr:LAMBDA`), `lottery`, `exec:PATH`, and chains of them separated by commas
/// (`bm25,priority,mmr`).
public enum RankerRegistry {
    public static let builtInNames = ["bm25", "tfidf", "priority", "mmr", "lottery"]

    /// - Parameter timeout: how long an external ranker may take per request, in seconds.
    public static func make(_ specification: String, timeout: Double = ExternalProcessRanker.defaultTimeout) throws -> any Ranker {
        let parts = specification.split(separator: ",", omittingEmptySubsequences: false).map { String($0).strippingSpaces() }
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw RankerError(ranker: specification, message: "empty ranker name; built-ins are \(builtInNames.joined(separator: ", ")), or exec:PATH")
        }
        let rankers = try parts.map { try single($0, timeout: timeout) }
        return rankers.count == 1 ? rankers[0] : RankerChain(rankers)
    }

    /// Makes a chain from several specifications (one per `--ranker` option).
    public static func make(_ specifications: [String], timeout: Double = ExternalProcessRanker.defaultTimeout) throws -> any Ranker {
        guard !specifications.isEmpty else { return BM25Ranker() }
        let rankers = try specifications.map { try make($0, timeout: timeout) }
        return rankers.count == 1 ? rankers[0] : RankerChain(rankers)
    }

    static func single(_ name: String, timeout: Double) throws -> any Ranker {
        switch name {
        case "bm25": return BM25Ranker()
        case "tfidf": return TFIDFRanker()
        case "priority": return PriorityRanker()
        case "mmr": return MMRRanker()
        case "lottery": return LotteryRanker()
        default:
            if name.hasPrefix("mmr:") {
                guard let lambda = Double(name.dropFirst("mmr:".count)), (0...1).contains(lambda) else {
                    throw RankerError(ranker: name, message: "mmr lambda must be a number within 0...1, e.g. mmr:0.7")
                }
                return MMRRanker(lambda: lambda)
            }
            if name.hasPrefix("priority:") {
                guard let blend = Double(name.dropFirst("priority:".count)), (0...1).contains(blend) else {
                    throw RankerError(ranker: name, message: "priority blend must be a number within 0...1, e.g. priority:0.3")
                }
                return PriorityRanker(blend: blend)
            }
            if name.hasPrefix("exec:") {
                let path = String(name.dropFirst("exec:".count))
                return try ExternalProcessRanker(executable: path, timeout: timeout)
            }
            throw RankerError(ranker: name, message: "unknown ranker; built-ins are \(builtInNames.joined(separator: ", ")), or exec:PATH")
        }
    }
}

extension String {
    func strippingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
