/// Every item's field-weighted length, as a number into the catalog's few distinct lengths
/// (310 among Debian's 63,666 packages): BM25's term-frequency part then depends only on a
/// posting's frequency and its item's length number, and for the common small frequencies is
/// read from ``BM25Impacts`` instead of being stored with every posting.
///
/// The numbers take two bytes each while there are at most 65,536 distinct lengths, as in
/// every catalog measured (a million generated items have a few thousand): every posting a
/// search reads looks up its item's number, so the fewer bytes they take, the more of a block's
/// numbers stay in cache beside its accumulators. A catalog with more keeps four bytes.
struct ItemLengths: Sendable, Equatable {
    enum Numbers: Sendable, Equatable {
        case narrow(IndexArray<UInt16>)
        case wide(IndexArray<UInt32>)
    }

    /// The most distinct lengths that narrow numbers can tell apart.
    static let narrowLimit = 1 << 16

    /// Item `d`'s length is `values[numbers[d]]`.
    let numbers: Numbers
    /// The distinct lengths, ascending.
    let values: [Float]

    /// Numbers two bytes wide while there are at most `narrowLimit` distinct lengths.
    init(_ lengths: [Float], narrowLimit: Int = ItemLengths.narrowLimit) {
        values = Array(Set(lengths)).sorted()
        var number: [Float: UInt32] = [:]
        number.reserveCapacity(values.count)
        for (index, value) in values.enumerated() { number[value] = UInt32(index) }
        numbers = values.count <= narrowLimit
            ? .narrow(IndexArray(lengths.map { UInt16(number[$0]!) }))
            : .wide(IndexArray(lengths.map { number[$0]! }))
    }

    /// Lengths read back from a snapshot; throws when the arrays cannot belong together.
    init(numbers: Numbers, values: [Float]) throws(SnapshotError) {
        guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }), values.allSatisfy({ $0 >= 0 && $0.isFinite })
        else { throw .corrupt("item lengths are not distinct, ascending and finite") }
        self.numbers = numbers
        self.values = values
        guard (0..<count).allSatisfy({ number(of: $0) < values.count }) else {
            throw .corrupt("item length numbers beyond the \(values.count) distinct lengths")
        }
    }

    var count: Int {
        switch numbers {
        case .narrow(let narrow): narrow.count
        case .wide(let wide): wide.count
        }
    }

    /// Item `item`'s length number.
    @inline(__always)
    func number(of item: Int) -> Int {
        switch numbers {
        case .narrow(let narrow): Int(narrow[item])
        case .wide(let wide): Int(wide[item])
        }
    }

    @inline(__always)
    subscript(item: Int) -> Float { values[number(of: item)] }

    /// Bytes held.
    var byteCount: Int {
        switch numbers {
        case .narrow(let narrow): narrow.count * 2 + values.count * 4
        case .wide(let wide): wide.count * 4 + values.count * 4
        }
    }
}

/// BM25's term-frequency part, `f · (k1 + 1) / (f + k1 · (1 - b + b · dl / avgdl))`, as the
/// Float the search adds, for every item length and the frequencies below ``columns``: about
/// nine in ten postings of a catalog have frequency 1 or 2.
///
/// The table is laid out frequency by frequency, each frequency's parts for every length side
/// by side, so that what nearly every posting reads, the parts for frequencies 1 and 2, is two
/// short runs that stay in the core's nearest cache (8 KB each for a thousand lengths) beside
/// the block of accumulators, instead of a cache line per length.
struct BM25Impacts: Sendable {
    /// Frequencies `0..<columns` are in the table: every frequency code but the escape.
    static let columns = Int(PostingFrequencies.escape)
    /// The part for length number `c` and frequency `f` is `table[slot(frequency: f, number: c, …)]`.
    let table: [Float]
    let bm25: BM25
    let averageLength: Double

    init(lengths: [Float], bm25: BM25, averageLength: Double) {
        self.bm25 = bm25
        self.averageLength = averageLength
        var table = [Float](repeating: 0, count: lengths.count * Self.columns)
        for frequency in 1..<Self.columns {
            for (number, length) in lengths.enumerated() {
                let slot = Self.slot(frequency: frequency, number: number, lengthCount: lengths.count)
                table[slot] = Self.part(bm25, frequency: Float(frequency), length: length, averageLength: averageLength)
            }
        }
        self.table = table
    }

    /// The distinct lengths the table has a part for.
    var lengthCount: Int { table.count / Self.columns }

    /// The table's part for length number `number` and frequency `frequency` (below ``columns``).
    subscript(number number: Int, frequency frequency: Int) -> Float {
        table[Self.slot(frequency: frequency, number: number, lengthCount: lengthCount)]
    }

    /// Where the part for `frequency` and length number `number` lies: frequency by frequency,
    /// every length's part side by side.
    @inline(__always)
    static func slot(frequency: Int, number: Int, lengthCount: Int) -> Int { frequency &* lengthCount &+ number }

    /// The part computed from the formula, as the table holds it.
    @inline(__always)
    static func part(_ bm25: BM25, frequency: Float, length: Float, averageLength: Double) -> Float {
        Float(bm25.termFrequencyPart(frequency: Double(frequency), length: Double(length), averageLength: averageLength))
    }

    /// Bytes held.
    var byteCount: Int { table.count * 4 }
}
