import SelectionCore

/// How a top-k search reads the postings; every way returns the same results, to the bit.
enum SearchStrategy {
    /// By the query's size against the catalog's (see ``AccumulatorSearch/automaticStrategy``).
    case automatic
    /// Term at a time with MaxScore pruning.
    case pruned
    /// Every posting, `items` items at a time, each block's every item compared with the top.
    case blocks(items: Int)
    /// Every posting, `items` items at a time, each posting marking its item in a bitmap of the
    /// block, so that only the items matched are compared with the top.
    case markedBlocks(items: Int)

    /// The block ``automatic`` sums a dense query in: 256 KiB of accumulators, which stay in a
    /// core's L2 cache beside the postings streaming through it.
    static let blockItems = 1 << 15
    /// The block ``automatic`` sums a sparse query in: 128 KiB of accumulators and a 2 KiB bitmap.
    static let markedBlockItems = 1 << 14
}
