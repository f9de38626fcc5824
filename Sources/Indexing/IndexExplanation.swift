public import SelectionCore

extension CatalogIndex {
    /// Why item `document` scores what it does for `query`: one child per matched term, each
    /// with the formula and its inputs, as Lucene and tantivy explain BM25.
    public func explain(_ query: [WeightedTerm], document: Int, model: RetrievalModel)
        -> (explanation: Explanation, matched: [MatchedTerm]) {
        explainer(for: query, model: model).explain(document: document)
    }

    /// An explainer of `query`'s scores, for explaining several items: the query is resolved
    /// against the index once, not once per item.
    public func explainer(for query: [WeightedTerm], model: RetrievalModel) -> RelevanceExplainer {
        RelevanceExplainer(index: self, prepared: prepare(query, model: model), model: model)
    }
}

/// Explains one query's scores item by item (see ``CatalogIndex/explain(_:document:model:)``).
public struct RelevanceExplainer: Sendable {
    let index: CatalogIndex
    let prepared: CatalogIndex.PreparedQuery
    let model: RetrievalModel

    /// Why item `document` scores what it does: one child per matched term, strongest first.
    public func explain(document: Int) -> (explanation: Explanation, matched: [MatchedTerm]) {
        index.explain(prepared, document: document, model: model)
    }
}

extension CatalogIndex {
    func explain(_ prepared: PreparedQuery, document: Int, model: RetrievalModel)
        -> (explanation: Explanation, matched: [MatchedTerm]) {
        let count = items.count
        var details: [Explanation] = []
        var matched: [MatchedTerm] = []
        var total = 0.0
        // Explain terms in query-weight order (then by term: numbers follow the terms' sorted
        // order) so the text reads strongest first.
        let ordered = prepared.terms.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.id < $1.id }
        for term in ordered {
            guard let posting = posting(ofTermID: term.id, in: document) else { continue }
            let frequency = postingFrequencies[posting]
            let df = postingStarts[term.id + 1] - postingStarts[term.id]
            let part = contribution(term, posting: posting, document: document, queryNorm: prepared.queryNorm)
            matched.append(MatchedTerm(term: terms[term.id], weight: part.bm25))
            let name = terms[term.id]
            switch model {
            case .bm25:
                total += part.bm25
                // The impact as the search adds it (a Float), so that the parts add up to the score exactly.
                let tfPart = Double(impact(posting: posting, document: document))
                details.append(Explanation(part.bm25, "weight(\(name)) = query weight × idf × tf", [
                    .constant("query weight (keyword weight)", term.weight),
                    Explanation(term.idfBM25, "idf = ln(1 + (N - n + 0.5) / (n + 0.5))", [
                        .constant("N, catalog items", Double(count)),
                        .constant("n, items containing the term", Double(df)),
                    ]),
                    Explanation(tfPart, "tf = f · (k1 + 1) / (f + k1 · (1 - b + b · dl / avgdl))", [
                        .constant("f, field-weighted frequency in the item", Double(frequency)),
                        .constant("k1", configuration.bm25.k1),
                        .constant("b", configuration.bm25.b),
                        .constant("dl, field-weighted item length", Double(itemLengths[document])),
                        .constant("avgdl, average item length", averageDocumentLength),
                    ]),
                ]))
            case .cosine:
                total += part.cosine
                details.append(Explanation(part.cosine,
                    "weight(\(name)) = (q · idf) · ((1 + ln f) · idf) / (|q| · |d|)", [
                    .constant("q, query weight", term.weight),
                    Explanation(term.idfTFIDF, "idf = ln((N + 1) / (n + 1)) + 1", [
                        .constant("N, catalog items", Double(count)),
                        .constant("n, items containing the term", Double(df)),
                    ]),
                    .constant("f, field-weighted frequency in the item", Double(frequency)),
                    .constant("|q|, query vector norm", prepared.queryNorm),
                    .constant("|d|, item vector norm", Double(documentNorms[document])),
                ]))
            }
        }
        let root = model == .bm25
            ? Explanation(total, "bm25 = sum of matched term weights", details)
            : Explanation(total, "tfidf cosine = sum of matched term weights", details)
        return (root, matched)
    }
}
