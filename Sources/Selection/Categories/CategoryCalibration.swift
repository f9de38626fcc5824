import Foundation

/// Turns a category's evidence on a page into a probability that the page is about it: a logistic
/// model over six features, fitted on labeled development pages by `Catalog/tools/fit_classifier.py`
/// and shipped as `Catalog/category-calibration.tsv`.
///
///     p = σ(b + w₁·ln(1 + E) + w₂·E / (E + L/50 + 3) + w₃·ln(1 + D) + w₄·E / E_best + w₅·T + w₆·S)
///
/// E is the category's field-weighted, lexicon-weighted evidence, L the page's field-weighted
/// length, D its distinct matched entries, E_best the largest evidence of any category on the page
/// (a page mostly about databases does not become a parenting page for its "parent" and "child"
/// tables), T the share of its evidence found in the title (capped at 1), S 1 for a sensitive row.
public struct CategoryCalibration: Hashable, Sendable {
    /// The names of the features, in the order of ``weights``.
    public static let featureNames = ["log_evidence", "density", "log_distinct", "share_of_best", "title", "sensitive_row"]

    public var bias: Double
    public var weights: [Double]
    /// A category is reported when its probability reaches this.
    public var categoryThreshold: Double
    /// A page is sensitive when a sensitive row's probability reaches this (a deployer's setting:
    /// lower it for recall, raise it for precision).
    public var sensitiveThreshold: Double

    public init(bias: Double, weights: [Double], categoryThreshold: Double = 0.5, sensitiveThreshold: Double = 0.5) {
        precondition(weights.count == Self.featureNames.count, "one weight per feature")
        self.bias = bias
        self.weights = weights
        self.categoryThreshold = categoryThreshold
        self.sensitiveThreshold = sensitiveThreshold
    }

    /// Used when no calibration file is shipped: hand-set weights that need a few distinct, dense
    /// mentions before a category reaches 0.5.
    public static let unfitted = CategoryCalibration(bias: -6, weights: [0.8, 4, 1, 1.5, 1, 0])

    /// The features of one category on one page.
    public struct Features: Hashable, Sendable {
        public var evidence: Double
        public var pageLength: Double
        public var distinctEntries: Int
        public var bestEvidence: Double
        public var titleEvidence: Double
        public var isSensitiveRow: Bool

        public var vector: [Double] {
            [log1p(evidence), evidence / (evidence + pageLength / 50 + 3), log1p(Double(distinctEntries)),
             bestEvidence > 0 ? evidence / bestEvidence : 0, evidence > 0 ? min(titleEvidence / evidence * 3, 1) : 0,
             isSensitiveRow ? 1 : 0]
        }
    }

    public func probability(_ features: Features) -> Double {
        var z = bias
        for (weight, value) in zip(weights, features.vector) { z += weight * value }
        return 1 / (1 + exp(-z))
    }

    /// Reads `key <TAB> values…` lines: `bias`, `weights` (six, in ``featureNames`` order),
    /// `category_threshold`, `sensitive_threshold`; `#` starts a comment.
    /// - Throws: ``TaxonomyError`` naming the line.
    public init(tsv text: String) throws {
        var bias: Double?, weights: [Double]?, category = 0.5, sensitive = 0.5
        for (number, line) in CategoryClassifier.lines(of: text) {
            let fields = line.split(separator: "\t").map(String.init)
            let numbers = fields.dropFirst().map { Double($0) }
            guard let key = fields.first, !numbers.isEmpty, numbers.allSatisfy({ $0?.isFinite == true }) else {
                throw TaxonomyError(line: number, message: "calibration line needs a key and finite numbers")
            }
            let values = numbers.map { $0! }
            switch key {
            case "bias" where values.count == 1: bias = values[0]
            case "weights" where values.count == Self.featureNames.count: weights = values
            case "category_threshold" where values.count == 1 && (0...1).contains(values[0]): category = values[0]
            case "sensitive_threshold" where values.count == 1 && (0...1).contains(values[0]): sensitive = values[0]
            default: throw TaxonomyError(line: number, message: "unknown calibration key \(key) or wrong count of values")
            }
        }
        guard let bias, let weights else { throw TaxonomyError(line: 0, message: "calibration needs bias and weights") }
        self.init(bias: bias, weights: weights, categoryThreshold: category, sensitiveThreshold: sensitive)
    }
}
