public import TextAnalysis

/// Classifies a page into IAB Content Taxonomy 3.1 categories, and so decides whether it is
/// sensitive, with the words that put it there.
///
/// Reading a page is one pass over its analysed tokens. Every token that starts a lexicon entry
/// (a word or a phrase, matched through the same analyzer as pages) adds, to each category the
/// entry names, the token's field weight (title 3, description and headings 2, body and meta
/// keywords 1, alt and link text 0.5) times the entry's weight for that category. The lexicons are
/// the hand-written `Catalog/lexicons.tsv` (weight 1) and the WordNet-derived
/// `Catalog/category-lexicon.tsv` (weights in (0, 1], see `Catalog/tools/make_lexicon.py`).
/// ``CategoryCalibration`` turns each category's evidence into a probability. A category is
/// reported at ``CategoryCalibration/categoryThreshold``; a page is sensitive when a sensitive
/// row reaches ``CategoryCalibration/sensitiveThreshold``.
public struct CategoryClassifier: Sendable {
    /// The language the lexicons are written in (English WordNet and English hand-written lists).
    public static let lexiconLanguage = "en"
    public let taxonomy: Taxonomy
    public var calibration: CategoryCalibration
    /// Category ids, indexed by the numbers entries use.
    let categoryIDs: [String]
    let categoryIsSensitive: [Bool]
    /// Distinct analysed entries: their terms, text and (category number, weight) pairs.
    let entries: [Entry]
    /// First term → entries starting with it.
    let byFirstTerm: [String: [Int32]]
    public var maximumCategories = 5
    /// Evidence listed per category, with `explain`.
    public var maximumEvidence = 8

    struct Entry: Sendable {
        var terms: [String]
        /// The terms space-separated, made once: what evidence reports the entry matches.
        var key: String
        /// The lexicon texts that analyse to these terms ("parent", "parenting"), first one shown.
        var texts: [String]
        var categories: [(category: Int32, weight: Float)]
        var text: String { texts[0] }
    }

    static let fieldWeights: [Field: Double] = [
        .title: 3, .description: 2, .headings: 2, .body: 1, .keywords: 1, .imageAlt: 0.5, .linkText: 0.5,
    ]

    /// - Parameters:
    ///   - lexicons: hand lexicons, `id <TAB> entry, entry, …` (weight 1 each).
    ///   - weightedLexicon: generated entries, `id <TAB> weight <TAB> entry` (nil: none).
    /// - Throws: ``TaxonomyError`` for a line naming a category the taxonomy lacks or malformed.
    public init(taxonomy: Taxonomy, lexicons: String, weightedLexicon: String? = nil,
                calibration: CategoryCalibration = .unfitted, analyzer: Analyzer = Analyzer()) throws {
        self.taxonomy = taxonomy
        self.calibration = calibration
        var numbers: [String: Int32] = [:]
        var ids: [String] = []
        var builder = EntryBuilder()
        let scratch = AnalysisScratch()
        func number(of id: String, line: Int) throws -> Int32 {
            if let known = numbers[id] { return known }
            guard taxonomy.categories[id] != nil else {
                throw TaxonomyError(line: line, message: "lexicon names category \(id), which the taxonomy lacks")
            }
            numbers[id] = Int32(ids.count)
            ids.append(id)
            return Int32(ids.count - 1)
        }
        for (offset, line) in Self.lines(of: lexicons) {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { throw TaxonomyError(line: offset, message: "lexicon line needs an id, a tab and entries") }
            let category = try number(of: String(parts[0]), line: offset)
            for entry in parts[1].split(separator: ",") {
                let text = String(entry.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
                builder.add(analyzer.tokens(in: text, language: "en", scratch: scratch).map(\.term), text: text,
                            category: category, weight: 1)
            }
        }
        if let weightedLexicon {
            for (offset, line) in Self.lines(of: weightedLexicon) {
                let parts = line.split(separator: "\t", maxSplits: 2)
                guard parts.count == 3, let weight = Float(parts[1]), weight > 0, weight <= 1 else {
                    throw TaxonomyError(line: offset, message: "weighted lexicon line needs an id, a weight in (0, 1] and an entry")
                }
                let category = try number(of: String(parts[0]), line: offset)
                let text = String(parts[2])
                builder.add(analyzer.tokens(in: text, language: "en", scratch: scratch).map(\.term), text: text,
                            category: category, weight: weight)
            }
        }
        categoryIDs = ids
        categoryIsSensitive = ids.map { taxonomy.isSensitive($0) }
        entries = builder.entries
        byFirstTerm = builder.byFirstTerm
    }

    /// Non-empty, non-comment lines with their 1-based numbers (CR before LF dropped).
    static func lines(of text: String) -> [(Int, Substring)] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().compactMap { offset, raw in
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            return line.isEmpty || line.hasPrefix("#") ? nil : (offset + 1, line)
        }
    }

    /// One category assigned to a page.
    public struct Assignment: Hashable, Sendable {
        public var id: String
        public var name: String
        /// The calibrated probability that the page is about this category.
        public var score: Double
        public var isSensitive: Bool
        /// The entries found, most evidence first, with the evidence each gave.
        public var evidence: [Evidence]
        /// The distinct entries found, for explanations.
        public var matchedEntries: [String] { evidence.map(\.text) }
    }

    public struct Evidence: Hashable, Sendable {
        /// The entry as the lexicon writes it.
        public var text: String
        /// The entry's analysed terms, space-separated: what it matches.
        public var terms: String
        /// Field weight × entry weight, summed over its occurrences.
        public var weight: Double
    }

    /// One category with evidence on a page: its features, probability and evidence, most first.
    public typealias Scored = (id: String, features: CategoryCalibration.Features, probability: Double, evidence: [Evidence])

    /// Every category with evidence on the page, with its features and probability, best first
    /// (ties by id): what ``classify(_:)`` filters, and what calibration is fitted on.
    public func score(_ analyzed: AnalyzedText) -> [Scored] {
        let tokens = analyzed.tokens
        var evidence = [Double](repeating: 0, count: categoryIDs.count)
        var titleEvidence = [Double](repeating: 0, count: categoryIDs.count)
        var found: [Int32: Double] = [:]  // entry → field-weighted occurrences
        var length = 0.0
        for (index, token) in tokens.enumerated() {
            let fieldWeight = Self.fieldWeights[token.field] ?? 1
            length += fieldWeight
            guard let candidates = byFirstTerm[token.term] else { continue }
            for entryIndex in candidates where matches(entries[Int(entryIndex)].terms, at: index, in: tokens) {
                found[entryIndex, default: 0] += fieldWeight
                for (category, weight) in entries[Int(entryIndex)].categories {
                    evidence[Int(category)] += fieldWeight * Double(weight)
                    if token.field == .title { titleEvidence[Int(category)] += fieldWeight * Double(weight) }
                }
            }
        }
        var perCategory: [Int32: [Evidence]] = [:]
        for (entryIndex, occurrences) in found {
            let entry = entries[Int(entryIndex)]
            for (category, weight) in entry.categories {
                perCategory[category, default: []].append(Evidence(text: entry.text, terms: entry.key,
                                                                   weight: occurrences * Double(weight)))
            }
        }
        let best = evidence.max() ?? 0
        var scored: [Scored] = []
        for (category, list) in perCategory {
            let number = Int(category)
            let features = CategoryCalibration.Features(
                evidence: evidence[number], pageLength: length, distinctEntries: list.count, bestEvidence: best,
                titleEvidence: titleEvidence[number], isSensitiveRow: categoryIsSensitive[number])
            let sorted = list.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.text < $1.text }
            scored.append((categoryIDs[number], features, calibration.probability(features), sorted))
        }
        scored.sort { $0.probability != $1.probability ? $0.probability > $1.probability : $0.id < $1.id }
        return scored
    }

    /// Every entry: its analysed terms and the lexicon texts that analyse to them, in load order
    /// (what `ctxsel classify --entries` prints, for the fitting scripts).
    public var entryTexts: [(terms: String, texts: [String])] {
        entries.map { ($0.key, $0.texts) }
    }

    /// Whether an entry's later terms follow the token at `index` (stop words between them
    /// allowed, as in the entry).
    func matches(_ terms: [String], at index: Int, in tokens: [Token]) -> Bool {
        for offset in terms.indices.dropFirst() {
            let next = index + offset
            guard next < tokens.count, tokens[next].term == terms[offset],
                  tokens[next].position - tokens[next - 1].position <= 3 else { return false }
        }
        return true
    }

    /// The page's categories, best first: those reaching the category threshold (at most
    /// ``maximumCategories``), and every sensitive row reaching the sensitive threshold, which is
    /// never cut off by the limit: they decide what may be shown.
    public func classify(_ analyzed: AnalyzedText) -> [Assignment] { assignments(from: score(analyzed)) }

    /// ``classify(_:)`` of a page already scored (``score(_:)``), for a caller that needs both.
    public func assignments(from scored: [Scored]) -> [Assignment] {
        var sensitive: [Assignment] = []
        var others: [Assignment] = []
        for scored in scored {
            guard let category = taxonomy.categories[scored.id] else { continue }
            let assignment = Assignment(id: scored.id, name: category.name, score: scored.probability,
                                        isSensitive: category.isSensitive, evidence: Array(scored.evidence.prefix(maximumEvidence)))
            if category.isSensitive {
                if scored.probability >= calibration.sensitiveThreshold { sensitive.append(assignment) }
            } else if scored.probability >= calibration.categoryThreshold {
                others.append(assignment)
            }
        }
        var result = sensitive + others.prefix(max(0, maximumCategories - sensitive.count))
        result.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        return result
    }
}

/// Collects lexicon entries, merging an entry named by several categories into one.
struct EntryBuilder {
    var entries: [CategoryClassifier.Entry] = []
    var byFirstTerm: [String: [Int32]] = [:]
    var numberOf: [[String]: Int32] = [:]

    mutating func add(_ terms: [String], text: String, category: Int32, weight: Float) {
        guard let first = terms.first else { return }
        if let existing = numberOf[terms] {
            if !entries[Int(existing)].texts.contains(text) { entries[Int(existing)].texts.append(text) }
            if let at = entries[Int(existing)].categories.firstIndex(where: { $0.category == category }) {
                entries[Int(existing)].categories[at].weight = max(entries[Int(existing)].categories[at].weight, weight)
            } else {
                entries[Int(existing)].categories.append((category, weight))
            }
            return
        }
        numberOf[terms] = Int32(entries.count)
        byFirstTerm[first, default: []].append(Int32(entries.count))
        entries.append(.init(terms: terms, key: terms.joined(separator: " "), texts: [text], categories: [(category, weight)]))
    }
}
