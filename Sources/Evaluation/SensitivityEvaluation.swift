import Foundation
public import Selection
import TextAnalysis
import WireFormat

/// How well the page classifier reads labeled pages (``LabeledPage``): sensitive-page detection
/// (precision, recall, F1 with 95 % Wilson intervals) in all and per kind of page and per labeled
/// sensitive row (recall), and, where pages carry `categories`, top-category accuracy at tier 1.
public struct SensitivityEvaluation: Sendable {
    /// Confusion counts of sensitive-page detection over a group of pages.
    public struct Counts: Hashable, Sendable {
        public var truePositives = 0, falsePositives = 0, falseNegatives = 0, trueNegatives = 0

        public var pages: Int { truePositives + falsePositives + falseNegatives + trueNegatives }
        public var labeledSensitive: Int { truePositives + falseNegatives }
        /// nil when nothing was flagged (precision) or nothing is sensitive (recall).
        public var precision: Interval? { Interval(successes: truePositives, trials: truePositives + falsePositives) }
        public var recall: Interval? { Interval(successes: truePositives, trials: truePositives + falseNegatives) }
        public var f1: Double? {
            guard let p = precision?.value, let r = recall?.value, p + r > 0 else { return nil }
            return 2 * p * r / (p + r)
        }

        mutating func add(flagged: Bool, label: Bool) {
            switch (flagged, label) {
            case (true, true): truePositives += 1
            case (true, false): falsePositives += 1
            case (false, true): falseNegatives += 1
            case (false, false): trueNegatives += 1
            }
        }
    }

    /// A proportion with its 95 % Wilson score interval.
    public struct Interval: Hashable, Sendable {
        public var value: Double, low: Double, high: Double

        public init?(successes: Int, trials: Int) {
            guard trials > 0 else { return nil }
            let n = Double(trials), p = Double(successes) / n, z = 1.959964
            let center = (p + z * z / (2 * n)) / (1 + z * z / n)
            let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / (1 + z * z / n)
            value = p
            low = max(0, center - half)
            high = min(1, center + half)
        }

        var text: String { "\(formatFixed(value, decimals: 3)) [\(formatFixed(low, decimals: 2)), \(formatFixed(high, decimals: 2))]" }
        var json: JSONValue { .object([("value", .number(value)), ("low", .number(low)), ("high", .number(high))]) }
    }

    public var all = Counts()
    /// Per kind of page, for pages that name one.
    public var byKind: [String: Counts] = [:]
    /// Per labeled sensitive row: pages labeled with it and how many of them were flagged.
    public var byRow: [String: (labeled: Int, flagged: Int)] = [:]
    public var falsePositives: [String] = []
    public var falseNegatives: [String] = []
    /// Pages with category labels, and those whose best category shares a tier-1 row with a label.
    public var categoryPages = 0
    public var categoryTopTier1Correct = 0
    /// Reliability of the category probabilities: every category with evidence on a page with
    /// category labels, binned by probability (tenths); a category is right when it, or a
    /// descendant of it, is among the page's labeled categories or sensitive rows.
    public var reliability = [Bin](repeating: Bin(), count: 10)

    public struct Bin: Hashable, Sendable {
        public var count = 0
        public var predicted = 0.0
        public var right = 0
        public var meanPredicted: Double? { count == 0 ? nil : predicted / Double(count) }
        public var observed: Double? { count == 0 ? nil : Double(right) / Double(count) }
    }

    public var precision: Double { all.precision?.value ?? 0 }
    public var recall: Double { all.recall?.value ?? 0 }
    public var f1: Double { all.f1 ?? 0 }
    public var pages: Int { all.pages }

    /// - Throws: ``TRECFormatError`` naming a line that is not a labeled page, or has no
    ///   `"sensitive"` label.
    public init(classifier: CategoryClassifier, labeledPages text: String, source: String = "labeled pages") throws {
        let analyzer = Analyzer()
        let scratch = AnalysisScratch()
        let taxonomy = classifier.taxonomy
        func tier1(_ id: String) -> String { taxonomy.lineage(of: id).last! }
        for (number, line) in LabeledPage.lines(of: text) {
            let page = try LabeledPage(line: line, source: source, lineNumber: number)
            guard let label = page.sensitive else {
                throw TRECFormatError(source: source, line: page.lineNumber, message: "expected a boolean \"sensitive\"")
            }
            let scored = classifier.score(analyzer.analyze(page.content, scratch: scratch))
            let assigned = classifier.assignments(from: scored)
            let flagged = assigned.contains { $0.isSensitive }
            all.add(flagged: flagged, label: label)
            if !page.kind.isEmpty { byKind[page.kind, default: Counts()].add(flagged: flagged, label: label) }
            if flagged, !label { falsePositives.append(page.id) }
            if !flagged, label { falseNegatives.append(page.id) }
            for row in Set(page.sensitiveRows) {
                names[row] = taxonomy.name(of: row)
                byRow[row, default: (0, 0)].labeled += 1
                if flagged { byRow[row, default: (0, 0)].flagged += 1 }
            }
            if !page.categories.isEmpty {
                let labeled = Set((page.categories + page.sensitiveRows).flatMap(taxonomy.lineage(of:)))
                for scored in scored {
                    let bin = min(9, Int(scored.probability * 10))
                    reliability[bin].count += 1
                    reliability[bin].predicted += scored.probability
                    if labeled.contains(scored.id) { reliability[bin].right += 1 }
                }
                categoryPages += 1
                let labeledTops = Set(page.categories.map(tier1))
                if let best = assigned.first, labeledTops.contains(tier1(best.id)) { categoryTopTier1Correct += 1 }
            }
        }
    }

    public var categoryAccuracy: Interval? { Interval(successes: categoryTopTier1Correct, trials: categoryPages) }

    func json(_ counts: Counts) -> [(String, JSONValue)] {
        [("pages", .number(Double(counts.pages))), ("sensitive_pages", .number(Double(counts.labeledSensitive))),
         ("precision", counts.precision.map { .number($0.value) } ?? .null), ("recall", counts.recall.map { .number($0.value) } ?? .null),
         ("f1", counts.f1.map(JSONValue.number) ?? .null),
         ("precision_95", counts.precision?.json ?? .null), ("recall_95", counts.recall?.json ?? .null),
         ("true_positives", .number(Double(counts.truePositives))), ("false_positives_count", .number(Double(counts.falsePositives))),
         ("false_negatives_count", .number(Double(counts.falseNegatives))), ("true_negatives", .number(Double(counts.trueNegatives)))]
    }

    public var json: JSONValue {
        .object(json(all) + [
            ("by_kind", .object(byKind.keys.sorted().map { ($0, .object(json(byKind[$0]!))) })),
            ("recall_by_sensitive_row", .object(byRow.keys.sorted().map { row in
                (row, .object([("labeled", .number(Double(byRow[row]!.labeled))), ("flagged", .number(Double(byRow[row]!.flagged)))]))
            })),
            ("category_tier1_accuracy", categoryAccuracy?.json ?? .null),
            ("category_reliability", .array(reliability.enumerated().map { index, bin in
                .object([("from", .number(Double(index) / 10)), ("to", .number(Double(index + 1) / 10)),
                         ("count", .number(Double(bin.count))), ("mean_predicted", bin.meanPredicted.map(JSONValue.number) ?? .null),
                         ("observed", bin.observed.map(JSONValue.number) ?? .null)])
            })),
            ("category_pages", .number(Double(categoryPages))),
            ("false_positives", .array(falsePositives.map(JSONValue.string))),
            ("false_negatives", .array(falseNegatives.map(JSONValue.string))),
        ])
    }

    func row(_ name: String, _ counts: Counts) -> String {
        "| \(name) | \(counts.pages) | \(counts.labeledSensitive) | \(counts.truePositives + counts.falsePositives) | "
            + "\(counts.precision?.text ?? "n/a") | \(counts.recall?.text ?? "n/a") | \(counts.f1.map { formatFixed($0, decimals: 3) } ?? "n/a") |"
    }

    public var markdown: String {
        var lines = [
            "| pages | count | labeled sensitive | flagged | precision [95 % CI] | recall [95 % CI] | F1 |",
            "|---|---:|---:|---:|---:|---:|---:|",
            row("all", all),
        ]
        for kind in byKind.keys.sorted() { lines.append(row(kind, byKind[kind]!)) }
        if !byRow.isEmpty {
            lines += ["", "| sensitive row | name | labeled pages | flagged | recall |", "|---|---|---:|---:|---:|"]
            for row in byRow.keys.sorted(by: { byRow[$0]!.labeled != byRow[$1]!.labeled ? byRow[$0]!.labeled > byRow[$1]!.labeled : $0 < $1 }) {
                let counts = byRow[row]!
                lines.append("| \(row) | \(name(row)) | \(counts.labeled) | \(counts.flagged) | \(Interval(successes: counts.flagged, trials: counts.labeled)?.text ?? "n/a") |")
            }
        }
        if let accuracy = categoryAccuracy {
            lines += ["", "Best category in a labeled tier-1 row: \(accuracy.text) of \(categoryPages) pages.", "",
                      "| probability | categories | mean predicted | observed right [95 % CI] |", "|---|---:|---:|---:|"]
            for (index, bin) in reliability.enumerated() where bin.count > 0 {
                let observed = Interval(successes: bin.right, trials: bin.count)
                lines.append("| \(formatFixed(Double(index) / 10, decimals: 1))–\(formatFixed(Double(index + 1) / 10, decimals: 1)) | \(bin.count) | "
                             + "\(formatFixed(bin.meanPredicted ?? 0, decimals: 3)) | \(observed?.text ?? "n/a") |")
            }
        }
        lines += ["", "False positives: \(falsePositives.isEmpty ? "none" : falsePositives.joined(separator: ", ")).",
                  "False negatives: \(falseNegatives.isEmpty ? "none" : falseNegatives.joined(separator: ", ")).", ""]
        return lines.joined(separator: "\n")
    }

    var names: [String: String] = [:]
    func name(_ id: String) -> String { names[id] ?? "" }
}
