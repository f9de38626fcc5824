/// Every term's posting items, ascending, as the gaps between them: a gap under 128 (most of
/// them, in the lists that hold most postings) takes one byte, under 16,384 two, each byte
/// seven bits of the gap, low bits first, its top bit set when another byte follows.
///
/// Four bytes per posting were most of the index; the gaps take about 1.2 (2.3 MB for the
/// 1.9 million postings of Debian's packages). A list is read in order by a ``PostingCursor``;
/// to jump ahead, a list of more than ``skipInterval`` postings starts with one skip entry per
/// further block of that many: the item of the posting before the block and where the block's
/// gaps start (two little-endian UInt32s), so that a jump decodes at most one block.
struct PostingDocuments: Sendable, Equatable {
    static let skipInterval = 128
    /// Bytes of one skip entry.
    static let skipBytes = 8

    /// Per term: its skip entries, then its gaps.
    let bytes: IndexArray<UInt8>
    /// Term `t`'s bytes are `bytes[byteStarts[t]..<byteStarts[t + 1]]`.
    let byteStarts: IndexArray<UInt32>

    /// Encodes `documents`, term `t`'s being `documents[postingStarts[t]..<postingStarts[t + 1]]`,
    /// each list strictly ascending.
    init(_ documents: UnsafeBufferPointer<UInt32>, postingStarts: UnsafeBufferPointer<Int>) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(documents.count + documents.count / 2)
        var byteStarts: [UInt32] = [0]
        byteStarts.reserveCapacity(postingStarts.count)
        for term in 0..<max(0, postingStarts.count - 1) {
            let start = postingStarts[term], end = postingStarts[term + 1]
            let base = bytes.count
            let skips = Self.skipCount(postings: end - start)
            bytes.append(contentsOf: repeatElement(0, count: skips * Self.skipBytes))
            var previous: UInt32 = 0
            for posting in start..<end {
                let offset = posting - start
                if offset > 0, offset % Self.skipInterval == 0 {
                    let entry = base + (offset / Self.skipInterval - 1) * Self.skipBytes
                    Self.store(previous, at: entry, in: &bytes)
                    Self.store(UInt32(bytes.count - base), at: entry + 4, in: &bytes)
                }
                let document = documents[posting]
                precondition(offset == 0 || document > previous, "term \(term)'s postings are not strictly ascending")
                var gap = document - previous
                while gap >= 0x80 {
                    bytes.append(UInt8(truncatingIfNeeded: gap) | 0x80)
                    gap >>= 7
                }
                bytes.append(UInt8(gap))
                previous = document
            }
            precondition(bytes.count <= Int(UInt32.max), "postings beyond 4 GiB")
            byteStarts.append(UInt32(bytes.count))
        }
        self.bytes = IndexArray(bytes)
        self.byteStarts = IndexArray(byteStarts)
    }

    /// Lists read back from a snapshot, each decoded once to check that it holds exactly its
    /// term's postings, strictly ascending and below `itemCount`, with skip entries that say
    /// where its blocks are: the search then reads them without checking.
    init(bytes: IndexArray<UInt8>, byteStarts: IndexArray<UInt32>, postingStarts: IndexArray<Int>,
         itemCount: Int) throws(SnapshotError) {
        guard byteStarts.count == postingStarts.count, byteStarts.first ?? 0 == 0,
              Int(byteStarts.last ?? 0) == bytes.count, zip(byteStarts, byteStarts.dropFirst()).allSatisfy({ $0 <= $1 })
        else { throw .corrupt("posting byte starts do not agree with the postings") }
        self.bytes = bytes
        self.byteStarts = byteStarts
        for term in 0..<max(0, postingStarts.count - 1) {
            let postings = postingStarts[term]..<postingStarts[term + 1]
            let start = Int(byteStarts[term]), end = Int(byteStarts[term + 1])
            let skips = Self.skipCount(postings: postings.count)
            guard end - start >= skips * Self.skipBytes + postings.count else {
                throw .corrupt("term \(term)'s postings are shorter than their count")
            }
            var offset = start + skips * Self.skipBytes
            var previous: UInt32 = 0
            for index in 0..<postings.count {
                if index > 0, index % Self.skipInterval == 0 {
                    let entry = start + (index / Self.skipInterval - 1) * Self.skipBytes
                    guard load(at: entry) == previous, Int(load(at: entry + 4)) == offset - start else {
                        throw .corrupt("term \(term)'s skip entry \(index / Self.skipInterval) is wrong")
                    }
                }
                var gap: UInt32 = 0
                var shift: UInt32 = 0
                while true {
                    guard offset < end, shift < 32 else { throw .corrupt("term \(term)'s postings are cut off") }
                    let byte = bytes[offset]
                    offset += 1
                    gap |= UInt32(byte & 0x7F) << shift
                    shift += 7
                    if byte < 0x80 { break }
                }
                let (document, overflow) = previous.addingReportingOverflow(gap)
                guard !overflow, index == 0 || gap > 0, Int(document) < itemCount else {
                    throw .corrupt("term \(term)'s postings are not ascending items of the catalog")
                }
                previous = document
            }
            guard offset == end else { throw .corrupt("term \(term)'s postings run past their count") }
        }
    }

    /// Skip entries in a list of `postings`.
    @inline(__always)
    static func skipCount(postings: Int) -> Int { max(0, postings - 1) / skipInterval }

    private static func store(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for shift in 0..<4 { bytes[offset + shift] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(shift))) }
    }

    private func load(at offset: Int) -> UInt32 {
        Self.loadUInt32(bytes.buffer.baseAddress!, at: offset)
    }

    /// The little-endian UInt32 at `offset`: half of a skip entry, which need not be aligned.
    @inline(__always)
    static func loadUInt32(_ bytes: UnsafePointer<UInt8>, at offset: Int) -> UInt32 {
        UnsafeRawPointer(bytes + offset).loadUnaligned(as: UInt32.self).littleEndian
    }

    /// Bytes held.
    var byteCount: Int { bytes.count + byteStarts.count * 4 }

    /// A cursor on term `term`'s first posting, its postings being
    /// `postingStarts[term]..<postingStarts[term + 1]`.
    @inline(__always)
    func cursor(term: Int, postingStarts: UnsafeBufferPointer<Int>) -> PostingCursor {
        PostingCursor(bytes: bytes.buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, start: Int(byteStarts[term]),
                      postings: postingStarts[term]..<postingStarts[term + 1])
    }
}

/// A place in one term's posting list: the current posting's number and item, read forward.
///
/// Past the last posting, ``document`` is `UInt32.max`, above every item, so a loop that reads
/// "while the item is below `high`" ends at the list's end without a test of its own.
struct PostingCursor {
    let bytes: UnsafePointer<UInt8>
    /// Where the list's skip entries start.
    let skips: Int
    /// The list's first posting and the end of its postings.
    let first: Int
    let end: Int
    /// The current posting, and its item (`UInt32.max` once past the end).
    private(set) var posting: Int
    private(set) var document: UInt32
    /// Where the next posting's gap starts.
    private(set) var offset: Int

    @inline(__always)
    init(bytes: UnsafePointer<UInt8>, start: Int, postings: Range<Int>) {
        self.bytes = bytes
        skips = start
        first = postings.lowerBound
        end = postings.upperBound
        posting = postings.lowerBound
        offset = start + PostingDocuments.skipCount(postings: postings.count) * PostingDocuments.skipBytes
        document = 0
        if posting < end { document = readGap() } else { document = .max }
    }

    /// Whether the cursor is past the list's last posting.
    var isDone: Bool { posting >= end }

    /// Moves to the next posting.
    @inline(__always)
    mutating func next() {
        posting &+= 1
        if posting < end { document &+= readGap() } else { document = .max }
    }

    @inline(__always)
    private mutating func readGap() -> UInt32 {
        let byte = bytes[offset]
        offset &+= 1
        if byte < 0x80 { return UInt32(byte) }
        return readLongGap(UInt32(byte & 0x7F))
    }

    private mutating func readLongGap(_ low: UInt32) -> UInt32 {
        var gap = low
        var shift: UInt32 = 7
        while true {
            let byte = bytes[offset]
            offset &+= 1
            gap |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 { return gap }
            shift &+= 7
        }
    }

    /// Moves to the first posting at or after the current one whose item is at least
    /// `target` (past the end if there is none): by the skip entries to the last block that
    /// can hold it, then posting by posting within it.
    @inline(__always)
    mutating func advance(to target: UInt32) {
        guard document < target else { return }
        let block = (posting - first) / PostingDocuments.skipInterval
        let blocks = PostingDocuments.skipCount(postings: end - first)
        // Entry `e` starts block `e + 1`; its base is the item just before that block.
        if block < blocks, base(of: block) < target { jump(from: block, below: blocks, to: target) }
        while document < target { next() }
    }

    @inline(__always)
    private func base(of entry: Int) -> UInt32 {
        PostingDocuments.loadUInt32(bytes, at: skips + entry * PostingDocuments.skipBytes)
    }

    /// Jumps to the last block after `block` whose base is below `target`.
    private mutating func jump(from block: Int, below blocks: Int, to target: UInt32) {
        // The last entry in block..<blocks with base < target (entry `block` qualifies).
        var low = block, high = blocks
        while high - low > 1 {
            let middle = (low + high) >> 1
            if base(of: middle) < target { low = middle } else { high = middle }
        }
        let entry = skips + low * PostingDocuments.skipBytes
        let base = base(of: low)
        offset = skips + Int(PostingDocuments.loadUInt32(bytes, at: entry + 4))
        posting = first + (low + 1) * PostingDocuments.skipInterval
        document = base &+ readGap()
    }
}
