public import Selection
import TextAnalysis

/// How well the category classifier finds sensitive pages, against hand labels: JSON lines of
/// `{"id", "title", "text", "sensitive": true|false}` (`Corpus/sensitivity/pages.jsonl`).
public struct SensitivityEvaluation: Sendable {
    public var truePositives: [String] = []
    public var falsePositives: [String] = []
    public var falseNegatives: [String] = []
    public var trueNegatives = 0

    public var precision: Double {
        let flagged = truePositives.count + falsePositives.count
        return flagged == 0 ? 0 : Double(truePositives.count) / Double(flagged)
    }
    public var recall: Double {
        let relevant = truePositives.count + falseNegatives.count
        return relevant == 0 ? 0 : Double(truePositives.count) / Double(relevant)
    }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    public var pages: Int { truePositives.count + falsePositives.count + falseNegatives.count + trueNegatives }

    /// - Throws: ``TRECFormatError`` naming a line that is not a labeled page.
    public init(classifier: CategoryClassifier, labeledPages text: String, source: String = "labeled pages") throws {
        let analyzer = Analyzer()
        let scratch = AnalysisScratch()
        for (offset, line) in text.split(separator: "\n").enumerated() {
            guard let json = try? JSONParser.parse(String(line)), case .string(let id)? = json["id"],
                  case .bool(let label)? = json["sensitive"] else {
                throw TRECFormatError(source: source, line: offset + 1, message: "expected {\"id\", \"title\", \"text\", \"sensitive\"}")
            }
            let title: String? = if case .string(let value)? = json["title"] { value } else { nil }
            let body: String = if case .string(let value)? = json["text"] { value } else { "" }
            let analyzed = analyzer.analyze(.plainText(body, title: title), scratch: scratch)
            let flagged = classifier.classify(analyzed).contains { $0.isSensitive }
            switch (flagged, label) {
            case (true, true): truePositives.append(id)
            case (true, false): falsePositives.append(id)
            case (false, true): falseNegatives.append(id)
            case (false, false): trueNegatives += 1
            }
        }
    }

    public var json: JSONValue {
        .object([
            ("pages", .number(Double(pages))),
            ("sensitive_pages", .number(Double(truePositives.count + falseNegatives.count))),
            ("precision", .number(precision)),
            ("recall", .number(recall)),
            ("f1", .number(f1)),
            ("true_positives", .number(Double(truePositives.count))),
            ("false_positives", .array(falsePositives.map(JSONValue.string))),
            ("false_negatives", .array(falseNegatives.map(JSONValue.string))),
            ("true_negatives", .number(Double(trueNegatives))),
        ])
    }

    public var markdown: String {
        """
        | pages | labeled sensitive | flagged | precision | recall | F1 |
        |---:|---:|---:|---:|---:|---:|
        | \(pages) | \(truePositives.count + falseNegatives.count) | \(truePositives.count + falsePositives.count) | \(formatFixed(precision, decimals: 3)) | \(formatFixed(recall, decimals: 3)) | \(formatFixed(f1, decimals: 3)) |

        False positives: \(falsePositives.isEmpty ? "none" : falsePositives.joined(separator: ", ")).
        False negatives: \(falseNegatives.isEmpty ? "none" : falseNegatives.joined(separator: ", ")).

        """
    }
}
