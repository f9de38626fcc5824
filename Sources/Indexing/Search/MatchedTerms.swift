public import SelectionCore

extension CatalogIndex {
    /// The query terms each of `documents` contains, with their BM25 contributions, strongest
    /// first (ties by term).
    public func matchedTerms(_ query: [WeightedTerm], documents: [Int]) -> [[MatchedTerm]] {
        let prepared = prepare(query, model: .bm25)
        return matchedTerms(prepared, documents: documents, table: postingTable(prepared, documents: documents))
    }

    /// The same from a posting table of `prepared`'s terms (prepared for either model: their
    /// weights and idfs are the same, only their order differs).
    func matchedTerms(_ prepared: PreparedQuery, documents: [Int], table: [Int32]) -> [[MatchedTerm]] {
        let width = prepared.terms.count
        // Each query term's text made once, not once per item that has it.
        let names = prepared.terms.map { terms[$0.id] }
        return documents.enumerated().map { row, document in
            var matched: [MatchedTerm] = []
            for (column, term) in prepared.terms.enumerated() {
                let posting = Int(table[row * width + column])
                guard posting >= 0 else { continue }
                let weight = primaryContribution(term, posting: posting, document: document,
                                                 queryNorm: prepared.queryNorm, model: .bm25)
                matched.append(MatchedTerm(term: names[column], weight: weight))
            }
            return matched.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
        }
    }
}
