// The pruned strategy, term-at-a-time MaxScore. Invariant: `remaining[i]`, the most terms `i...`
// can add, is compared with the threshold before a term's whole list is read; past that point
// only touched items that can still reach the top are followed.

extension AccumulatorSearch {
    /// Whole lists, strongest first, while an untouched item could still make the top; then the
    /// weak terms at the touched items that can (``followCandidates(from:isEligible:)``).
    mutating func maxScore(isEligible: (Int) -> Bool) -> [(score: Double, document: Int)] {
        var next = 0
        while next < terms.count, !(best.isFull && remaining[next] < threshold) {
            let term = terms[next]
            var cursor = cursor(term)
            while !cursor.isDone {
                add(term, posting: cursor.posting, document: Int(cursor.document), isEligible: isEligible)
                cursor.next()
            }
            reorder()
            next += 1
        }
        if next < terms.count { followCandidates(from: next, isEligible: isEligible) }
        return best.members.map { (score: scores[$0], document: $0) }
            .sorted { TopKHeap.worse($1, $0) }
    }

    /// The weak terms, for the touched items that can still reach the top only.
    mutating func followCandidates(from first: Int, isEligible: (Int) -> Bool) {
        var candidates: [Int32] = []
        for item in touched {
            let document = Int(item)
            if state[document] & Bits.ineligible == 0, scores[document] + remaining[first] >= threshold {
                state[document] |= Bits.candidate
                candidates.append(item)
            }
        }
        // Sorted by document only once galloping needs it: by then few candidates are left.
        var sorted = false
        // Postings read since the candidates were last thinned: thinning costs one pass over
        // them, so it waits until the lists read have cost as much.
        var readSinceThinning = 0
        for index in first..<terms.count where !candidates.isEmpty {
            let term = terms[index]
            let length = starts[term.id + 1] - starts[term.id]
            var cursor = cursor(term)
            // Jumping costs about log2 of the blocks plus up to a block per candidate; walking
            // costs the list, so walk when it is no longer than a block per candidate.
            if length <= candidates.count * PostingDocuments.skipInterval {
                while !cursor.isDone {
                    let document = Int(cursor.document)
                    if state[document] & Bits.candidate != 0 {
                        add(term, posting: cursor.posting, document: document, isEligible: isEligible)
                    }
                    cursor.next()
                }
                readSinceThinning += length
            } else {
                if !sorted {
                    candidates.sort()
                    sorted = true
                }
                for item in candidates {
                    let target = UInt32(truncatingIfNeeded: item)
                    cursor.advance(to: target)
                    if cursor.isDone { break }
                    if cursor.document == target {
                        add(term, posting: cursor.posting, document: Int(item), isEligible: isEligible)
                    }
                }
                readSinceThinning += candidates.count
            }
            reorder()
            guard readSinceThinning >= candidates.count else { continue }
            readSinceThinning = 0
            let left = remaining[index + 1]
            candidates.removeAll { item in
                let document = Int(item)
                guard scores[document] + left < threshold else { return false }
                state[document] &= ~Bits.candidate
                return true
            }
        }
    }
}
