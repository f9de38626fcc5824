/// What one visit has shown so far, held by the client between requests. Nothing in it names
/// the visitor: no id, no URL, no page text; two visits with the same pages give the same token.
public struct SessionState: Hashable, Sendable {
    /// Unix seconds when the visit's first request was answered.
    public var visitStart: Int64
    /// Unix seconds when this state was last updated (the token's issue time).
    public var updatedAt: Int64
    /// Decayed topic terms of the visit's pages, strongest first.
    public var terms: [Topic]
    /// Items shown during the visit, most recent last.
    public var shown: [ShownItem]

    public struct Topic: Hashable, Sendable {
        public var term: String
        public var weight: Double
        public init(term: String, weight: Double) {
            self.term = term
            self.weight = weight
        }
    }

    public struct ShownItem: Hashable, Sendable {
        public var id: String
        public var count: Int
        public var lastShown: Int64
        public init(id: String, count: Int, lastShown: Int64) {
            self.id = id
            self.count = count
            self.lastShown = lastShown
        }
    }

    public init(visitStart: Int64, updatedAt: Int64? = nil, terms: [Topic] = [], shown: [ShownItem] = []) {
        self.visitStart = visitStart
        self.updatedAt = updatedAt ?? visitStart
        self.terms = terms
        self.shown = shown
    }

    /// The most a topic term weighs after folding: a term read on many pages stays one term.
    public static let maximumTermWeight = 4.0

    /// Rules for folding a page into the state.
    public struct Folding: Hashable, Sendable {
        /// A term's weight halves every this many seconds: the visit's recent pages count most.
        public var halfLife: Double = 600
        /// Topic terms kept at most: the token stays small and says little.
        public var maximumTerms = 12
        /// Terms decayed below this weight are forgotten.
        public var minimumWeight = 0.05
        /// Terms of one page folded in at most.
        public var termsPerPage = 6
        public init() {}
    }

    /// How many times `id` was shown in this visit.
    public func timesShown(_ id: String) -> Int { shown.first { $0.id == id }?.count ?? 0 }

    /// Decays the terms to `now`, adds `pageTerms` (the page's strongest keywords with their
    /// weights), and keeps the strongest. A sensitive page must not be folded: call with none.
    public mutating func fold(pageTerms: [Topic], now: Int64, rules: Folding = Folding()) {
        let elapsed = Double(max(0, now.subtractingSaturated(updatedAt)))
        let decay = elapsed == 0 ? 1 : pow2(-elapsed / rules.halfLife)
        var weights: [String: Double] = [:]
        var order: [String] = []
        for topic in terms {
            if weights[topic.term] == nil { order.append(topic.term) }
            weights[topic.term, default: 0] += topic.weight * decay
        }
        for topic in pageTerms.prefix(rules.termsPerPage) {
            if weights[topic.term] == nil { order.append(topic.term) }
            weights[topic.term, default: 0] += topic.weight
        }
        terms = order.compactMap { term in
            let weight = min(weights[term]!, Self.maximumTermWeight)
            return weight >= rules.minimumWeight ? Topic(term: term, weight: weight) : nil
        }
        .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
        terms = Array(terms.prefix(rules.maximumTerms))
        updatedAt = max(updatedAt, now)
    }

    /// Records that `ids` were shown at `now`.
    public mutating func recordShown(_ ids: [String], now: Int64) {
        for id in ids {
            if let index = shown.firstIndex(where: { $0.id == id }) {
                var item = shown.remove(at: index)
                item.count = item.count == .max ? .max : item.count + 1
                item.lastShown = now
                shown.append(item)
            } else {
                shown.append(ShownItem(id: id, count: 1, lastShown: now))
            }
        }
        updatedAt = max(updatedAt, now)
    }
}

/// 2^x without Foundation.
func pow2(_ x: Double) -> Double {
    // exp2 via repeated squaring is overkill here: the C library's exp is enough.
    expBase2(x)
}

#if canImport(Glibc)
import Glibc
func expBase2(_ x: Double) -> Double { exp2(x) }
#elseif canImport(Darwin)
import Darwin
func expBase2(_ x: Double) -> Double { exp2(x) }
#endif
