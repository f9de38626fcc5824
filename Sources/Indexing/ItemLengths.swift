/// Every item's field-weighted length, as a number into the catalog's few distinct lengths
/// (310 among Debian's 63,666 packages): BM25's term-frequency part then depends only on a
/// posting's frequency and its item's length number, and for the common small frequencies is
/// read from ``BM25Impacts`` instead of being stored with every posting.
struct ItemLengths: Sendable, Equatable {
    /// Item `d`'s length is `values[Int(classes[d])]`.
    let classes: IndexArray<UInt32>
    /// The distinct lengths, ascending.
    let values: [Float]

    init(_ lengths: [Float]) {
        values = Array(Set(lengths)).sorted()
        var number: [Float: UInt32] = [:]
        number.reserveCapacity(values.count)
        for (index, value) in values.enumerated() { number[value] = UInt32(index) }
        classes = IndexArray(lengths.map { number[$0]! })
    }

    /// Lengths read back from a snapshot; throws when the arrays cannot belong together.
    init(classes: IndexArray<UInt32>, values: [Float]) throws(SnapshotError) {
        guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }), values.allSatisfy({ $0 >= 0 && $0.isFinite }),
              classes.allSatisfy({ Int($0) < values.count }) else {
            throw .corrupt("item lengths do not agree with their distinct values")
        }
        self.classes = classes
        self.values = values
    }

    var count: Int { classes.count }

    @inline(__always)
    subscript(item: Int) -> Float { values[Int(classes[item])] }

    /// Bytes held.
    var byteCount: Int { classes.count * 4 + values.count * 4 }
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
    /// The part for length number `c` and frequency `f` is `table[f * lengthCount + c]`.
    let table: [Float]
    let lengthCount: Int
    let bm25: BM25
    let averageLength: Double

    init(lengths: [Float], bm25: BM25, averageLength: Double) {
        self.bm25 = bm25
        self.averageLength = averageLength
        lengthCount = lengths.count
        var table = [Float](repeating: 0, count: lengths.count * Self.columns)
        for frequency in 1..<Self.columns {
            for (number, length) in lengths.enumerated() {
                table[frequency * lengths.count + number] = Self.part(bm25, frequency: Float(frequency), length: length,
                                                                      averageLength: averageLength)
            }
        }
        self.table = table
    }

    /// The table's part for length number `number` and frequency `frequency` (below ``columns``).
    subscript(number number: Int, frequency frequency: Int) -> Float { table[frequency * lengthCount + number] }

    /// The part computed from the formula, as the table holds it.
    @inline(__always)
    static func part(_ bm25: BM25, frequency: Float, length: Float, averageLength: Double) -> Float {
        Float(bm25.termFrequencyPart(frequency: Double(frequency), length: Double(length), averageLength: averageLength))
    }

    /// Bytes held.
    var byteCount: Int { table.count * 4 }
}
