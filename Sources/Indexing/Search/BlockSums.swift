// The block strategies. Invariant: each block's accumulators are zero when its summing starts
// and again when its top has been picked, so one window serves every block.

extension AccumulatorSearch {
    /// The query summed `block` items at a time into one reused window of accumulators, each
    /// block's top picked as soon as it is summed; nil when fewer than `limit` eligible items
    /// score above zero, for the other path to answer.
    ///
    /// Each posting is one load, one add and one store into a window small enough to stay in
    /// the core's cache, and nothing waits on a branch; the window is the same memory for
    /// every block, so a large catalog's accumulators are never walked. `marking` also marks
    /// each posting's item in a bitmap, so that the pick visits only the matched items instead
    /// of the whole block. Every contribution is positive, so a score above zero marks a
    /// matched item; an item scoring exactly zero (every contribution underflowed) would rank
    /// last, so a full top needs none of them.
    mutating func sumInBlocks(_ block: Int, marking: Bool, isEligible: (Int) -> Bool)
        -> [(score: Double, document: Int)]? {
        precondition(block > 0, "a block of \(block) items")
        var cursors = terms.map { cursor($0) }
        let capacity = scratch.capacity
        let window = scratch.window(holding: min(block, capacity))
        let marks = marking ? scratch.marks(covering: min(block, capacity)) : nil
        var low = 0
        while low < capacity {
            let high = min(capacity, low + block)
            // The window's accumulator for item `d` is `sums[d]`.
            let sums = window - low
            // Every list is read to the block's end: its cursor then waits on the first posting past it.
            let stop = UInt32(high)
            for (index, term) in terms.enumerated() {
                var cursor = cursors[index]
                if let marks {
                    while cursor.document < stop {
                        let document = Int(cursor.document)
                        sums[document] += kernel.contribution(term, posting: cursor.posting, document: document)
                        let offset = document &- low
                        marks[offset >> 6] |= 1 << UInt64(offset & 63)
                        cursor.next()
                    }
                } else {
                    while cursor.document < stop {
                        let document = Int(cursor.document)
                        sums[document] += kernel.contribution(term, posting: cursor.posting, document: document)
                        cursor.next()
                    }
                }
                cursors[index] = cursor
            }
            if let marks {
                pickMarked(from: low, marks: marks, count: (high - low + 63) / 64, sums: sums, isEligible: isEligible)
            } else {
                pickAndZero(low..<high, sums: sums, isEligible: isEligible)
            }
            low = high
        }
        guard best.isFull else {
            for document in best.members { state[document] &= ~Bits.inHeap }
            best = TopKHeap(limit: best.limit)
            threshold = -.infinity
            return nil
        }
        return best.entries.sorted { TopKHeap.worse($1, $0) }
    }

    /// Offers the marked items of the block from `low` whose sums reach the top, zeroing their
    /// accumulators and the marks.
    @inline(__always)
    mutating func pickMarked(from low: Int, marks: UnsafeMutablePointer<UInt64>, count: Int,
                             sums: UnsafeMutablePointer<Double>, isEligible: (Int) -> Bool) {
        var floor = max(threshold, .leastNonzeroMagnitude)
        for word in 0..<count where marks[word] != 0 {
            var bits = marks[word]
            marks[word] = 0
            while bits != 0 {
                let document = low + word << 6 + bits.trailingZeroBitCount
                bits &= bits &- 1
                let score = sums[document]
                sums[document] = 0
                if score >= floor {
                    offerWhole(document, score: score, isEligible: isEligible)
                    floor = max(threshold, .leastNonzeroMagnitude)
                }
            }
        }
    }

    /// Offers the items of `block` whose sums reach the top and zeroes every accumulator, four
    /// at a time, while the block is still in cache: one comparison per four items and no
    /// branch that depends on an item's score unless it makes the top.
    @inline(__always)
    mutating func pickAndZero(_ block: Range<Int>, sums: UnsafeMutablePointer<Double>, isEligible: (Int) -> Bool) {
        var floor = max(threshold, .leastNonzeroMagnitude)
        var document = block.lowerBound
        let raw = UnsafeMutableRawPointer(sums)
        while document + 4 <= block.upperBound {
            let sums = raw.loadUnaligned(fromByteOffset: document * 8, as: SIMD4<Double>.self)
            raw.storeBytes(of: SIMD4<Double>(), toByteOffset: document * 8, as: SIMD4<Double>.self)
            if any(sums .>= SIMD4(repeating: floor)) {
                for lane in 0..<4 where sums[lane] >= floor {
                    offerWhole(document + lane, score: sums[lane], isEligible: isEligible)
                    floor = max(threshold, .leastNonzeroMagnitude)
                }
            }
            document += 4
        }
        while document < block.upperBound {
            let score = sums[document]
            sums[document] = 0
            if score >= floor {
                offerWhole(document, score: score, isEligible: isEligible)
                floor = max(threshold, .leastNonzeroMagnitude)
            }
            document += 1
        }
    }
}
