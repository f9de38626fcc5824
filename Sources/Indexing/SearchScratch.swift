import Foundation

/// Per-search working memory sized to the catalog: one score accumulator and one state byte per
/// item, and the list of items a search touched, so that clearing costs what the search touched
/// and not the catalog's size.
final class SearchScratch {
    /// Bits of ``state``.
    static let touched: UInt8 = 1 << 0
    static let inHeap: UInt8 = 1 << 1
    static let eligibilityKnown: UInt8 = 1 << 2
    static let ineligible: UInt8 = 1 << 3
    static let candidate: UInt8 = 1 << 4

    let capacity: Int
    let scores: UnsafeMutablePointer<Double>
    let state: UnsafeMutablePointer<UInt8>
    var touchedItems: [Int32] = []
    /// Accumulators for one block of items, reused by every block of every search (all zero
    /// between blocks), so that a block sum writes memory already in cache instead of a fresh
    /// stretch of ``scores``.
    private(set) var window = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    /// One bit per item of ``window``: the items a marked block sum touched (all clear between blocks).
    private(set) var markWords = UnsafeMutableBufferPointer<UInt64>(start: nil, count: 0)

    init(capacity: Int) {
        self.capacity = capacity
        scores = .allocate(capacity: max(1, capacity))
        scores.initialize(repeating: 0, count: max(1, capacity))
        state = .allocate(capacity: max(1, capacity))
        state.initialize(repeating: 0, count: max(1, capacity))
    }

    /// ``window``, grown to hold at least `count` accumulators.
    func window(holding count: Int) -> UnsafeMutablePointer<Double> {
        if window.count < count {
            window.deallocate()
            window = .allocate(capacity: max(1, count))
            window.initialize(repeating: 0)
        }
        return window.baseAddress!
    }

    /// ``markWords``, grown to hold a bit for each of `count` items.
    func marks(covering count: Int) -> UnsafeMutablePointer<UInt64> {
        let words = (count + 63) / 64
        if markWords.count < words {
            markWords.deallocate()
            markWords = .allocate(capacity: max(1, words))
            markWords.initialize(repeating: 0)
        }
        return markWords.baseAddress!
    }

    deinit {
        markWords.deallocate()
        window.deallocate()
        scores.deallocate()
        state.deallocate()
    }

    /// Zeroes what the last search wrote: item by item when it touched few, whole arrays in
    /// one sweep (sequential, so cheaper per item) when it touched a large share.
    func clear() {
        if touchedItems.count > capacity / 16 {
            scores.update(repeating: 0, count: max(1, capacity))
            state.update(repeating: 0, count: max(1, capacity))
        } else {
            for item in touchedItems {
                scores[Int(item)] = 0
                state[Int(item)] = 0
            }
        }
        touchedItems.removeAll(keepingCapacity: true)
    }
}

/// Scratch memory handed to concurrent searches: a search borrows one and gives it back, so
/// the index allocates per thread that searches at once, not per search.
final class SearchScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [SearchScratch] = []
    private let capacity: Int
    /// Scratches kept for reuse at most (more concurrent searches allocate and drop theirs).
    private let keep: Int

    init(capacity: Int, keep: Int = 16) {
        self.capacity = capacity
        self.keep = keep
    }

    func borrow() -> SearchScratch {
        lock.lock()
        let scratch = free.popLast()
        lock.unlock()
        return scratch ?? SearchScratch(capacity: capacity)
    }

    func giveBack(_ scratch: SearchScratch) {
        scratch.clear()
        lock.lock()
        if free.count < keep { free.append(scratch) }
        lock.unlock()
    }
}
