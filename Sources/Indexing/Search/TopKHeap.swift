// The top `limit` (score, item) pairs of a search. Invariant: a min-heap under `worse`, so the
// root is the weakest member (lowest score; at equal scores the larger item id) and a tie keeps the lower id.

struct TopKHeap {
    let limit: Int
    /// The pairs held, in heap order.
    private(set) var entries: [(score: Double, document: Int)] = []

    init(limit: Int) { self.limit = limit }

    var isFull: Bool { entries.count >= limit }
    /// The score an item must beat (or equal with a smaller id) to enter.
    var threshold: Double { entries.first?.score ?? -.infinity }

    /// `a` ranks below `b`: lower score, or equal score and larger id.
    @inline(__always)
    static func worse(_ a: (score: Double, document: Int), _ b: (score: Double, document: Int)) -> Bool {
        a.score != b.score ? a.score < b.score : a.document > b.document
    }

    enum Offer {
        case rejected
        case added
        /// Entered in place of the item at this position, which left.
        case replaced(Int)
    }

    /// Adds the pair if it makes the top `limit`, saying which pair it pushed out.
    mutating func offer(score: Double, document: Int) -> Offer {
        let entry = (score: score, document: document)
        if entries.count < limit {
            entries.append(entry)
            siftUp(entries.count - 1)
            return .added
        }
        guard Self.worse(entries[0], entry) else { return .rejected }
        let previous = entries[0].document
        entries[0] = entry
        siftDown(0)
        return .replaced(previous)
    }

    /// The documents held, in no particular order.
    var members: [Int] { entries.map(\.document) }

    /// Takes every member's score anew (scores only grow) and restores the heap order.
    mutating func rescore(_ score: (Int) -> Double) {
        for index in entries.indices { entries[index].score = score(entries[index].document) }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.worse(entries[child], entries[parent]) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < entries.count, Self.worse(entries[left], entries[worst]) { worst = left }
            if right < entries.count, Self.worse(entries[right], entries[worst]) { worst = right }
            if worst == parent { return }
            entries.swapAt(parent, worst)
            parent = worst
        }
    }
}
