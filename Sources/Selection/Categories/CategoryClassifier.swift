public import TextAnalysis

/// Classifies a page into IAB categories by curated term lexicons (`Catalog/lexicons.tsv`),
/// matched through the same analyzer as everything else.
///
/// Evidence for a category is the field-weighted count of its entries on the page (title 3,
/// description and headings 2, body and meta keywords 1, alt and link text 0.5). Its score is
/// `e / (e + L / 50 + 3)` for evidence e and field-weighted page length L: a few mentions on a
/// short page count, the same few in a long page about something else do not. A category is
/// assigned when its score reaches ``minimumScore`` from at least ``minimumEntries`` distinct
/// entries, or from one entry repeated up to ``singleEntryEvidence`` (a page that says "Bible"
/// in its title and twice more is about the Bible); a page is sensitive when a sensitive
/// category is assigned.
public struct CategoryClassifier: Sendable {
    public let taxonomy: Taxonomy
    /// Entries: category and analysed terms (one term, or a phrase of adjacent terms).
    let entries: [(category: String, terms: [String])]
    /// First term → entries starting with it.
    let byFirstTerm: [String: [Int]]
    public var minimumScore = 0.4
    public var minimumEntries = 2
    public var singleEntryEvidence = 5.0
    public var maximumCategories = 5

    static let fieldWeights: [Field: Double] = [
        .title: 3, .description: 2, .headings: 2, .body: 1, .keywords: 1, .imageAlt: 0.5, .linkText: 0.5,
    ]

    /// - Throws: ``TaxonomyError`` for a lexicon line naming a category the taxonomy lacks.
    public init(taxonomy: Taxonomy, lexicons text: String, analyzer: Analyzer = Analyzer()) throws {
        self.taxonomy = taxonomy
        var entries: [(String, [String])] = []
        var byFirst: [String: [Int]] = [:]
        let scratch = AnalysisScratch()
        for (offset, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { throw TaxonomyError(line: offset + 1, message: "lexicon line needs an id, a tab and entries") }
            let id = String(parts[0])
            guard taxonomy.categories[id] != nil else {
                throw TaxonomyError(line: offset + 1, message: "lexicon names category \(id), which the taxonomy lacks")
            }
            for entry in parts[1].split(separator: ",") {
                let terms = analyzer.tokens(in: String(entry), language: "en", scratch: scratch).map(\.term)
                guard let first = terms.first else { continue }
                byFirst[first, default: []].append(entries.count)
                entries.append((id, terms))
            }
        }
        self.entries = entries
        self.byFirstTerm = byFirst
    }

    /// One category assigned to a page.
    public struct Assignment: Hashable, Sendable {
        public var id: String
        public var name: String
        public var score: Double
        public var isSensitive: Bool
        /// The distinct lexicon entries found, for explanations.
        public var matchedEntries: [String]
    }

    /// The page's categories, best first (ties by id).
    public func classify(_ analyzed: AnalyzedText) -> [Assignment] {
        let tokens = analyzed.tokens
        var evidence: [String: Double] = [:]
        var matched: [String: Set<Int>] = [:]
        var length = 0.0
        for (index, token) in tokens.enumerated() {
            let weight = Self.fieldWeights[token.field] ?? 1
            length += weight
            guard let candidates = byFirstTerm[token.term] else { continue }
            for entryIndex in candidates {
                let entry = entries[entryIndex]
                var matches = true
                for offset in entry.terms.indices.dropFirst() {
                    let next = index + offset
                    // Adjacent words of the page (stop words between them allowed, as in the entry).
                    guard next < tokens.count, tokens[next].term == entry.terms[offset],
                          tokens[next].position - tokens[next - 1].position <= 3 else { matches = false; break }
                }
                guard matches else { continue }
                evidence[entry.category, default: 0] += weight
                matched[entry.category, default: []].insert(entryIndex)
            }
        }
        var assignments: [Assignment] = []
        for (id, value) in evidence {
            let distinct = matched[id]?.count ?? 0
            let score = value / (value + length / 50 + 3)
            guard distinct >= minimumEntries || value >= singleEntryEvidence, score >= minimumScore,
                  let category = taxonomy.categories[id] else { continue }
            let names = (matched[id] ?? []).sorted().map { entries[$0].terms.joined(separator: " ") }
            assignments.append(Assignment(id: id, name: category.name, score: score, isSensitive: category.isSensitive,
                                          matchedEntries: names))
        }
        assignments.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        // Sensitive assignments are never cut off by the limit: they decide what may be shown.
        let sensitive = assignments.filter(\.isSensitive)
        var kept = Array(assignments.prefix(maximumCategories))
        for assignment in sensitive where !kept.contains(assignment) { kept.append(assignment) }
        return kept
    }
}
