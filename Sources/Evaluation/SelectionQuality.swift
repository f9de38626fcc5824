import Indexing
public import SelectionCore
import TextAnalysis

/// Measures of selection output that trec_eval has no names for: how much of the catalog is
/// ever shown, how varied each list is, how spread across advertisers and categories, and how
/// full the slots are. A measure with nothing to measure (no list of two items, no ad, no
/// category) is nil, written "n/a", never 0. Sums run in a fixed order (sorted keys), so the
/// same selections give the same bits in every process.
public struct SelectionQuality: Hashable, Sendable {
    /// Distinct items ever selected / catalog items.
    public var coverage: Double
    /// Mean over lists of 2+ items of the mean pairwise `1 - cosine` of their TF-IDF term vectors.
    public var intraListDiversity: Double?
    /// Mean over lists with ads of distinct advertisers / ads shown (1: never two from one).
    public var advertiserSpread: Double?
    /// Entropy of selections over IAB categories, divided by its maximum (1: perfectly even; 0
    /// with one category).
    public var categorySpread: Double?
    /// Places filled / places requested.
    public var fillRate: Double
    public var lists: Int

    /// - Parameters:
    ///   - lists: the items selected for each request, in order.
    ///   - requested: places requested per list (the fill-rate denominator).
    ///   - index: the catalog the items come from (sizes and term vectors).
    public init(lists: [[CatalogItem]], requested: [Int], index: CatalogIndex) {
        precondition(lists.count == requested.count, "one requested count per list")
        self.lists = lists.count
        let distinct = Set(lists.flatMap { $0.map(\.id) })
        coverage = index.documentCount == 0 ? 0 : Double(distinct.count) / Double(index.documentCount)
        let requestedTotal = requested.reduce(0, +)
        fillRate = requestedTotal == 0 ? 0 : Double(lists.reduce(0) { $0 + $1.count }) / Double(requestedTotal)

        let vectors = TermVectors(index: index)
        var diversitySum = 0.0, diversityLists = 0
        for list in lists where list.count >= 2 {
            var sum = 0.0, pairs = 0
            for i in list.indices {
                for j in list.indices where j > i {
                    sum += 1 - vectors.cosine(list[i], list[j])
                    pairs += 1
                }
            }
            diversitySum += sum / Double(pairs)
            diversityLists += 1
        }
        intraListDiversity = diversityLists == 0 ? nil : diversitySum / Double(diversityLists)

        var spreadSum = 0.0, spreadLists = 0
        for list in lists {
            let ads = list.filter { $0.kind == .ad }
            guard !ads.isEmpty else { continue }
            spreadSum += Double(Set(ads.map { $0.advertiser ?? $0.id }).count) / Double(ads.count)
            spreadLists += 1
        }
        advertiserSpread = spreadLists == 0 ? nil : spreadSum / Double(spreadLists)

        var categoryCounts: [String: Int] = [:]
        for item in lists.joined() { for category in item.categories { categoryCounts[category, default: 0] += 1 } }
        let total = Double(categoryCounts.values.reduce(0, +))
        if categoryCounts.count > 1 {
            let entropy = categoryCounts.sorted { $0.key < $1.key }.reduce(0.0) { sum, entry in
                let p = Double(entry.value) / total
                return sum - p * log(p)
            }
            categorySpread = entropy / log(Double(categoryCounts.count))
        } else {
            categorySpread = categoryCounts.isEmpty ? nil : 0
        }
    }
}

extension SelectionQuality {
    /// The Markdown table of these measures, "n/a" where nothing was measured.
    public var markdownTable: String {
        """
        | lists | coverage | intra-list diversity | advertiser spread | category spread | fill rate |
        |---:|---:|---:|---:|---:|---:|
        | \(lists) | \(formatFixed(coverage, decimals: 4)) | \(formatFixed(intraListDiversity, decimals: 4)) | \(formatFixed(advertiserSpread, decimals: 4)) | \(formatFixed(categorySpread, decimals: 4)) | \(formatFixed(fillRate, decimals: 4)) |

        """
    }
}

/// TF-IDF term vectors of catalog items, analysed on demand the way the index analysed them.
struct TermVectors {
    let index: CatalogIndex
    let builder: IndexBuilder
    let scratch = AnalysisScratch()
    private let cache = VectorCache()

    init(index: CatalogIndex) {
        self.index = index
        builder = IndexBuilder(configuration: index.configuration)
    }

    /// An item's TF-IDF weights, its terms in byte order, and its norm summed in that order.
    struct Vector {
        var weights: [String: Double]
        var terms: [String]
        var norm: Double
    }

    func vector(_ item: CatalogItem) -> Vector {
        if let cached = cache.vectors[item.id] { return cached }
        var weights: [String: Double] = [:]
        for (term, frequency) in builder.termFrequencies(of: item, scratch: scratch) {
            weights[term] = TFIDF.termWeight(frequency: Double(frequency))
                * TFIDF.idf(documentFrequency: index.documentFrequency(of: term), documentCount: index.documentCount)
        }
        // Byte order is the terms' order (analysed terms are normalized) without comparing them
        // character by character, which is slow for text beyond ASCII.
        let terms = weights.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let vector = Vector(weights: weights, terms: terms,
                            norm: terms.reduce(0.0) { $0 + weights[$1]! * weights[$1]! }.squareRoot())
        cache.vectors[item.id] = vector
        return vector
    }

    func cosine(_ a: CatalogItem, _ b: CatalogItem) -> Double {
        // In term order, so that the sums round the same way in every process.
        let x = vector(a), y = vector(b)
        let dot = x.terms.reduce(0.0) { $0 + x.weights[$1]! * (y.weights[$1] ?? 0) }
        let norms = x.norm * y.norm
        return norms > 0 ? dot / norms : 0
    }
}

private final class VectorCache {
    var vectors: [ItemID: TermVectors.Vector] = [:]
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
