/// Scores runs against qrels with trec_eval's rules: queries in the run but not in the qrels are
/// ignored; by default only queries in both are averaged, or with `averageOverAllQueries` (`-c`)
/// every qrels query, a missing one scored as an empty ranking.
public struct RunEvaluator: Sendable {
    public var measures: [any Measure]
    /// Judgments at or above this level are relevant for binary measures (`-l`).
    public var relevanceLevel: Int
    /// Average over every qrels query (`-c`).
    public var averageOverAllQueries: Bool

    public init(measures: [any Measure] = StandardMeasures.all, relevanceLevel: Int = 1,
                averageOverAllQueries: Bool = false) {
        self.measures = measures
        self.relevanceLevel = relevanceLevel
        self.averageOverAllQueries = averageOverAllQueries
    }

    /// - Throws: ``EvaluationError`` for duplicate documents or no shared query.
    public func evaluate(_ run: TRECRun, qrels: TRECQrels) throws -> RunEvaluation {
        var queries = run.results.keys.filter { qrels.judgments[$0] != nil }
        if averageOverAllQueries { queries = Array(qrels.judgments.keys) }
        queries.sort(by: trecOrder)
        guard !queries.isEmpty else { throw EvaluationError.noQueries }
        var perQuery: [String: [Double]] = [:]
        for query in queries {
            let ranking = try JudgedRanking(query: query, entries: run.results[query] ?? [],
                                            judgments: qrels.judgments[query] ?? [:], relevanceLevel: relevanceLevel)
            perQuery[query] = measures.map { $0.value(for: ranking) }
        }
        let summary = measures.indices.map { index in
            measures[index].aggregation.summarize(queries.map { perQuery[$0]![index] })
        }
        return RunEvaluation(tag: run.tag, measureNames: measures.map(\.name), queries: queries,
                             perQuery: perQuery, summary: summary,
                             printedPerQuery: measures.map(\.printsPerQuery),
                             isCount: measures.map { $0.aggregation == .sum })
    }
}

/// The scores of one run: per query and over all queries.
public struct RunEvaluation: Hashable, Sendable {
    public var tag: String
    public var measureNames: [String]
    /// Evaluated queries, in trec_eval's order.
    public var queries: [String]
    /// Per query, one value per measure (in `measureNames` order).
    public var perQuery: [String: [Double]]
    /// One summary value per measure.
    public var summary: [Double]
    var printedPerQuery: [Bool]
    var isCount: [Bool]

    /// The value of `measure` for `query`, or its summary when `query` is nil.
    public func value(_ measure: String, query: String? = nil) -> Double? {
        guard let index = measureNames.firstIndex(of: measure) else { return nil }
        guard let query else { return summary[index] }
        return perQuery[query]?[index]
    }

    /// Per-query values of `measure`, in `queries` order.
    public func values(of measure: String) -> [Double] {
        guard let index = measureNames.firstIndex(of: measure) else { return [] }
        return queries.map { perQuery[$0]![index] }
    }

    /// trec_eval's output: `measure<TAB>qid|all<TAB>value`, the name padded to 22 characters,
    /// values with 4 decimals and counts as integers; with `perQuery`, every query first.
    public func trecText(perQuery includeQueries: Bool) -> String {
        var lines: [String] = []
        func line(_ index: Int, _ label: String, _ value: Double) {
            let name = measureNames[index].padding(to: 22)
            let number = isCount[index] ? String(Int(value.rounded())) : formatFixed(value, decimals: 4)
            lines.append("\(name)\t\(label)\t\(number)")
        }
        if includeQueries {
            for query in queries {
                for index in measureNames.indices where printedPerQuery[index] { line(index, query, perQuery[query]![index]) }
            }
        }
        lines.append("runid".padding(to: 22) + "\tall\t\(tag)")
        for index in measureNames.indices { line(index, "all", summary[index]) }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func padding(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

/// `value` with exactly `decimals` decimals, rounded half away from zero, as printf does for
/// the values trec_eval prints.
/// `value` as ``formatFixed(_:decimals:)`` writes it, or "n/a" when nothing was measured.
func formatFixed(_ value: Double?, decimals: Int) -> String {
    value.map { formatFixed($0, decimals: decimals) } ?? "n/a"
}

func formatFixed(_ value: Double, decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
    let integer = Int(scaled)
    let whole = integer / Int(scale)
    let fraction = String(integer % Int(scale))
    let padded = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
    let sign = value < 0 && scaled != 0 ? "-" : ""
    return decimals == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(padded)"
}
