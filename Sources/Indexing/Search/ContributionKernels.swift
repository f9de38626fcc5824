// Scoring kernels, one per formula, inlined into the search loops. Invariant: a kernel's
// contribution equals ``CatalogIndex/primaryContribution`` for the same posting, to the bit.

/// One posting's contribution to a ranking score, from the posting and per-item arrays.
protocol ContributionKernel {
    func contribution(_ term: CatalogIndex.PreparedQuery.Term, posting: Int, document: Int) -> Double
}

/// BM25: `weight · idf · impact`, the impact `f · (k1 + 1) / (f + k1 · (1 - b + b · dl / avgdl))`
/// read from the table by the item's length number and the posting's frequency code, or, for
/// the rare frequency beyond the table, computed (``CatalogIndex/impact(posting:document:)``,
/// which gives the table's values too).
struct BM25Kernel<Number: FixedWidthInteger & UnsignedInteger>: ContributionKernel {
    let codes: UnsafeBufferPointer<UInt8>
    let lengthNumbers: UnsafeBufferPointer<Number>
    let table: UnsafeBufferPointer<Float>
    let lengthCount: Int
    let index: CatalogIndex

    @inline(__always)
    func contribution(_ term: CatalogIndex.PreparedQuery.Term, posting: Int, document: Int) -> Double {
        let code = Int(PostingFrequencies.code(codes, posting))
        let impact = code < BM25Impacts.columns
            ? table[BM25Impacts.slot(frequency: code, number: Int(lengthNumbers[document]), lengthCount: lengthCount)]
            : index.impact(posting: posting, document: document)
        return term.weight * term.idfBM25 * Double(impact)
    }
}

/// BM25 from the formula for every posting, for frequencies that are not whole numbers.
struct BM25FormulaKernel: ContributionKernel {
    let index: CatalogIndex

    @inline(__always)
    func contribution(_ term: CatalogIndex.PreparedQuery.Term, posting: Int, document: Int) -> Double {
        term.weight * term.idfBM25 * Double(index.impact(posting: posting, document: document))
    }
}

/// TF-IDF cosine: `(q · idf) · ((1 + ln f) · idf) / (|q| · |d|)`.
struct CosineKernel: ContributionKernel {
    let frequencies: PostingFrequencies
    let documentNorms: UnsafeBufferPointer<Float>
    let queryNorm: Double

    @inline(__always)
    func contribution(_ term: CatalogIndex.PreparedQuery.Term, posting: Int, document: Int) -> Double {
        let norm = Double(documentNorms[document])
        return norm > 0 && queryNorm > 0
            ? term.weight * term.idfTFIDF * TFIDF.termWeight(frequency: Double(frequencies[posting])) * term.idfTFIDF
                / (norm * queryNorm)
            : 0
    }
}
