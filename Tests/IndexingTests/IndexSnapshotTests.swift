import Foundation
import SelectionCore
import Testing
@testable import Indexing

@Suite struct IndexSnapshotTests {
    func sampleIndex() throws -> CatalogIndex {
        var generator = SplitMix64(seed: 42)
        var statistics = CorpusStatistics()
        statistics.add(documentTerms: ["tea", "pot"])
        return try IndexBuilder().build(randomCatalog(count: 200, generator: &generator), corpusStatistics: statistics)
    }

    @Test func roundTripGivesTheSameAnswers() throws {
        let index = try sampleIndex()
        let loaded = try IndexSnapshot.load(try IndexSnapshot.data(of: index))
        #expect(loaded.items == index.items)
        #expect(loaded.corpusStatistics == index.corpusStatistics)
        #expect(loaded.termCount == index.termCount)
        for word in plainWords {
            let query = [WeightedTerm(word), WeightedTerm("tea", weight: 0.3)]
            for model in RetrievalModel.allCases {
                #expect(loaded.search(query, model: model, limit: 10) == index.search(query, model: model, limit: 10))
            }
        }
    }

    @Test func pricesSurviveTheRoundTrip() throws {
        var priced = CatalogItem(id: "a", kind: .ad, title: "tea", advertiser: "X")
        priced.cpm = Price(amount: 3.25, currency: "GBP")
        let index = try IndexBuilder().build([priced, CatalogItem(id: "b", title: "pot")])
        let loaded = try IndexSnapshot.load(try IndexSnapshot.data(of: index))
        #expect(loaded.items.map(\.cpm) == [Price(amount: 3.25, currency: "GBP"), nil])
    }

    @Test func largeAndFractionalFrequenciesSurviveTheRoundTrip() throws {
        let items = [CatalogItem(id: "a", title: "tea", body: Array(repeating: "kettl", count: 300).joined(separator: " ")),
                     CatalogItem(id: "b", title: "kettl pot")]
        for configuration in [IndexConfiguration(), IndexConfiguration(titleBoost: 1.5)] {
            let index = try IndexBuilder(configuration: configuration).build(items)
            let loaded = try IndexSnapshot.load(try IndexSnapshot.data(of: index))
            #expect(loaded.postingFrequencies == index.postingFrequencies)
            #expect(loaded.frequency(ofTermID: loaded.terms.id(of: "kettl")!, in: 0) == 300)
            for model in RetrievalModel.allCases {
                let query = [WeightedTerm("kettl"), WeightedTerm("tea")]
                #expect(loaded.search(query, model: model, limit: 2) == index.search(query, model: model, limit: 2))
            }
        }
    }

    /// The same index with its length numbers four bytes wide, as a catalog with more than
    /// 65,536 distinct lengths stores them.
    func widened(_ index: CatalogIndex) -> CatalogIndex {
        let lengths = (0..<index.items.count).map { index.itemLengths[$0] }
        return CatalogIndex(configuration: index.configuration, items: index.items, corpusStatistics: index.corpusStatistics,
                            itemLanguages: index.itemLanguages,
                            terms: index.terms, postingStarts: index.postingStarts, postingDocuments: index.postingDocuments,
                            frequencies: index.postingFrequencies, lengths: ItemLengths(lengths, narrowLimit: 1),
                            derived: .init(documentNorms: index.documentNorms, maxBM25Part: index.maxBM25Part,
                                           maxCosineWeight: index.maxCosineWeight))
    }

    @Test func wideLengthNumbersSearchAndRoundTripLikeNarrowOnes() throws {
        let index = try sampleIndex()
        guard case .narrow = index.itemLengths.numbers else {
            Issue.record("a 200-item catalog's lengths in four-byte numbers")
            return
        }
        let wide = widened(index)
        let loaded = try IndexSnapshot.load(try IndexSnapshot.data(of: wide))
        #expect(loaded.itemLengths == wide.itemLengths)
        guard case .wide = loaded.itemLengths.numbers else {
            Issue.record("wide numbers read back narrow")
            return
        }
        for word in plainWords {
            let query = [WeightedTerm(word), WeightedTerm("tea", weight: 0.3)]
            let expected = index.search(query, model: .bm25, limit: 10)
            #expect(wide.search(query, model: .bm25, limit: 10) == expected, "\(word)")
            #expect(loaded.search(query, model: .bm25, limit: 10) == expected, "\(word), read back")
        }
    }

    @Test func itemsDecodedInChunksComeBackInOrder() throws {
        let index = try sampleIndex()
        for perChunk in [1, 7, 200, 4096] {
            let loaded = try IndexSnapshot.load(try IndexSnapshot.data(of: index, itemsPerChunk: perChunk))
            #expect(loaded.items == index.items, "\(perChunk) items per chunk")
        }
    }

    @Test func aChunkThatDoesNotEndWhereTheNextStartsIsRefused() throws {
        var bytes = [UInt8](try IndexSnapshot.data(of: try sampleIndex(), itemsPerChunk: 7))
        // The second chunk's offset, moved one byte on, with the checksum made to agree.
        let configurationLength = bytes.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: 12, as: UInt64.self)) }
        let chunkTable = 12 + 8 + configurationLength + 8 + 8 + 8
        let padding = (8 - chunkTable % 8) % 8
        let second = chunkTable + padding + 8
        bytes[second] &+= 1
        #expect(throws: SnapshotError.corrupt("item chunk 0 does not end where the next one starts")) {
            try IndexSnapshot.load(Data(IndexSnapshot.resealed(bytes)))
        }
    }

    @Test func aMappedFileIsReadInPlaceAndOutlivesItsName() throws {
        let index = try sampleIndex()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-\(UUID().uuidString).ctxidx")
        try IndexSnapshot.write(index, to: url)
        let loaded = try IndexSnapshot.load(from: url)
        try FileManager.default.removeItem(at: url)
        #expect(loaded.items == index.items)
        #expect(loaded.postingFrequencies == index.postingFrequencies)
        for word in plainWords {
            let query = [WeightedTerm(word), WeightedTerm("tea", weight: 0.3)]
            #expect(loaded.search(query, limit: 10) == index.search(query, limit: 10))
        }
        #expect(throws: SnapshotError.self) { try IndexSnapshot.load(from: url) }
    }

    @Test func loadedBodiesReadFromTheSnapshotAsTheyWereWritten() throws {
        let index = try sampleIndex()
        let loaded = try IndexSnapshot.load(try IndexSnapshot.data(of: index))
        for (original, read) in zip(index.items, loaded.items) {
            #expect(read.body == original.body)
            #expect(read.bodyText.isEmpty == original.body.isEmpty)
            #expect(read.hashValue == original.hashValue, "an item hashes by its text, however held: \(read.id)")
        }
        var edited = loaded.items[0]
        edited.body = "a new body"
        #expect(edited.body == "a new body")
        #expect(edited != loaded.items[0])
    }

    @Test func foreignFilesAreRefused() {
        #expect(throws: SnapshotError.foreign("not a ctxsel index snapshot (bad magic bytes)")) {
            try IndexSnapshot.load(Data("{\"json\": true}".utf8))
        }
        #expect(throws: SnapshotError.self) { try IndexSnapshot.load(Data()) }
    }

    @Test func aFIFOIsRefusedInsteadOfBlocking() throws {
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("ctxsel-fifo-\(UUID().uuidString)")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(at: fifo) }
        do {
            _ = try IndexSnapshot.load(from: fifo)
            Issue.record("a FIFO must be refused")
        } catch {
            #expect("\(error)".contains("not a regular file"), "\(error)")
        }
        #expect(throws: SnapshotError.self) { try IndexSnapshot.load(from: FileManager.default.temporaryDirectory) }
    }

    @Test func otherVersionsAreRefused() throws {
        var bytes = [UInt8](try IndexSnapshot.data(of: try sampleIndex()))
        bytes[8] = 99
        #expect(throws: SnapshotError.unsupportedVersion("snapshot format version 99; this ctxsel reads version \(IndexSnapshot.formatVersion)")) {
            try IndexSnapshot.load(Data(bytes))
        }
    }

    @Test func damagedAndTruncatedFilesAreRefused() throws {
        let bytes = [UInt8](try IndexSnapshot.data(of: try sampleIndex()))
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        #expect(throws: SnapshotError.corrupt("checksum mismatch: the file is truncated or damaged")) {
            try IndexSnapshot.load(Data(flipped))
        }
        for length in [12, 20, bytes.count / 3, bytes.count - 1] {
            #expect(throws: SnapshotError.self) { try IndexSnapshot.load(Data(bytes[0..<length])) }
        }
    }

    /// Snapshots that FuzzSnapshot found to trap the loader, re-sealed with a valid checksum as
    /// the fuzz target does, so that they reach the decoder: each must be refused.
    @Test(arguments: ["fuzz-frequency-count-overflow.bin"])
    func snapshotsFoundByFuzzingAreRefused(name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        let bytes = IndexSnapshot.resealed([UInt8](try Data(contentsOf: url)))
        #expect(throws: SnapshotError.self) { try IndexSnapshot.load(Data(bytes)) }
    }

    @Test func damagedItemNumbersAreRefused() throws {
        // An item whose priority is out of range, written as a snapshot would hold it.
        let index = try IndexBuilder().build([CatalogItem(id: "a", title: "tea", priority: 5)])
        var bytes = [UInt8](try IndexSnapshot.data(of: index))
        #expect(throws: Never.self) { try IndexSnapshot.load(Data(bytes)) }
        // The priority (5) is the first eight-byte 5 after the item's title.
        let title = Array("tea".utf8)
        let titleEnd = try #require((0...(bytes.count - 3)).first { Array(bytes[$0..<($0 + 3)]) == title }) + 3
        let five = withUnsafeBytes(of: UInt64(5).littleEndian) { Array($0) }
        let at = try #require((titleEnd...(bytes.count - 8)).first { Array(bytes[$0..<($0 + 8)]) == five })
        withUnsafeBytes(of: UInt64(99).littleEndian) { bytes.replaceSubrange(at..<(at + 8), with: $0) }
        do {
            _ = try IndexSnapshot.load(Data(IndexSnapshot.resealed(bytes)))
            Issue.record("a priority of 99 must be refused")
        } catch {
            #expect("\(error)".contains("out of range"), "\(error)")
        }
    }

    @Test func statisticsFileRoundTrip() throws {
        var statistics = CorpusStatistics()
        statistics.add(documentTerms: ["tea", "pot", "tea"])
        statistics.add(documentTerms: ["tea"])
        statistics.add(documentTerms: ["tee", "kann"], language: "de")
        let text = statistics.serialized()
        #expect(text == "# ctxsel-stats 2\n## de documents=1\nkann\t1\ntee\t1\n## en documents=2\npot\t1\ntea\t2\n")
        #expect(try CorpusStatistics(serialized: text) == statistics)
        #expect(statistics["de"]?.documentFrequency(of: "tee") == 1 && statistics["en"]?.documentFrequency(of: "tee") == 0)
        #expect(throws: SnapshotError.self) { try CorpusStatistics(serialized: "tea\t1\n") }
        #expect(throws: SnapshotError.self) { try CorpusStatistics(serialized: "# ctxsel-stats 2\n## en documents=2\ntea\t3\n") }
        #expect(throws: SnapshotError.self) { try CorpusStatistics(serialized: "# ctxsel-stats 2\ntea\t1\n") }
        #expect(throws: SnapshotError.self) {
            try CorpusStatistics(serialized: "# ctxsel-stats 2\n## en documents=1\n## en documents=1\n")
        }
        var pruned = statistics
        pruned.dropTerms(inFewerThan: 2)
        #expect(pruned["en"]?.frequencies == ["tea": 2] && pruned["de"]?.frequencies == [:], "\(pruned)")
    }

    @Test func aFormatOneStatisticsFileIsReadAsEnglish() throws {
        let statistics = try CorpusStatistics(serialized: "# ctxsel-stats 1 documents=2\npot\t1\ntea\t2\n")
        #expect(statistics.languages.keys.sorted() == ["en"] && statistics["en"]?.documentFrequency(of: "tea") == 2)
        #expect(throws: SnapshotError.self) { try CorpusStatistics(serialized: "# ctxsel-stats 1 documents=2\ntea\t3\n") }
    }

    @Test func keywordsOfAPageAreWeighedAgainstItsLanguage() throws {
        var corpus = CorpusStatistics()
        for _ in 0..<9 { corpus.add(documentTerms: ["gross", "haus"], language: "de") }
        corpus.add(documentTerms: ["gross"], language: "de")
        let items = [CatalogItem(id: "a", title: "Haus", body: "ein großes Haus mit Garten", languages: ["de"]),
                     CatalogItem(id: "b", title: "House", body: "a large house with a garden", languages: ["en"]),
                     CatalogItem(id: "c", title: "Garden", body: "garden tools", languages: ["en"])]
        let index = try IndexBuilder().build(items, corpusStatistics: corpus)
        #expect(index.itemLanguages == ["de": 1, "en": 2])
        let german = index.keywordStatistics(for: "de")
        #expect(german.documentCount == 11, "the German item and the ten German pages")
        #expect(german.documentFrequency(of: "haus") == 10, "nine pages and the item")
        let english = index.keywordStatistics(for: "en")
        #expect(english.documentCount == 2 && english.documentFrequency(of: "garden") == 2)
        #expect(index.keywordStatistics(for: "fr").documentCount == 3, "a language neither has: the whole catalog")
        let loaded = try IndexSnapshot.load(try IndexSnapshot.data(of: index))
        #expect(loaded.itemLanguages == index.itemLanguages && loaded.corpusStatistics == corpus)
    }
}
