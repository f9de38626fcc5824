import Foundation
public import SelectionCore
public import TextAnalysis
public import Indexing
public import SessionSignals

/// Candidates dropped by eligibility or by the advertiser limit, for `"explain": true`.
struct DroppedList {
    let limit: Int
    var entries: [SelectionResponse.DroppedCandidate] = []
    var total = 0
    private var seen: Set<ItemID> = []

    init(limit: Int) { self.limit = limit }

    /// Items of a kind no slot takes are not listed: they were never candidates for this page.
    mutating func add(_ id: ItemID, _ reason: String) {
        guard limit > 0, reason != "kind", seen.insert(id).inserted else { return }
        total += 1
        if entries.count < limit { entries.append(.init(id: id, reason: reason)) }
    }
}

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
    /// Seals and opens session tokens; nil means this deployment offers no session consent.
    public var sessionCodec: SessionTokenCodec?
    /// How much the visit's topic terms weigh in the query, relative to the page's keywords.
    public var sessionQueryWeight = 0.5
    /// Assigns page categories and decides which pages are sensitive; nil: no classification.
    public var classifier: CategoryClassifier?
    /// Sensitive categories the deployer allows items to target (e.g. a health publisher's).
    public var allowedSensitiveCategories: Set<String> = []
    /// An item matching one of a visitor's include_topics scores this much more (0.5: × 1.5).
    public var preferenceBoost = 0.5

    /// The eligibility filters every candidate passes, in order; append your own.
    public var filters: [any EligibilityFilter]
    /// The relevance floor: a retrieved item is shown only when its coverage by the page
    /// (``RelevanceScores/coverage``: the share of the item's TF-IDF weight in terms the page has,
    /// each counted by the page's weight for it) reaches it. An ad that shares one common word with
    /// a page about something else covers little of itself. Below the floor a candidate is dropped (`below_relevance_floor`) and the slot
    /// goes to the next tier or stays empty. The default was chosen on Cranfield (README,
    /// "Relevance floor"); a request's `relevance_floor` overrides it.
    public var relevanceFloor = SelectionEngine.defaultRelevanceFloor
    public static let defaultRelevanceFloor = 0.08

    /// What the relevance floor is compared with: the item's coverage by the page, discounted by
    /// `m / (m + 2)` for its m matched terms, since one shared word proves little (⅓), two
    /// somewhat more (½), five most of what they cover (⁵⁄₇).
    public static func fit(_ coverage: Double, matchedTerms m: Int) -> Double {
        coverage * Double(m) / Double(m + 2)
    }

    /// Dropped candidates listed at most, with `"explain": true`.
    public static let droppedListLimit = 50
    /// Item positions by priority descending, then weight descending, then id (for consent `none`).
    let priorityOrder: [Int]
    /// The house items' positions in ``priorityOrder``'s order: what an unfilled slot falls back
    /// to, found without a walk over the whole catalog.
    let housePriorityOrder: [Int]
    /// Whether any item has categories: without, the sensitive-targeting check refuses none.
    let itemsHaveCategories: Bool
    /// Whether any item may appear on a sensitive page: without, a sensitive page needs no search.
    let anyItemSensitiveOK: Bool

    public init(index: CatalogIndex, ranker: any Ranker = BM25Ranker(), analyzer: Analyzer = Analyzer(),
                keywordExtractor: KeywordExtractor = KeywordExtractor(),
                candidatePoolSize: Int = SelectionEngine.defaultCandidatePoolSize) {
        self.index = index
        self.ranker = ranker
        self.analyzer = analyzer
        self.keywordExtractor = keywordExtractor
        self.candidatePoolSize = candidatePoolSize
        filters = [
            KindFilter(), ScheduleFilter(items: index.items), LanguageFilter(items: index.items),
            KeywordRuleFilter(items: index.items, analyzer: analyzer),
            NegativeKeywordFilter(items: index.items, analyzer: analyzer),
            BlockedPageCategoryFilter(), PublisherBlockFilter(), SensitivePageFilter(),
            VisitorExclusionFilter(), FrequencyCapFilter(items: index.items),
        ]
        priorityOrder = index.items.indices.sorted { a, b in
            let x = index.items[a], y = index.items[b]
            if x.priority != y.priority { return x.priority > y.priority }
            if x.weight != y.weight { return x.weight > y.weight }
            return a < b
        }
        housePriorityOrder = priorityOrder.filter { index.items[$0].kind == .house }
        itemsHaveCategories = index.items.contains { !$0.categories.isEmpty }
        anyItemSensitiveOK = index.items.contains(where: \.sensitiveOK)
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
        /// The language the page was analysed in, and where it came from.
        public var language: PageLanguage

        /// Every term of the page and of its declared keywords (what keyword rules test).
        public var pageTerms: Set<String> {
            // The distinct terms, when they still describe the tokens: a few hundred strings to
            // hash instead of one per token.
            var terms = Set(analyzed.termIndexesAreCurrent ? analyzed.distinctTerms : analyzed.tokens.map(\.term))
            for declaration in declared { terms.formUnion(declaration) }
            return terms
        }
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
        let (analyzed, language) = analyzer.analyzeInItsLanguage(fields, declared: page.lang ?? fields.language, scratch: scratch)
        let declared = page.keywords.map { analyzer.tokens(in: $0, language: analyzed.language, scratch: scratch).map(\.term) }
        let keywords = keywordExtractor.extract(from: analyzed, declared: declared,
                                                statistics: index.keywordStatistics(for: analyzed.language), scratch: scratch)
        return PageReading(fields: fields, analyzed: analyzed, declared: declared, keywords: keywords, language: language)
    }

    // MARK: Selection

    /// Answers one request, each step a function below:
    ///
    ///     start (time, consent, ranker, eligibility context)
    ///       ─► consent none: candidatesByPriority
    ///       ─► else: readPage (keywords, categories, sensitive) ─► candidatesForPage (query,
    ///          retrieval, eligibility, relevance floor, ranker chain, preferences)
    ///       ─► fill (priority tiers in order, no item twice, an advertiser limit, house items
    ///          when nothing eligible is left) ─► respond (receipt, next session token)
    ///
    /// - Throws: ``RequestError``: `invalid_value` for a blocked category outside the taxonomy
    ///   or an unknown ranker, `ranker_failed` when a ranker fails.
    public func select(_ request: SelectionRequest, scratch: AnalysisScratch = AnalysisScratch()) throws(RequestError)
        -> SelectionResponse {
        try checkBlockedCategories(request)
        var run = try start(request)
        if run.receipt.applied == .none {
            candidatesByPriority(&run)
        } else {
            readPage(&run, scratch: scratch)
            try candidatesForPage(&run, scratch: scratch)
        }
        if !request.blockedCategories.isEmpty || !request.blockedAdvertisers.isEmpty {
            run.receipt.used.append("blocked_categories/advertisers (publisher)")
        }
        let slots = fill(request, ranked: run.ranked, query: run.query, model: run.ranker.retrievalModel, context: run.context,
                         dropped: &run.dropped)
        return respond(run, slots: slots)
    }

    /// What one request's selection builds up, step by step (``select(_:scratch:)``).
    struct SelectionRun {
        let request: SelectionRequest
        let now: Int64
        var receipt: PrivacyReceipt
        /// The visit, when session consent applies and the token opened.
        let session: SessionState?
        let ranker: any Ranker
        let limit: Int
        var context: EligibilityContext
        var dropped: DroppedList
        var reading: PageReading?
        var categories: [CategoryClassifier.Assignment] = []
        /// Set when the page's language is not the classifier's.
        var categoriesNote: String?
        var query: [WeightedTerm] = []
        var ranked: [Candidate] = []
    }

    /// Every id in `blocked_categories` must be the taxonomy's, when one is loaded.
    func checkBlockedCategories(_ request: SelectionRequest) throws(RequestError) {
        guard let taxonomy = classifier?.taxonomy else { return }
        for (index, id) in request.blockedCategories.enumerated() where taxonomy.categories[id] == nil {
            throw RequestError(.invalidValue, "not an IAB Content Taxonomy 3.1 id", field: "blocked_categories[\(index)]")
        }
    }

    /// The request's time, the consent that applies (and the visit it opens), its ranker, and
    /// the eligibility context every candidate will be asked against.
    func start(_ request: SelectionRequest) throws(RequestError) -> SelectionRun {
        let now = request.now.flatMap { unixSeconds(iso8601: $0) } ?? Int64(Date().timeIntervalSince1970)
        var receipt = PrivacyReceipt(requested: request.consent.level)
        let session = applyConsent(request, now: now, receipt: &receipt)
        let allowedKinds: Set<ItemKind>? = request.slots.contains { $0.kinds.isEmpty }
            ? nil : Set(request.slots.flatMap(\.kinds))
        let ranker: any Ranker
        if let name = request.ranker {
            do { ranker = try RankerRegistry.make(name) } catch { throw RequestError(.invalidValue, "\(error)", field: "ranker") }
        } else {
            ranker = self.ranker
        }
        let context = EligibilityContext(now: now, kinds: allowedKinds, blockedCategories: Set(request.blockedCategories),
                                         blockedAdvertisers: Set(request.blockedAdvertisers),
                                         timesShown: session.map { Dictionary($0.shown.map { ($0.id, $0.count) }, uniquingKeysWith: max) } ?? [:],
                                         noRepeat: request.noRepeat)
        return SelectionRun(request: request, now: now, receipt: receipt, session: session, ranker: ranker,
                            limit: request.slots.reduce(0) { $0 + $1.count }, context: context,
                            dropped: DroppedList(limit: request.explain ? Self.droppedListLimit : 0))
    }

    /// Consent `none`: eligible items by priority alone; the page, session and preferences unread.
    func candidatesByPriority(_ run: inout SelectionRun) {
        let asked = filters(for: run.context)
        let context = run.context
        run.ranked = priorityCandidates(limit: run.limit) { admits($0, context, &run.dropped, asking: asked) }
        let request = run.request
        for field in ["preferences", "session"] where field == "session" ? request.session != nil
            : !(request.preferences.includeTopics.isEmpty && request.preferences.excludeTopics.isEmpty) {
            run.receipt.ignored.append(.init(field: field, reason: "consent level none: nothing but priority is used"))
        }
    }

    /// The page's categories, or nil without a classifier or when the page is analysed in a
    /// language other than its lexicons': English entries on other text match by coincidence
    /// (on Debian's translated package descriptions, 2 to 8 times as many pages flagged as their
    /// English originals, few of them the same; README "Every language").
    func categories(of reading: PageReading) -> [CategoryClassifier.Assignment]? {
        guard let classifier, reading.analyzed.language == CategoryClassifier.lexiconLanguage else { return nil }
        return classifier.classify(reading.analyzed)
    }

    /// The page's reading: keywords, categories, and whether it is sensitive.
    func readPage(_ run: inout SelectionRun, scratch: AnalysisScratch) {
        let page = read(run.request.page, scratch: scratch)
        run.reading = page
        if let categories = categories(of: page) {
            run.categories = categories
            run.receipt.sensitive = categories.contains(where: \.isSensitive)
        } else if classifier != nil {
            run.categoriesNote = "categories and sensitive topics are not computed for \(page.analyzed.language): "
                + "the classifier's lexicons are \(CategoryClassifier.lexiconLanguage)"
        }
        run.context.language = page.language.code
        run.context.pageTerms = page.pageTerms
        run.context.pageCategories = Set(run.categories.map(\.id))
        run.context.pageIsSensitive = run.receipt.sensitive ?? false
    }

    /// The query (page keywords, and the visit's terms with session consent), retrieval,
    /// eligibility, the floor and the ranker chain, then the visitor's preferences; the receipt
    /// lists what was used.
    func candidatesForPage(_ run: inout SelectionRun, scratch: AnalysisScratch) throws(RequestError) {
        guard let page = run.reading else { return }
        let request = run.request
        var extra: [WeightedTerm] = []
        if let session = run.session, !session.terms.isEmpty {
            extra += session.terms.map { WeightedTerm($0.term, weight: $0.weight * sessionQueryWeight) }
        }
        let preferences = preferenceTerms(request.preferences, scratch: scratch)
        let excluded = matcher(request.preferences.excludeTopics, terms: preferences.exclude)
        let included = matcher(request.preferences.includeTopics, terms: preferences.include)
        if !request.preferences.excludeTopics.isEmpty {
            let index = index
            run.context.excludedByVisitor = { item in index.position(of: item.id).map(excluded) ?? false }
        }
        run.query = WeightedTerm.from(page.keywords) + extra
        run.ranked = try rank(page, query: run.query, limit: run.limit, ranker: run.ranker, requestID: request.id,
                              seed: seed(for: request), eligibility: run.context, floor: request.relevanceFloor ?? relevanceFloor,
                              dropped: &run.dropped)
        run.receipt.used = usedSignals(request.page, page)
        if let session = run.session, !session.terms.isEmpty { run.receipt.used.append("session.terms") }
        if run.session.map({ !$0.shown.isEmpty }) ?? false { run.receipt.used.append("session.shown") }
        if !request.preferences.includeTopics.isEmpty { run.receipt.used.append("preferences.include_topics") }
        if !request.preferences.excludeTopics.isEmpty { run.receipt.used.append("preferences.exclude_topics") }
        if !request.preferences.includeTopics.isEmpty { run.ranked = boost(run.ranked, matching: included) }
    }

    /// The response: filled slots, the page's reading, the receipt, and the next session token
    /// (a sensitive page adds nothing to the visit: the token goes back unchanged).
    func respond(_ run: SelectionRun, slots: [SelectionResponse.FilledSlot]) -> SelectionResponse {
        let request = run.request
        var response = SelectionResponse(id: request.id, slots: slots, keywords: run.reading?.keywords ?? [],
                                         ranker: run.ranker.name, privacy: run.receipt)
        response.categories = run.categories.map {
            .init(id: $0.id, name: $0.name, score: $0.score,
                  evidence: request.explain ? $0.evidence.map { .init(text: $0.text, weight: $0.weight) } : nil)
        }
        response.sensitive = run.receipt.sensitive
        response.language = run.reading?.language
        response.categoriesNote = run.categoriesNote
        if request.explain { response.dropped = run.dropped.entries; response.droppedTotal = run.dropped.total }
        if let session = run.session, run.receipt.applied == .session, let sessionCodec, run.receipt.sensitive == true {
            response.session = sessionCodec.seal(session)
        } else if var session = run.session, run.receipt.applied == .session, let sessionCodec {
            let pageTerms = (run.reading?.keywords ?? []).filter { !$0.isPhrase }
                .map { SessionState.Topic(term: $0.term, weight: $0.weight) }
            session.fold(pageTerms: pageTerms, now: run.now)
            session.recordShown(slots.flatMap { $0.items.map(\.candidate.item.id) }, now: run.now)
            response.session = sessionCodec.seal(session)
        }
        return response
    }

    /// The filters that may refuse some item under `context`, in order: the others are not
    /// asked about each candidate of the request.
    func filters(for context: EligibilityContext) -> [any EligibilityFilter] {
        filters.filter { !$0.admitsEveryItem(in: context) }
    }

    /// Whether ``admits(_:_:_:asking:)`` would let every item through: no filter to ask, and no
    /// item with categories for its sensitive-targeting check.
    func admitsEveryItem(asking asked: [any EligibilityFilter]) -> Bool {
        asked.isEmpty && (classifier == nil || !itemsHaveCategories)
    }

    /// Runs `asked` (``filters(for:)`` of `context`) in order; the first that refuses an item is
    /// recorded as the reason.
    func admits(_ item: CatalogItem, _ context: EligibilityContext, _ dropped: inout DroppedList,
                asking asked: [any EligibilityFilter]) -> Bool {
        for filter in asked where !filter.admits(item, in: context) {
            dropped.add(item.id, filter.name)
            return false
        }
        if let taxonomy = classifier?.taxonomy,
           item.categories.contains(where: { taxonomy.isSensitive($0) && !allowedSensitiveCategories.contains($0) }) {
            dropped.add(item.id, "sensitive_targeting")
            return false
        }
        return true
    }

    /// Fills the slots in request order from `ranked` (stable-sorted by tier), no item twice, at
    /// most `maxPerAdvertiser` items per advertiser, then house items for what is left.
    func fill(_ request: SelectionRequest, ranked: [Candidate], query: [WeightedTerm], model: RetrievalModel,
              context: EligibilityContext, dropped: inout DroppedList) -> [SelectionResponse.FilledSlot] {
        let ordered = ranked.enumerated().sorted { a, b in
            a.element.item.tier != b.element.item.tier ? a.element.item.tier < b.element.item.tier : a.offset < b.offset
        }.map(\.element)
        var used: Set<ItemID> = []
        var perAdvertiser: [String: Int] = [:]
        var slots: [SelectionResponse.FilledSlot] = []
        // The query resolved against the index once, for every item explained.
        var explainer: RelevanceExplainer?
        func take(_ candidate: Candidate, fallback: Bool, into items: inout [SelectionResponse.SelectedItem]) {
            used.insert(candidate.item.id)
            if let advertiser = candidate.item.advertiser { perAdvertiser[advertiser, default: 0] += 1 }
            var relevance: Explanation?
            if request.explain, !query.isEmpty, let position = index.position(of: candidate.item.id) {
                if explainer == nil { explainer = index.explainer(for: query, model: model) }
                relevance = explainer?.explain(document: position).explanation
            }
            items.append(.init(candidate: candidate, relevanceExplanation: relevance, isFallback: fallback))
        }
        func advertiserFull(_ item: CatalogItem) -> Bool {
            guard request.maxPerAdvertiser > 0, let advertiser = item.advertiser else { return false }
            return perAdvertiser[advertiser, default: 0] >= request.maxPerAdvertiser
        }
        for slot in request.slots {
            var items: [SelectionResponse.SelectedItem] = []
            for candidate in ordered where items.count < slot.count && !used.contains(candidate.item.id) {
                guard slot.kinds.isEmpty || slot.kinds.contains(candidate.item.kind) else { continue }
                if advertiserFull(candidate.item) { dropped.add(candidate.item.id, "advertiser_limit"); continue }
                take(candidate, fallback: false, into: &items)
            }
            // Nothing eligible left for the page: house items, by priority, still under every filter.
            if items.count < slot.count, slot.kinds.isEmpty || slot.kinds.contains(.house) {
                var houseContext = context
                houseContext.kinds = [.house]
                var ignored = DroppedList(limit: 0)
                let asked = filters(for: houseContext)
                for position in housePriorityOrder where items.count < slot.count {
                    let item = index.items[position]
                    guard !used.contains(item.id), admits(item, houseContext, &ignored, asking: asked)
                    else { continue }
                    let score = Double(item.priority) / Double(CatalogItem.priorityRange.upperBound)
                    take(Candidate(item: item, score: score, relevance: RelevanceScores(bm25: 0, cosine: 0), matchedTerms: [],
                                   explanation: Explanation(score, "fallback: a house item, nothing eligible matched the page; score = priority / 10")),
                         fallback: true, into: &items)
                }
            }
            slots.append(.init(id: slot.id, requested: slot.count, items: items))
        }
        return slots
    }

    /// A seed that depends on the request alone (id, page, slots and time), for lotteries.
    func seed(for request: SelectionRequest) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String?) {
            for byte in (text ?? "\u{0}").utf8 { hash ^= UInt64(byte); hash &*= 0x0000_0100_0000_01B3 }
            hash ^= 0xFF
            hash &*= 0x0000_0100_0000_01B3
        }
        mix(request.id); mix(request.page.title); mix(request.page.html); mix(request.page.text); mix(request.now)
        for slot in request.slots { mix(slot.id); mix(String(slot.count)) }
        return hash
    }

    /// Decides the consent level that applies, opening the session token when it may be read.
    func applyConsent(_ request: SelectionRequest, now: Int64, receipt: inout PrivacyReceipt) -> SessionState? {
        let token = request.session
        func ignoreToken(_ reason: String) {
            if token != nil { receipt.ignored.append(.init(field: "session", reason: reason)) }
        }
        switch request.consent.level {
        case .none:
            receipt.apply(.none, reason: "consent level none: items in priority order, nothing read from the page")
            return nil
        case .context:
            receipt.apply(.context, reason: "default: the page only")
            ignoreToken("consent level is context: the token was not read")
            return nil
        case .session:
            if request.consent.gpc || request.consent.dnt {
                let signal = request.consent.gpc ? "Global Privacy Control" : "Do Not Track"
                receipt.apply(.context, reason: "\(signal) caps consent at context")
                ignoreToken("\(signal) caps consent at context: the token was not read")
                return nil
            }
            guard let sessionCodec else {
                receipt.apply(.context, reason: "this deployment offers no session signals (no session key is set)")
                ignoreToken("no session key is set: the token was not read")
                return nil
            }
            guard let token else {
                receipt.apply(.session, reason: "opt-in: the page and this visit's session token (a new visit)")
                return SessionState(visitStart: now)
            }
            do {
                let state = try sessionCodec.open(token, now: now)
                receipt.apply(.session, reason: "opt-in: the page and this visit's session token")
                return state
            } catch {
                receipt.refused.append(.init(field: "session", reason: error.description))
                receipt.apply(.context, reason: "the session token was refused, so the page alone was used; send no token to start a new visit")
                return nil
            }
        }
    }

    /// A visitor's topics as analysed terms, one list per topic.
    func preferenceTerms(_ preferences: SelectionRequest.Preferences, scratch: AnalysisScratch)
        -> (include: [[String]], exclude: [[String]]) {
        (preferences.includeTopics.map { analyzer.tokens(in: $0, scratch: scratch).map(\.term) },
         preferences.excludeTopics.map { analyzer.tokens(in: $0, scratch: scratch).map(\.term) })
    }

    /// Scales the scores of candidates matching an include topic by 1 + ``preferenceBoost``.
    func boost(_ candidates: [Candidate], matching included: (Int) -> Bool) -> [Candidate] {
        candidates.map { candidate in
            guard let position = index.position(of: candidate.item.id), included(position) else { return candidate }
            var boosted = candidate
            boosted.score = candidate.score * (1 + preferenceBoost)
            boosted.explanation = Explanation(boosted.score, "preferences: score × (1 + boost), an include_topics match", [
                .constant("boost", preferenceBoost), candidate.explanation,
            ])
            return boosted
        }.sortedForSelection()
    }

    /// Whether an item matches one of `topics`: one of its categories is a topic (an IAB id),
    /// or it contains every word of a topic. Exclusion uses it as a hard filter.
    func matcher(_ topics: [String], terms: [[String]]) -> @Sendable (Int) -> Bool {
        let topics = Set(topics.map { $0.lowercased() })
        guard !topics.isEmpty else { return { _ in false } }
        return { document in
            let item = index.items[document]
            if item.categories.contains(where: { topics.contains($0.lowercased()) }) { return true }
            return terms.contains { words in !words.isEmpty && words.allSatisfy { index.contains($0, document: document) } }
        }
    }

    /// Reads `page` and returns its ranked candidates: retrieval of at least `limit` (and at
    /// least the candidate pool), eligibility, then the ranker chain. The evaluator uses it too.
    /// No relevance floor applies: this is a ranking to measure, not a choice of what to show.
    public func rank(_ page: SelectionRequest.Page, limit: Int, kinds: Set<ItemKind>? = nil, requestID: String? = nil,
                     scratch: AnalysisScratch = AnalysisScratch()) throws(RequestError) -> (PageReading, [Candidate]) {
        let reading = read(page, scratch: scratch)
        var context = EligibilityContext(now: Int64(Date().timeIntervalSince1970), language: reading.language.code,
                                         pageTerms: reading.pageTerms, kinds: kinds)
        context.pageCategories = Set(categories(of: reading)?.map(\.id) ?? [])
        var dropped = DroppedList(limit: 0)
        let ranked = try rank(reading, query: WeightedTerm.from(reading.keywords), limit: limit, ranker: ranker,
                              requestID: requestID, seed: 0, eligibility: context, floor: 0, dropped: &dropped)
        return (reading, ranked)
    }

    func rank(_ reading: PageReading, query: [WeightedTerm], limit: Int, ranker: any Ranker, requestID: String?,
              seed: UInt64, eligibility: EligibilityContext, floor: Double, dropped: inout DroppedList) throws(RequestError) -> [Candidate] {
        // Items are read in place, and the context is a constant here: a filter looks at a few
        // fields, and copying a whole item (or the context) for it costs more than the look.
        let asked = filters(for: eligibility)
        if eligibility.pageIsSensitive, !anyItemSensitiveOK {
            // No item may appear on a sensitive page, so none is searched for: a search that can
            // admit nothing cannot prune and would score every posting. `explain` still lists the
            // page's best matches with the filter that refuses each.
            if dropped.limit > 0 {
                let best = index.search(query, model: ranker.retrievalModel, limit: Self.droppedListLimit)
                for scored in best { _ = admits(index.items[scored.document], eligibility, &dropped, asking: asked) }
            }
            return []
        }
        // With nothing to ask, no candidate's item need be read (each read is a cache miss).
        let asksItems = !admitsEveryItem(asking: asked)
        let found = index.items.withUnsafeBufferPointer { items in
            index.searchWithMatchedTerms(query, model: ranker.retrievalModel, limit: max(candidatePoolSize, limit)) { document in
                !asksItems || admits(items[document], eligibility, &dropped, asking: asked)
            }
        }
        // One description shared by every candidate's explanation, not one string each.
        let retrieval = "retrieval: \(ranker.retrievalModel.rawValue) relevance"
        var candidates: [Candidate] = []
        candidates.reserveCapacity(found.count)
        for (scored, terms) in found {
            guard Self.fit(scored.relevance.coverage, matchedTerms: terms.count) >= floor else {
                dropped.add(index.items[scored.document].id, "below_relevance_floor")
                continue
            }
            candidates.append(Candidate(item: index.items[scored.document], score: scored.score, relevance: scored.relevance,
                                        matchedTerms: terms, explanation: Explanation(scored.score, retrieval)))
        }
        let context = RankingContext(requestID: requestID, keywords: reading.keywords, language: reading.language.code,
                                     limit: limit, seed: seed)
        do { return try ranker.rank(candidates, in: context) } catch let error as RankerError {
            throw RequestError(.rankerFailed, error.description)
        } catch {
            throw RequestError(.rankerFailed, "\(ranker.name): \(error)")
        }
    }

    /// Candidates by priority alone (consent `none`), eligible ones only.
    func priorityCandidates(limit: Int, admits: (CatalogItem) -> Bool) -> [Candidate] {
        var candidates: [Candidate] = []
        for position in priorityOrder where candidates.count < max(limit, 1) * 4 {
            let item = index.items[position]
            guard admits(item) else { continue }
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
        if reading.language.source == .detected { used.append("language detected from the page text") }
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
