import SelectionCore
import Testing
@testable import Indexing

extension PostingDocuments {
    /// Every posting's item, in posting order.
    func documents(postingStarts: IndexArray<Int>) -> [UInt32] {
        var all: [UInt32] = []
        for term in 0..<max(0, postingStarts.count - 1) {
            var cursor = cursor(term: term, postingStarts: postingStarts.buffer)
            while !cursor.isDone {
                all.append(cursor.document)
                cursor.next()
            }
        }
        return all
    }
}

@Suite struct PostingDocumentsTests {
    /// Lists of every shape: empty, one posting, exactly one block, one past it, long and
    /// dense, long and sparse with gaps of one to four bytes.
    func sampleLists(_ generator: inout SplitMix64) -> [[UInt32]] {
        var lists: [[UInt32]] = [[], [0], [4_000_000_000], Array(0..<128).map { UInt32($0 * 3) },
                                 Array(0..<129).map { UInt32($0 * 200) }]
        for spread in [2, 90, 20_000, 3_000_000] {
            var list: [UInt32] = []
            var document = UInt32(generator.next() % 50)
            for _ in 0..<(700 + Int(generator.next() % 300)) {
                list.append(document)
                document += 1 + UInt32(generator.next() % UInt64(spread))
            }
            lists.append(list)
        }
        return lists
    }

    func encode(_ lists: [[UInt32]]) -> (PostingDocuments, IndexArray<Int>) {
        let starts = IndexArray(lists.reduce(into: [0]) { $0.append($0.last! + $1.count) })
        let flat = lists.flatMap { $0 }
        return (flat.withUnsafeBufferPointer { PostingDocuments($0, postingStarts: starts.buffer) }, starts)
    }

    @Test func cursorsReadBackEveryList() {
        var generator = SplitMix64(seed: 11)
        let lists = sampleLists(&generator)
        let (postings, starts) = encode(lists)
        #expect(postings.documents(postingStarts: starts) == lists.flatMap { $0 })
        for (term, list) in lists.enumerated() {
            var cursor = postings.cursor(term: term, postingStarts: starts.buffer)
            var read: [(posting: Int, document: UInt32)] = []
            while !cursor.isDone {
                read.append((cursor.posting, cursor.document))
                cursor.next()
            }
            #expect(read.map(\.document) == list, "term \(term)")
            #expect(read.map(\.posting) == Array(starts[term]..<starts[term + 1]), "term \(term)")
            #expect(cursor.document == .max, "past the end the item is above every item")
        }
    }

    @Test func advanceFindsWhatALinearScanFinds() {
        var generator = SplitMix64(seed: 12)
        let lists = sampleLists(&generator)
        let (postings, starts) = encode(lists)
        for (term, list) in lists.enumerated() where !list.isEmpty {
            var cursor = postings.cursor(term: term, postingStarts: starts.buffer)
            var target: UInt32 = 0
            let last = list.last!
            while true {
                // Targets on items, between them, and beyond the end, in ascending order.
                let step = UInt64(max(1, Int(last / 40)))
                target = target &+ UInt32(generator.next() % (2 * step)) &+ (generator.next() % 3 == 0 ? 0 : 1)
                if let present = generator.next() % 4 == 0 ? list.first(where: { $0 >= target }) : nil { target = present }
                cursor.advance(to: target)
                let expected = list.firstIndex { $0 >= target }
                if let expected {
                    #expect(cursor.document == list[expected] && cursor.posting == starts[term] + expected,
                            "term \(term), target \(target): at \(cursor.posting) item \(cursor.document)")
                } else {
                    #expect(cursor.isDone, "term \(term), target \(target) beyond the last item")
                    break
                }
            }
        }
    }

    @Test func advanceLandsOnEveryBlockEdge() {
        var generator = SplitMix64(seed: 14)
        let lists = sampleLists(&generator)
        let (postings, starts) = encode(lists)
        let block = PostingDocuments.skipInterval
        for (term, list) in lists.enumerated() {
            for edge in stride(from: block, to: list.count, by: block) {
                for index in [edge - 1, edge] {
                    var cursor = postings.cursor(term: term, postingStarts: starts.buffer)
                    cursor.advance(to: list[index])
                    #expect(cursor.posting == starts[term] + index && cursor.document == list[index],
                            "term \(term), item \(list[index]) at posting \(index): found \(cursor.posting)")
                }
            }
        }
    }

    @Test func mostGapsTakeOneByte() {
        let dense = [Array(stride(from: UInt32(0), to: 10_000, by: 3))]
        let (postings, _) = encode(dense)
        let skips = PostingDocuments.skipCount(postings: dense[0].count) * PostingDocuments.skipBytes
        #expect(postings.bytes.count == dense[0].count + skips, "one byte per gap under 128, plus the skip entries")
    }

    @Test func snapshotListsAreCheckedOnLoad() throws {
        var generator = SplitMix64(seed: 13)
        let lists = sampleLists(&generator).filter { ($0.last ?? 0) < 10_000_000 }
        let (postings, starts) = encode(lists)
        let itemCount = Int(lists.compactMap(\.last).max()!) + 1
        let reread = try PostingDocuments(bytes: postings.bytes, byteStarts: postings.byteStarts, postingStarts: starts,
                                          itemCount: itemCount)
        #expect(reread == postings)
        #expect(throws: SnapshotError.self, "an item beyond the catalog") {
            try PostingDocuments(bytes: postings.bytes, byteStarts: postings.byteStarts, postingStarts: starts,
                                 itemCount: itemCount - 1)
        }
        // Every single damaged byte must be caught or leave the lists decoding as well-formed
        // ascending lists of the same lengths (a gap byte changed to another valid gap).
        var caught = 0
        for position in stride(from: 0, to: postings.bytes.count, by: 7) {
            var bytes = Array(postings.bytes)
            bytes[position] ^= 0x80
            do {
                let damaged = try PostingDocuments(bytes: IndexArray(bytes), byteStarts: postings.byteStarts,
                                                   postingStarts: starts, itemCount: itemCount)
                #expect(damaged.documents(postingStarts: starts).count == starts.last!)
            } catch {
                caught += 1
            }
        }
        #expect(caught > 0, "flipping continuation bits must break some lists")
        var shortStarts = Array(postings.byteStarts)
        shortStarts[lists.count - 1] -= 1
        #expect(throws: SnapshotError.self, "byte starts that cut a list") {
            try PostingDocuments(bytes: postings.bytes, byteStarts: IndexArray(shortStarts), postingStarts: starts,
                                 itemCount: itemCount)
        }
    }
}

@Suite struct ItemLengthsTests {
    @Test func lengthsAreNumbersIntoTheirDistinctValues() throws {
        let lengths: [Float] = [7, 3, 7, 12.5, 3, 0]
        let stored = ItemLengths(lengths)
        #expect(stored.values == [0, 3, 7, 12.5])
        #expect(stored.numbers == .narrow(IndexArray([2, 1, 2, 3, 1, 0])))
        #expect(lengths.indices.map { stored[$0] } == lengths)
        #expect(stored.byteCount == 6 * 2 + 4 * 4)
        #expect(throws: SnapshotError.self) { try ItemLengths(numbers: .narrow(IndexArray([0, 4])), values: [1, 2, 3, 4]) }
        #expect(throws: SnapshotError.self) { try ItemLengths(numbers: .wide(IndexArray([0, 4])), values: [1, 2, 3, 4]) }
        #expect(throws: SnapshotError.self) { try ItemLengths(numbers: .narrow(IndexArray([0, 1])), values: [2, 1]) }
    }

    @Test func moreDistinctLengthsThanTwoBytesNumberTakeFour() {
        let lengths = (0..<(ItemLengths.narrowLimit + 3)).reversed().map { Float($0) }
        let stored = ItemLengths(lengths)
        guard case .wide(let numbers) = stored.numbers else {
            Issue.record("\(stored.values.count) distinct lengths in two-byte numbers")
            return
        }
        #expect(numbers.count == lengths.count && stored.values.count == ItemLengths.narrowLimit + 3)
        #expect(lengths.indices.allSatisfy { stored[$0] == lengths[$0] })
        let limited = ItemLengths([7, 3, 9], narrowLimit: 2)
        #expect(limited.numbers == .wide(IndexArray([1, 0, 2])))
    }

    @Test func theImpactTableHoldsTheFormulasFloats() {
        let lengths: [Float] = [1, 9, 40, 333]
        let bm25 = BM25(k1: 1.4, b: 0.6)
        let impacts = BM25Impacts(lengths: lengths, bm25: bm25, averageLength: 21.3)
        for (number, length) in lengths.enumerated() {
            for frequency in 1..<BM25Impacts.columns {
                let expected = Float(bm25.termFrequencyPart(frequency: Double(frequency), length: Double(length),
                                                            averageLength: 21.3))
                #expect(impacts[number: number, frequency: frequency] == expected,
                        "length \(length), frequency \(frequency)")
            }
        }
    }
}
