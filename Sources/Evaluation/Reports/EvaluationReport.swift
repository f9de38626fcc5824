import WireFormat

public import Selection

/// Everything `ctxsel evaluate` found: per-run scores, comparisons with the first run, and
/// selection quality when the runs came from the engine.
public struct EvaluationReport: Sendable {
    public var evaluations: [RunEvaluation]
    public var comparisons: [RunComparison]
    /// Selection quality per run tag (top `qualityDepth` of each list), when known.
    public var quality: [String: SelectionQuality]
    public var qualityDepth: Int
    /// Measures shown in the summary tables.
    public var tableMeasures: [String]
    public var relevanceLevel: Int
    public var averageOverAllQueries: Bool
    public var permutations: Int
    public var seed: UInt64

    public init(evaluations: [RunEvaluation], comparisons: [RunComparison], quality: [String: SelectionQuality] = [:],
                qualityDepth: Int = 10, tableMeasures: [String], relevanceLevel: Int, averageOverAllQueries: Bool,
                permutations: Int, seed: UInt64) {
        self.evaluations = evaluations
        self.comparisons = comparisons
        self.quality = quality
        self.qualityDepth = qualityDepth
        self.tableMeasures = tableMeasures
        self.relevanceLevel = relevanceLevel
        self.averageOverAllQueries = averageOverAllQueries
        self.permutations = permutations
        self.seed = seed
    }

    /// The comparison of `run` with the baseline on `measure`, if made.
    func comparison(_ run: String, _ measure: String) -> RunComparison? {
        comparisons.first { $0.run == run && $0.measure == measure }
    }

    /// "▲" or "▼" when the run differs significantly from the baseline (Holm-adjusted
    /// randomization p < 0.05), else "".
    func mark(_ run: String, _ measure: String) -> String {
        guard let comparison = comparison(run, measure), comparison.isSignificant() else { return "" }
        return comparison.meanDifference > 0 ? "▲" : "▼"
    }

    static let legend = "▲/▼: better/worse than the baseline (first run), Holm–Bonferroni-adjusted paired randomization test, p < 0.05."

    // MARK: JSON

    public var json: JSONValue {
        .object([
            ("settings", .object([
                ("relevance_level", .number(Double(relevanceLevel))),
                ("average_over_all_queries", .bool(averageOverAllQueries)),
                ("permutations", .number(Double(permutations))),
                ("seed", .number(Double(seed))),
                ("baseline", evaluations.first.map { .string($0.tag) } ?? .null),
            ])),
            ("runs", .array(evaluations.map { evaluation in
                var members: [(String, JSONValue)] = [
                    ("tag", .string(evaluation.tag)),
                    ("queries", .number(Double(evaluation.queries.count))),
                    ("summary", .object(zip(evaluation.measureNames, evaluation.summary).map { ($0, .number($1)) })),
                    ("per_query", .object(evaluation.queries.map { query in
                        (query, .object(zip(evaluation.measureNames, evaluation.perQuery[query]!).map { ($0, .number($1)) }))
                    })),
                ]
                if let quality = quality[evaluation.tag] { members.append(("selection_quality", quality.json(depth: qualityDepth))) }
                return .object(members)
            })),
            ("comparisons", .array(comparisons.map { comparison in
                .object([
                    ("baseline", .string(comparison.baseline)),
                    ("run", .string(comparison.run)),
                    ("measure", .string(comparison.measure)),
                    ("queries", .number(Double(comparison.queries.count))),
                    ("baseline_mean", .number(comparison.baselineMean)),
                    ("run_mean", .number(comparison.runMean)),
                    ("mean_difference", .number(comparison.meanDifference)),
                    ("ci95", .array([.number(comparison.interval.lower), .number(comparison.interval.upper)])),
                    ("t", comparison.tTest.map { .number($0.statistic) } ?? .null),
                    ("t_test_p", comparison.tTest.map { .number($0.pValue) } ?? .null),
                    ("randomization_p", .number(comparison.randomization.pValue)),
                    ("randomization_exact", .bool(comparison.randomization.isExact)),
                    ("holm_p", .number(comparison.holmPValue)),
                    ("significant", .bool(comparison.isSignificant())),
                    ("wins", .number(Double(comparison.wins))),
                    ("ties", .number(Double(comparison.ties))),
                    ("losses", .number(Double(comparison.losses))),
                ])
            })),
        ])
    }

    // MARK: trec_eval text

    public func trecText(perQuery: Bool) -> String {
        evaluations.map { $0.trecText(perQuery: perQuery) }.joined(separator: "\n")
    }
}

extension SelectionQuality {
    /// The measures as JSON; `depth` is the list length they were computed at (0: as selected).
    public func json(depth: Int) -> JSONValue {
        .object([
            ("depth", .number(Double(depth))),
            ("lists", .number(Double(lists))),
            ("coverage", .number(coverage)),
            ("intra_list_diversity", intraListDiversity.map(JSONValue.number) ?? .null),
            ("advertiser_spread", advertiserSpread.map(JSONValue.number) ?? .null),
            ("category_spread", categorySpread.map(JSONValue.number) ?? .null),
            ("fill_rate", .number(fillRate)),
        ])
    }
}
