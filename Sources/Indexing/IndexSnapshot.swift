import Dispatch
import Foundation
public import SelectionCore

/// A saved index: a versioned binary file with a checksum, loaded without re-analysing the
/// catalog or recomputing its statistics.
///
/// Layout (little-endian): magic `CTXSIDX\0` (8 bytes), format version (UInt32), then
/// length-prefixed sections: configuration (JSON), items (their count, items per chunk, each
/// chunk's byte offset, then the items with each field length-prefixed), corpus statistics
/// (JSON), the items analysed per language (JSON), terms (their UTF-8 bytes one after another, each term's start as UInt32, and the
/// hash table of term numbers, UInt32), posting starts (Int64), posting documents (the
/// lists of ``PostingDocuments`` one after another, then where each starts, UInt32),
/// posting frequencies (a form byte, then their count and half a byte each with the large
/// ones as (posting Int64, Float32) pairs, or Float32 each), item lengths (each item's
/// number into the distinct lengths, after a byte that says its width, 2 or 4, then the
/// distinct lengths, Float32), item TF-IDF norms (Float32), per-term BM25 and cosine bounds
/// (Float32); last, a 64-bit checksum of everything before it (``checksum(_:)``, eight bytes a step).
/// Each array's elements start at a multiple of eight bytes, so that the postings are read
/// where they lie in the mapped file, and the item chunks are decoded on every core at once.
public enum IndexSnapshot {
    public static let magic: [UInt8] = Array("CTXSIDX".utf8) + [0]
    /// 11: corpus statistics per language, and the items analysed in each language (JSON);
    /// 10: an item's price (`cpm`: currency, or none, then the amount);
    /// 9: item length numbers two bytes wide when they fit; 8: posting documents as gaps,
    /// frequencies in half bytes; 7: item lengths as numbers into their distinct values, no
    /// impacts stored (the search computes them from a table); 6: the term dictionary as three
    /// arrays read in place; 5: arrays aligned for reading in place, items in chunks; 4:
    /// frequencies stored in their compact form; 3: BM25 impacts stored per posting; 2: derived
    /// norms and bounds stored, word-wise checksum (1 recomputed them, FNV-1a).
    public static let formatVersion: UInt32 = 11
    /// Items decoded by one task when a snapshot is loaded.
    static let itemsPerChunk = 4096

    /// The snapshot bytes of `index`.
    public static func data(of index: CatalogIndex) throws -> Data {
        try data(of: index, itemsPerChunk: itemsPerChunk)
    }

    static func data(of index: CatalogIndex, itemsPerChunk: Int) throws -> Data {
        var writer = ByteWriter()
        writer.buffer.reserveCapacity(index.postingCount * 8 + index.items.count * 64
            + index.items.reduce(0) { $0 + $1.bodyText.utf8Count + $1.title.utf8.count })
        writer.bytes(magic)
        writer.uint32(formatVersion)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        writer.section(Array(try encoder.encode(index.configuration)))
        writer.items(index.items, perChunk: itemsPerChunk)
        writer.section(Array(try encoder.encode(index.corpusStatistics)))
        writer.section(Array(try encoder.encode(index.itemLanguages)))
        writer.array(index.terms.bytes.buffer)
        writer.array(index.terms.starts.buffer)
        writer.array(index.terms.slots.buffer)
        writer.array(index.postingStarts.buffer)
        writer.array(index.postingDocuments.bytes.buffer)
        writer.array(index.postingDocuments.byteStarts.buffer)
        writer.frequencies(index.postingFrequencies)
        writer.lengths(index.itemLengths)
        writer.array(index.documentNorms)
        writer.array(index.maxBM25Part)
        writer.array(index.maxCosineWeight)
        writer.uint64(writer.buffer.withUnsafeBytes { checksum($0) })
        return Data(writer.buffer)
    }

    public static func write(_ index: CatalogIndex, to url: URL) throws {
        try data(of: index).write(to: url, options: .atomic)
    }

    /// Loads a snapshot.
    /// - Throws: ``SnapshotError`` saying whether the file is foreign, of another version, or
    ///   corrupt, and where.
    public static func load(_ data: Data) throws -> CatalogIndex {
        try load(SnapshotBytes(copying: data))
    }

    static func load(_ snapshot: SnapshotBytes) throws -> CatalogIndex {
        let bytes = snapshot.bytes
        guard bytes.count >= magic.count + 4, Array(bytes[0..<magic.count]) == magic else {
            throw SnapshotError.foreign("not a ctxsel index snapshot (bad magic bytes)")
        }
        var reader = ByteReader(bytes: bytes, offset: magic.count)
        let version = try reader.uint32()
        guard version == formatVersion else {
            throw SnapshotError.unsupportedVersion("snapshot format version \(version); this ctxsel reads version \(formatVersion)")
        }
        guard bytes.count >= magic.count + 12 else { throw SnapshotError.corrupt("file is truncated") }
        var checksumReader = ByteReader(bytes: bytes, offset: bytes.count - 8)
        let stored = try checksumReader.uint64()
        // The checksum runs on another core while this one decodes; nothing decoded is
        // returned before it agrees, and a damaged file is reported as damaged first.
        let verification = ChecksumTask(UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 8)]))
        let decoded = Result { try decode(&reader, snapshot: snapshot) }
        guard verification.result() == stored else {
            throw SnapshotError.corrupt("checksum mismatch: the file is truncated or damaged")
        }
        return try decoded.get()
    }

    static func decode(_ reader: inout ByteReader, snapshot: SnapshotBytes) throws -> CatalogIndex {
        let decoder = JSONDecoder()
        do {
            let configuration = try decoder.decode(IndexConfiguration.self, from: Data(try reader.section()))
            let items = try reader.items(in: snapshot)
            let statistics = try decoder.decode(CorpusStatistics.self, from: Data(try reader.section()))
            let itemLanguages = try decoder.decode([String: Int].self, from: Data(try reader.section()))
            guard itemLanguages.values.allSatisfy({ $0 > 0 }), itemLanguages.values.reduce(0, +) == items.count else {
                throw SnapshotError.corrupt("the items' languages do not add up to the items")
            }
            let terms = try TermDictionary(bytes: try reader.inPlace(UInt8.self, in: snapshot),
                                           starts: try reader.inPlace(UInt32.self, in: snapshot),
                                           slots: try reader.inPlace(UInt32.self, in: snapshot))
            let starts: IndexArray<Int> = try reader.inPlace(Int64.self, in: snapshot)
            let documentBytes: IndexArray<UInt8> = try reader.inPlace(UInt8.self, in: snapshot)
            let documentStarts: IndexArray<UInt32> = try reader.inPlace(UInt32.self, in: snapshot)
            let frequencies = try reader.frequencies(in: snapshot)
            let lengths = try reader.lengths(in: snapshot)
            let norms: [Float] = try reader.array()
            let bm25Bounds: [Float] = try reader.array()
            let cosineBounds: [Float] = try reader.array()
            guard starts.count == terms.count + 1, starts.first == 0, starts.last == frequencies.count,
                  lengths.count == items.count, norms.count == items.count,
                  bm25Bounds.count == terms.count, cosineBounds.count == terms.count,
                  zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw SnapshotError.corrupt("postings do not agree with the items and terms")
            }
            let documents = try PostingDocuments(bytes: documentBytes, byteStarts: documentStarts, postingStarts: starts,
                                                 itemCount: items.count)
            return CatalogIndex(configuration: configuration, items: items, corpusStatistics: statistics,
                                itemLanguages: itemLanguages, terms: terms, postingStarts: starts, postingDocuments: documents,
                                frequencies: frequencies, lengths: lengths,
                                derived: .init(documentNorms: norms, maxBM25Part: bm25Bounds, maxCosineWeight: cosineBounds))
        } catch let error as SnapshotError {
            throw error
        } catch {
            throw SnapshotError.corrupt("a section does not decode: \(error)")
        }
    }

    /// Loads the snapshot at `url`, mapping the file: the index reads its postings in place.
    public static func load(from url: URL) throws -> CatalogIndex {
        try load(SnapshotBytes(mapping: url.path))
    }

    /// `bytes` with their last eight replaced by the checksum of the rest: snapshot bytes changed
    /// on purpose, made to pass the checksum so that the decoder's own checks meet them (the
    /// fuzzing target and the tests of damaged snapshots).
    public static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        precondition(bytes.count >= 8, "a snapshot ends with its eight-byte checksum")
        var sealed = bytes
        let sum = bytes.withUnsafeBytes { checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 8)])) }
        withUnsafeBytes(of: sum.littleEndian) { sealed.replaceSubrange((bytes.count - 8)..., with: $0) }
        return sealed
    }

    /// A 64-bit checksum of `bytes`: four lanes of eight bytes each step, multiplied and
    /// rotated, then folded with the length. It finds damage, not malice.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let prime: UInt64 = 0x9E37_79B9_7F4A_7C15
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (1, 2, 3, 4)
        var offset = 0
        @inline(__always) func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
            let mixed = (lane ^ word) &* prime
            return (mixed << 29) | (mixed >> 35)
        }
        while offset + 32 <= bytes.count {
            lanes.0 = round(lanes.0, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            lanes.1 = round(lanes.1, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            lanes.2 = round(lanes.2, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
            lanes.3 = round(lanes.3, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
            offset += 32
        }
        var hash = round(round(round(round(UInt64(bytes.count), lanes.0), lanes.1), lanes.2), lanes.3)
        while offset < bytes.count {
            hash = round(hash, UInt64(bytes[offset]))
            offset += 1
        }
        return hash ^ (hash >> 31)
    }
}

/// ``IndexSnapshot/checksum(_:)`` of bytes that outlive the task, computed on another thread.
private final class ChecksumTask: @unchecked Sendable {
    private let group = DispatchGroup()
    private var value: UInt64 = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        let base = UInt(bitPattern: bytes.baseAddress), count = bytes.count
        DispatchQueue.global().async(group: group) { [self] in
            value = IndexSnapshot.checksum(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: base), count: count))
        }
    }

    /// Waits for the checksum; the caller must keep the bytes alive until then.
    func result() -> UInt64 {
        group.wait()
        return value
    }
}

/// A snapshot or statistics file that cannot be used.
public enum SnapshotError: Error, Hashable, Sendable, CustomStringConvertible {
    case foreign(String)
    case unsupportedVersion(String)
    case corrupt(String)
    case unreadable(String)

    public var description: String {
        switch self {
        case .foreign(let message), .unsupportedVersion(let message), .corrupt(let message), .unreadable(let message):
            message
        }
    }
}

struct ByteWriter {
    var buffer: [UInt8] = []

    mutating func bytes(_ values: [UInt8]) { buffer.append(contentsOf: values) }
    mutating func uint32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func uint64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func section(_ values: [UInt8]) {
        uint64(UInt64(values.count))
        buffer.append(contentsOf: values)
    }
    /// Fixed-width numbers, written little-endian (the only byte order Swift runs on here),
    /// from a multiple of eight bytes into the file.
    mutating func array<T: FixedWidthScalar>(_ values: UnsafeBufferPointer<T>) {
        uint64(UInt64(values.count))
        buffer.append(contentsOf: repeatElement(0, count: (8 - buffer.count % 8) % 8))
        buffer.append(contentsOf: UnsafeRawBufferPointer(values))
    }
    mutating func array<T: FixedWidthScalar>(_ values: [T]) { values.withUnsafeBufferPointer { array($0) } }
}

extension ByteWriter {
    mutating func frequencies(_ frequencies: PostingFrequencies) {
        switch frequencies {
        case .nibbles(let codes, let count, let large):
            bytes([0])
            uint64(UInt64(count))
            array(codes.buffer)
            let positions = large.keys.sorted()
            array(positions.map { Int64($0) })
            array(positions.map { large[$0]! })
        case .floats(let values):
            bytes([1])
            array(values.buffer)
        }
    }

    mutating func lengths(_ lengths: ItemLengths) {
        switch lengths.numbers {
        case .narrow(let numbers):
            bytes([2])
            array(numbers.buffer)
        case .wide(let numbers):
            bytes([4])
            array(numbers.buffer)
        }
        array(lengths.values)
    }

    /// Sorted keys, so that the same catalog always writes the same snapshot bytes.
    static let scheduleEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    mutating func string(_ value: String) { section(Array(value.utf8)) }
    mutating func optional(_ value: String?) {
        bytes([value == nil ? 0 : 1])
        if let value { string(value) }
    }
    mutating func strings(_ values: [String]) {
        uint64(UInt64(values.count))
        for value in values { string(value) }
    }
    /// The items in chunks of `perChunk`, with where each chunk starts.
    mutating func items(_ items: [CatalogItem], perChunk: Int) {
        var chunks = ByteWriter()
        var chunkStarts: [UInt64] = []
        for (position, item) in items.enumerated() {
            if position % perChunk == 0 { chunkStarts.append(UInt64(chunks.buffer.count)) }
            chunks.item(item)
        }
        uint64(UInt64(items.count))
        uint64(UInt64(perChunk))
        array(chunkStarts)
        section(chunks.buffer)
    }

    mutating func item(_ item: CatalogItem) {
        string(item.id)
        string(item.kind.rawValue)
        string(item.title)
        string(item.body)
        optional(item.url)
        optional(item.image)
        optional(item.advertiser)
        strings(item.keywords)
        strings(item.negativeKeywords)
        strings(item.categories)
        uint64(UInt64(bitPattern: Int64(item.priority)))
        uint64(item.weight.bitPattern)
        strings(item.languages)
        uint64(UInt64(bitPattern: Int64(item.frequencyCap ?? -1)))
        optional(item.targeting)
        strings(item.blockedPageCategories)
        optional(item.schedule.map { String(decoding: try! Self.scheduleEncoder.encode($0), as: UTF8.self) })
        uint64(UInt64(bitPattern: Int64(item.tier)))
        bytes([item.sensitiveOK ? 1 : 0])
        optional(item.cpm?.currency)
        uint64((item.cpm?.amount ?? 0).bitPattern)
    }
}

extension ByteReader {
    mutating func frequencies(in snapshot: SnapshotBytes) throws -> PostingFrequencies {
        switch try byte() {
        case 0:
            let count = try uint64()
            let codes: IndexArray<UInt8> = try inPlace(UInt8.self, in: snapshot)
            let positions: [Int64] = try array()
            let large: [Float] = try array()
            // Two codes a byte: checked without `count + 1`, which a damaged count would overflow
            // (found by fuzzing).
            guard count / 2 + count % 2 == UInt64(codes.count) else {
                throw SnapshotError.corrupt("frequency codes do not agree with their count")
            }
            let escaped = (0..<Int(count)).filter { PostingFrequencies.code(codes.buffer, $0) == PostingFrequencies.escape }
            guard positions.count == large.count, positions.map({ Int($0) }) == escaped,
                  large.allSatisfy({ $0 >= Float(PostingFrequencies.escape) && $0.rounded() == $0 }) else {
                throw SnapshotError.corrupt("large frequencies do not agree with the postings")
            }
            var table: [Int: Float] = [:]
            table.reserveCapacity(positions.count)
            for (position, value) in zip(positions, large) { table[Int(position)] = value }
            return .nibbles(codes, count: Int(count), large: table)
        case 1:
            return .floats(try inPlace(Float.self, in: snapshot))
        default:
            throw SnapshotError.corrupt("unknown frequency form at byte \(offset - 1)")
        }
    }

    mutating func lengths(in snapshot: SnapshotBytes) throws -> ItemLengths {
        let numbers: ItemLengths.Numbers
        switch try byte() {
        case 2: numbers = .narrow(try inPlace(UInt16.self, in: snapshot))
        case 4: numbers = .wide(try inPlace(UInt32.self, in: snapshot))
        default: throw SnapshotError.corrupt("unknown item length number width at byte \(offset - 1)")
        }
        return try ItemLengths(numbers: numbers, values: try array())
    }

    mutating func optional() throws -> String? {
        switch try byte() {
        case 0: return nil
        case 1: return try string()
        default: throw SnapshotError.corrupt("bad optional marker at byte \(offset - 1)")
        }
    }
    mutating func strings() throws -> [String] {
        let count = try uint64()
        guard count <= UInt64(bytes.count) else { throw SnapshotError.corrupt("list length \(count) at byte \(offset) is impossible") }
        return try (0..<Int(count)).map { _ in try string() }
    }
    mutating func schedule() throws -> Schedule? {
        guard let text = try optional() else { return nil }
        do { return try JSONDecoder().decode(Schedule.self, from: Data(text.utf8)) } catch {
            throw SnapshotError.corrupt("a schedule does not decode")
        }
    }
    mutating func frequencyCap() throws -> Int? {
        let raw = Int64(bitPattern: try uint64())
        return raw < 0 ? nil : Int(raw)
    }
    /// The items, their chunks decoded on every core at once; each chunk must end exactly
    /// where the next one starts.
    mutating func items(in snapshot: SnapshotBytes) throws -> [CatalogItem] {
        let count = try uint64()
        let perChunk = try uint64()
        guard count <= UInt64(bytes.count), perChunk > 0, perChunk <= UInt64(Int32.max) else {
            throw SnapshotError.corrupt("item count \(count) in chunks of \(perChunk) is impossible")
        }
        let chunkStarts: [UInt64] = try array()
        let body = try sectionRange()
        let itemCount = Int(count), itemsPerChunk = Int(perChunk)
        guard chunkStarts.count == (itemCount + itemsPerChunk - 1) / itemsPerChunk, chunkStarts.first ?? 0 == 0,
              zip(chunkStarts, chunkStarts.dropFirst()).allSatisfy({ $0 <= $1 }),
              (chunkStarts.last ?? 0) <= UInt64(body.count) else {
            throw SnapshotError.corrupt("item chunks do not fit their section")
        }
        return try [CatalogItem](unsafeUninitializedCapacity: itemCount) { buffer, initialized in
            let slots = ItemChunkSlots(snapshot: snapshot, items: buffer.baseAddress, chunks: chunkStarts.count)
            defer { slots.deallocate() }
            DispatchQueue.concurrentPerform(iterations: chunkStarts.count) { chunk in
                let first = chunk * itemsPerChunk, end = min(itemCount, first + itemsPerChunk)
                let stop = chunk + 1 < chunkStarts.count ? body.lowerBound + Int(chunkStarts[chunk + 1]) : body.upperBound
                var reader = ByteReader(bytes: slots.snapshot.bytes, offset: body.lowerBound + Int(chunkStarts[chunk]))
                do {
                    for position in first..<end {
                        (slots.items! + position).initialize(to: try reader.item(in: slots.snapshot))
                        slots.decoded[chunk] += 1
                    }
                    guard reader.offset == stop else {
                        throw SnapshotError.corrupt("item chunk \(chunk) does not end where the next one starts")
                    }
                } catch {
                    slots.failures[chunk] = error as? SnapshotError ?? .corrupt("item chunk \(chunk): \(error)")
                }
            }
            if let failure = (0..<chunkStarts.count).lazy.compactMap({ slots.failures[$0] }).first {
                for chunk in 0..<chunkStarts.count where slots.decoded[chunk] > 0 {
                    (slots.items! + chunk * itemsPerChunk).deinitialize(count: slots.decoded[chunk])
                }
                initialized = 0
                throw failure
            }
            initialized = itemCount
        }
    }

    /// One item; its body stays in `snapshot`, read when asked for.
    mutating func item(in snapshot: SnapshotBytes) throws -> CatalogItem {
        let id = try string()
        let kindName = try string()
        guard let kind = ItemKind(rawValue: kindName) else { throw SnapshotError.corrupt("item \(id) has kind \(kindName)") }
        let title = try string()
        let body = try sectionRange()
        var item = CatalogItem(id: id, kind: kind, title: title, url: try optional(),
                               image: try optional(), advertiser: try optional(), keywords: try strings(),
                               negativeKeywords: try strings(), categories: try strings(),
                               priority: Int(Int64(bitPattern: try uint64())), weight: Double(bitPattern: try uint64()),
                               languages: try strings(), frequencyCap: try frequencyCap(), targeting: try optional(),
                               blockedPageCategories: try strings(), schedule: try schedule(),
                               tier: Int(Int64(bitPattern: try uint64())), sensitiveOK: try byte() == 1)
        let currency: String? = try optional()
        let amount = Double(bitPattern: try uint64())
        if let currency {
            guard Price.isCurrencyCode(currency), amount.isFinite, amount >= 0 else {
                throw SnapshotError.corrupt("item \(id.prefix(80)) has a price out of range")
            }
            item.cpm = Price(amount: amount, currency: currency)
        }
        // The ranges the catalog loader enforces, so that no damaged number reaches arithmetic.
        guard CatalogItem.priorityRange.contains(item.priority), item.weight.isFinite, item.weight > 0,
              CatalogItem.tierNames.values.contains(item.tier) else {
            throw SnapshotError.corrupt("item \(id.prefix(80)) has a priority, weight or tier out of range")
        }
        item.bodyText = ItemText(in: snapshot, offset: body.lowerBound, count: body.count)
        return item
    }
}

/// Where a snapshot's item chunks are decoded to: each chunk's own range of `items`, its count
/// of items decoded and its failure, each written by the one task decoding that chunk and read
/// once all of them are done.
private struct ItemChunkSlots: @unchecked Sendable {
    let snapshot: SnapshotBytes
    let items: UnsafeMutablePointer<CatalogItem>?
    let decoded: UnsafeMutablePointer<Int>
    let failures: UnsafeMutablePointer<SnapshotError?>
    let chunks: Int

    init(snapshot: SnapshotBytes, items: UnsafeMutablePointer<CatalogItem>?, chunks: Int) {
        self.snapshot = snapshot
        self.items = items
        self.chunks = chunks
        decoded = .allocate(capacity: chunks)
        decoded.initialize(repeating: 0, count: chunks)
        failures = .allocate(capacity: chunks)
        failures.initialize(repeating: nil, count: chunks)
    }

    func deallocate() {
        decoded.deallocate()
        failures.deinitialize(count: chunks)
        failures.deallocate()
    }
}

/// Reads a snapshot's bytes in place; every read is checked against the end (the last eight
/// bytes, the checksum, are read only by the checksum check).
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    /// The range of the next `count` bytes, which are then passed.
    mutating func take(_ count: Int) throws -> Range<Int> {
        guard count >= 0, offset + count <= bytes.count - 8 || (count == 8 && offset + 8 == bytes.count) else {
            throw SnapshotError.corrupt("file is truncated at byte \(offset)")
        }
        defer { offset += count }
        return offset..<(offset + count)
    }

    mutating func byte() throws -> UInt8 { bytes[try take(1).lowerBound] }

    mutating func uint32() throws -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(4).lowerBound, as: UInt32.self))
    }

    mutating func uint64() throws -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(8).lowerBound, as: UInt64.self))
    }

    /// A length-prefixed run of bytes.
    mutating func sectionRange() throws -> Range<Int> {
        let count = try uint64()
        guard count <= UInt64(bytes.count) else { throw SnapshotError.corrupt("section length \(count) at byte \(offset) is impossible") }
        return try take(Int(count))
    }

    mutating func section() throws -> [UInt8] { Array(bytes[try sectionRange()]) }

    mutating func string() throws -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[try sectionRange()]), as: UTF8.self)
    }

    /// The range of an array's elements: its count, then padding to a multiple of eight bytes.
    mutating func arrayRange<T: FixedWidthScalar>(of type: T.Type) throws -> Range<Int> {
        let count = try uint64()
        guard count <= UInt64(bytes.count / MemoryLayout<T>.size) else {
            throw SnapshotError.corrupt("array length \(count) at byte \(offset) is impossible")
        }
        _ = try take((8 - offset % 8) % 8)
        return try take(Int(count) * MemoryLayout<T>.size)
    }

    /// An array copied out of the snapshot.
    mutating func array<T: FixedWidthScalar>() throws -> [T] {
        let range = try arrayRange(of: T.self)
        let count = range.count / MemoryLayout<T>.size
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[range]))
            initialized = count
        }
    }

    /// An array read where it lies in `snapshot` (the reader's bytes), as `Element`, which
    /// has `Stored`'s size: Int64 on disk is Int in memory on the 64-bit machines Swift runs on.
    mutating func inPlace<Stored: FixedWidthScalar, Element: BitwiseCopyable>(
        _ stored: Stored.Type, in snapshot: SnapshotBytes
    ) throws -> IndexArray<Element> {
        precondition(MemoryLayout<Element>.size == MemoryLayout<Stored>.size)
        let range = try arrayRange(of: Stored.self)
        let count = range.count / MemoryLayout<Stored>.size
        guard let base = bytes.baseAddress, count > 0 else { return IndexArray([]) }
        let start = base + range.lowerBound
        guard Int(bitPattern: start) % MemoryLayout<Element>.alignment == 0 else {
            throw SnapshotError.corrupt("array at byte \(range.lowerBound) is not aligned")
        }
        return IndexArray(UnsafeBufferPointer(start: start.bindMemory(to: Element.self, capacity: count), count: count),
                          in: snapshot)
    }
}

/// Numbers stored as raw little-endian bytes in a snapshot.
protocol FixedWidthScalar: BitwiseCopyable {}
extension Int64: FixedWidthScalar {}
/// Written as Int64: Int is eight bytes on the 64-bit machines Swift runs on.
extension Int: FixedWidthScalar {}
extension UInt64: FixedWidthScalar {}
extension UInt32: FixedWidthScalar {}
extension UInt16: FixedWidthScalar {}
extension UInt8: FixedWidthScalar {}
extension Float: FixedWidthScalar {}
