public import SelectionCore
public import TextAnalysis
public import Indexing

/// The engine: page → keywords → retrieval → eligibility → ranking → filled slots, with the why.
///
/// Build it once; it is immutable and `Sendable`, so any number of tasks may call
/// ``select(_:)`` at once. Nothing is written or kept between requests.
///
///     let engine = try SelectionEngine(catalog: items)
///     let response = try engine.select(SelectionRequest(page: .init(title: "Trail running")))
public struct SelectionEngine: Sendable {
    public let index: CatalogIndex
    public let analyzer: Analyzer
    public let keywordExtractor: KeywordExtractor
    public let ranker: any Ranker
    /// Candidates retrieved for the rankers to order: enough for re-ranking by priority or an
    /// external model to matter, few enough to stay cheap.
    public var candidatePoolSize: Int
    public static let defaultCandidatePoolSize = 200

    /// Per item position: its negative keywords, each as analysed terms.
    let negativeTerms: [[[String]]]
    /// Item positions by priority descending, then weight descending, then id (for consent `none`).
    let priorityOrder: [Int]

    public init(index: CatalogIndex, ranker: any Ranker = BM25Ranker(), analyzer: Analyzer = Analyzer(),
                keywordExtractor: KeywordExtractor = KeywordExtractor(),
                candidatePoolSize: Int = SelectionEngine.defaultCandidatePoolSize) {
        self.index = index
        self.ranker = ranker
        self.analyzer = analyzer
        self.keywordExtractor = keywordExtractor
        self.candidatePoolSize = candidatePoolSize
        let scratch = AnalysisScratch()
        negativeTerms = index.items.map { item in
            item.negativeKeywords.map { analyzer.tokens(in: $0, language: item.languages.first, scratch: scratch).map(\.term) }
                .filter { !$0.isEmpty }
        }
        priorityOrder = index.items.indices.sorted { a, b in
            let x = index.items[a], y = index.items[b]
            if x.priority != y.priority { return x.priority > y.priority }
            if x.weight != y.weight { return x.weight > y.weight }
            return a < b
        }
    }

    /// Builds the index from `catalog` and the engine on it.
    public init(catalog: [CatalogItem], corpusStatistics: CorpusStatistics = CorpusStatistics(),
                ranker: any Ranker = BM25Ranker(), analyzer: Analyzer = Analyzer(), threads: Int = 1) throws {
        let index = try IndexBuilder(analyzer: analyzer).build(catalog, corpusStatistics: corpusStatistics, threads: threads)
        self.init(index: index, ranker: ranker, analyzer: analyzer)
    }

    // MARK: Keywords

    /// What the engine reads from a page: its fields, its analysed terms and its keywords.
    public struct PageReading: Sendable {
        public var fields: PageFields
        public var analyzed: AnalyzedText
        public var declared: [[String]]
        public var keywords: [Keyword]
    }

    /// Reads `page`: HTML or text to fields, fields to terms, terms to keywords.
    public func read(_ page: SelectionRequest.Page, scratch: AnalysisScratch = AnalysisScratch()) -> PageReading {
        var fields: PageFields
        if let html = page.html {
            fields = HTMLTextExtractor().extract(html)
            if let title = page.title, !title.isEmpty { fields.replaceTitle(with: title) }
        } else {
            fields = .plainText(page.text ?? "", title: page.title)
        }
        let analyzed = analyzer.analyze(fields, language: page.lang ?? fields.language, scratch: scratch)
        let declared = page.keywords.map { analyzer.tokens(in: $0, language: analyzed.language, scratch: scratch).map(\.term) }
        let keywords = keywordExtractor.extract(from: analyzed, declared: declared, statistics: index.keywordStatistics)
        return PageReading(fields: fields, analyzed: analyzed, declared: declared, keywords: keywords)
    }

    // MARK: Selection

    /// Answers one request.
    /// - Throws: ``RequestError`` with code `ranker_failed` when a ranker fails.
    public func select(_ request: SelectionRequest, scratch: AnalysisScratch = AnalysisScratch()) throws(RequestError)
        -> SelectionResponse {
        var receipt = PrivacyReceipt(requested: request.consent.level)
        if request.consent.level == .session {
            if request.consent.gpc || request.consent.dnt {
                receipt.apply(.context, reason: request.consent.gpc
                    ? "Global Privacy Control caps consent at context"
                    : "Do Not Track caps consent at context")
            } else {
                receipt.apply(.context, reason: "session signals are not supported by this version; the page alone was used")
            }
        } else {
            receipt.apply(request.consent.level, reason: request.consent.level == .none
                ? "consent level none: items in priority order, nothing read from the page"
                : "default: the page only")
        }
        let limit = request.slots.reduce(0) { $0 + $1.count }
        let allowedKinds: Set<ItemKind>? = request.slots.contains { $0.kinds.isEmpty }
            ? nil : Set(request.slots.flatMap(\.kinds))

        var ranked: [Candidate]
        var keywords: [Keyword] = []
        var query: [WeightedTerm] = []
        if receipt.applied == .none {
            ranked = priorityCandidates(allowedKinds: allowedKinds, limit: limit)
        } else {
            let (reading, candidates) = try rank(request.page, limit: limit, kinds: allowedKinds, requestID: request.id,
                                                 scratch: scratch)
            keywords = reading.keywords
            query = WeightedTerm.from(keywords)
            receipt.used = usedSignals(request.page, reading)
            ranked = candidates
        }

        var used: Set<ItemID> = []
        var slots: [SelectionResponse.FilledSlot] = []
        for slot in request.slots {
            var items: [SelectionResponse.SelectedItem] = []
            for candidate in ranked where items.count < slot.count && !used.contains(candidate.item.id) {
                guard slot.kinds.isEmpty || slot.kinds.contains(candidate.item.kind) else { continue }
                used.insert(candidate.item.id)
                var relevance: Explanation?
                if request.explain, !query.isEmpty, let position = index.position(of: candidate.item.id) {
                    relevance = index.explain(query, document: position, model: ranker.retrievalModel).explanation
                }
                items.append(.init(candidate: candidate, relevanceExplanation: relevance))
            }
            slots.append(.init(id: slot.id, requested: slot.count, items: items))
        }
        return SelectionResponse(id: request.id, slots: slots, keywords: keywords, ranker: ranker.name, privacy: receipt)
    }

    /// Reads `page` and returns its ranked candidates: retrieval of at least `limit` (and at
    /// least the candidate pool), eligibility, then the ranker chain. The stage `select` and the
    /// evaluator share.
    public func rank(_ page: SelectionRequest.Page, limit: Int, kinds: Set<ItemKind>? = nil, requestID: String? = nil,
                     scratch: AnalysisScratch = AnalysisScratch()) throws(RequestError) -> (PageReading, [Candidate]) {
        let reading = read(page, scratch: scratch)
        let query = WeightedTerm.from(reading.keywords)
        var pageTerms = Set(reading.analyzed.tokens.map(\.term))
        for declared in reading.declared { pageTerms.formUnion(declared) }
        let language = reading.analyzed.language
        let found = index.search(query, model: ranker.retrievalModel, limit: max(candidatePoolSize, limit)) { document in
            isEligible(document, kinds: kinds, language: language, pageTerms: pageTerms)
        }
        let matched = index.matchedTerms(query, documents: found.map(\.document))
        let candidates = zip(found, matched).map { scored, terms in
            Candidate(item: index.items[scored.document], score: scored.score, relevance: scored.relevance,
                      matchedTerms: terms,
                      explanation: Explanation(scored.score, "retrieval: \(ranker.retrievalModel.rawValue) relevance"))
        }
        let context = RankingContext(requestID: requestID, keywords: reading.keywords, language: language, limit: limit)
        do { return (reading, try ranker.rank(candidates, in: context)) } catch let error as RankerError {
            throw RequestError(.rankerFailed, error.description)
        } catch {
            throw RequestError(.rankerFailed, "\(ranker.name): \(error)")
        }
    }

    func isEligible(_ document: Int, kinds: Set<ItemKind>?, language: String, pageTerms: Set<String>) -> Bool {
        let item = index.items[document]
        if let kinds, !kinds.contains(item.kind) { return false }
        if !item.languages.isEmpty, !item.languages.contains(language) { return false }
        for negative in negativeTerms[document] where negative.allSatisfy(pageTerms.contains) { return false }
        return true
    }

    func priorityCandidates(allowedKinds: Set<ItemKind>?, limit: Int) -> [Candidate] {
        var candidates: [Candidate] = []
        for position in priorityOrder where candidates.count < max(limit, 1) * 4 {
            let item = index.items[position]
            if let allowedKinds, !allowedKinds.contains(item.kind) { continue }
            let score = Double(item.priority) / Double(CatalogItem.priorityRange.upperBound)
            candidates.append(Candidate(item: item, score: score, relevance: RelevanceScores(bm25: 0, cosine: 0),
                                        matchedTerms: [],
                                        explanation: Explanation(score, "consent none: score = priority / 10", [
                                            .constant("priority", Double(item.priority)),
                                        ])))
        }
        return candidates
    }

    func usedSignals(_ page: SelectionRequest.Page, _ reading: PageReading) -> [String] {
        var used: [String] = []
        if page.title?.isEmpty == false { used.append("page.title") }
        if page.html != nil { used.append("page.html") }
        if page.text != nil { used.append("page.text") }
        if !page.keywords.isEmpty { used.append("page.keywords") }
        if page.lang != nil { used.append("page.lang") }
        return used
    }
}

extension PageFields {
    /// Replaces the title with one the request gives.
    mutating func replaceTitle(with title: String) {
        var replaced = PageFields(language: language)
        replaced.append(TextSegment(text: title, rawStart: 0), to: .title)
        for field in Field.allCases where field != .title {
            for segment in segments[field] ?? [] { replaced.append(segment, to: field) }
        }
        self = replaced
    }
}
