import Dispatch
import Foundation
public import SelectionCore

/// A saved index: a versioned binary file with a checksum, loaded without re-analysing the
/// catalog or recomputing its statistics.
///
/// Layout (little-endian): magic `CTXSIDX\0` (8 bytes), format version (UInt32), then
/// length-prefixed sections: configuration (JSON), items (each field length-prefixed), corpus
/// statistics (JSON), terms (UTF-8, each length-prefixed), posting starts (Int64), posting
/// documents (UInt32), posting frequencies (a form byte, then one byte each with the large ones
/// as (posting Int64, Float32) pairs, or Float32 each), posting BM25 impacts (Float32), item
/// lengths (Float32), item TF-IDF norms (Float32), per-term BM25 and cosine bounds (Float32);
/// last, a 64-bit checksum of everything before it (``checksum(_:)``, eight bytes a step).
public enum IndexSnapshot {
    public static let magic: [UInt8] = Array("CTXSIDX".utf8) + [0]
    /// 4: frequencies stored in their compact form; 3: BM25 impacts stored per posting;
    /// 2: derived norms and bounds stored, word-wise checksum (1 recomputed them, FNV-1a).
    public static let formatVersion: UInt32 = 4

    /// The snapshot bytes of `index`.
    public static func data(of index: CatalogIndex) throws -> Data {
        var writer = ByteWriter()
        writer.buffer.reserveCapacity(index.postingCount * 8 + index.items.count * 64
            + index.items.reduce(0) { $0 + $1.body.utf8.count + $1.title.utf8.count })
        writer.bytes(magic)
        writer.uint32(formatVersion)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        writer.section(Array(try encoder.encode(index.configuration)))
        writer.items(index.items)
        writer.section(Array(try encoder.encode(index.corpusStatistics)))
        writer.uint64(UInt64(index.terms.count))
        for term in index.terms { writer.string(term) }
        writer.array(index.postingStarts.map { Int64($0) })
        writer.array(index.postingDocuments)
        writer.frequencies(index.postingFrequencies)
        writer.array(index.documentLengths)
        writer.array(index.postingImpacts)
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
        try data.withUnsafeBytes { try load(bytes: $0) }
    }

    static func load(bytes: UnsafeRawBufferPointer) throws -> CatalogIndex {
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
        let decoded = Result { try decode(&reader, bytes: bytes) }
        guard verification.result() == stored else {
            throw SnapshotError.corrupt("checksum mismatch: the file is truncated or damaged")
        }
        return try decoded.get()
    }

    static func decode(_ reader: inout ByteReader, bytes: UnsafeRawBufferPointer) throws -> CatalogIndex {
        let decoder = JSONDecoder()
        do {
            let configuration = try decoder.decode(IndexConfiguration.self, from: Data(try reader.section()))
            let items = try reader.items()
            let statistics = try decoder.decode(CorpusStatistics.self, from: Data(try reader.section()))
            let termCount = Int(try reader.uint64())
            guard termCount <= bytes.count else { throw SnapshotError.corrupt("term count \(termCount) is impossible") }
            var terms: [String] = []
            terms.reserveCapacity(termCount)
            for _ in 0..<termCount { terms.append(try reader.string()) }
            let starts: [Int64] = try reader.array()
            let documents: [UInt32] = try reader.array()
            let frequencies = try reader.frequencies()
            let lengths: [Float] = try reader.array()
            let impacts: [Float] = try reader.array()
            let norms: [Float] = try reader.array()
            let bm25Bounds: [Float] = try reader.array()
            let cosineBounds: [Float] = try reader.array()
            guard starts.count == terms.count + 1, starts.first == 0, starts.last == Int64(documents.count),
                  documents.count == frequencies.count, impacts.count == documents.count, lengths.count == items.count, norms.count == items.count,
                  bm25Bounds.count == terms.count, cosineBounds.count == terms.count,
                  zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }),
                  documents.allSatisfy({ Int($0) < items.count }),
                  zip(terms, terms.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw SnapshotError.corrupt("postings do not agree with the items and terms")
            }
            return CatalogIndex(configuration: configuration, items: items, corpusStatistics: statistics,
                                terms: terms, postingStarts: starts.map { Int($0) }, postingDocuments: documents,
                                frequencies: frequencies, documentLengths: lengths,
                                derived: .init(postingImpacts: impacts, documentNorms: norms, maxBM25Part: bm25Bounds, maxCosineWeight: cosineBounds))
        } catch let error as SnapshotError {
            throw error
        } catch {
            throw SnapshotError.corrupt("a section does not decode: \(error)")
        }
    }

    public static func load(from url: URL) throws -> CatalogIndex {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw SnapshotError.unreadable("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try load(data)
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
    /// Fixed-width numbers, written little-endian (the only byte order Swift runs on here).
    mutating func array<T: FixedWidthScalar>(_ values: [T]) {
        uint64(UInt64(values.count))
        values.withUnsafeBytes { buffer.append(contentsOf: $0) }
    }
}

extension ByteWriter {
    mutating func frequencies(_ frequencies: PostingFrequencies) {
        switch frequencies {
        case .bytes(let values, let large):
            bytes([0])
            array(values)
            let positions = large.keys.sorted()
            array(positions.map { Int64($0) })
            array(positions.map { large[$0]! })
        case .floats(let values):
            bytes([1])
            array(values)
        }
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
    mutating func items(_ items: [CatalogItem]) {
        uint64(UInt64(items.count))
        for item in items {
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
        }
    }
}

extension ByteReader {
    mutating func frequencies() throws -> PostingFrequencies {
        switch try byte() {
        case 0:
            let values: [UInt8] = try array()
            let positions: [Int64] = try array()
            let large: [Float] = try array()
            guard positions.count == large.count,
                  positions.allSatisfy({ $0 >= 0 && $0 < Int64(values.count) && values[Int($0)] == PostingFrequencies.escape })
            else { throw SnapshotError.corrupt("large frequencies do not agree with the postings") }
            var table: [Int: Float] = [:]
            table.reserveCapacity(positions.count)
            for (position, value) in zip(positions, large) { table[Int(position)] = value }
            guard table.count == values.reduce(0, { $0 + ($1 == PostingFrequencies.escape ? 1 : 0) }) else {
                throw SnapshotError.corrupt("large frequencies do not agree with the postings")
            }
            return .bytes(values, large: table)
        case 1:
            return .floats(try array())
        default:
            throw SnapshotError.corrupt("unknown frequency form at byte \(offset - 1)")
        }
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
    mutating func items() throws -> [CatalogItem] {
        let count = try uint64()
        guard count <= UInt64(bytes.count) else { throw SnapshotError.corrupt("item count \(count) is impossible") }
        var items: [CatalogItem] = []
        items.reserveCapacity(Int(count))
        for _ in 0..<Int(count) {
            let id = try string()
            let kindName = try string()
            guard let kind = ItemKind(rawValue: kindName) else { throw SnapshotError.corrupt("item \(id) has kind \(kindName)") }
            items.append(CatalogItem(id: id, kind: kind, title: try string(), body: try string(), url: try optional(),
                                     image: try optional(), advertiser: try optional(), keywords: try strings(),
                                     negativeKeywords: try strings(), categories: try strings(),
                                     priority: Int(Int64(bitPattern: try uint64())), weight: Double(bitPattern: try uint64()),
                                     languages: try strings(), frequencyCap: try frequencyCap(), targeting: try optional(),
                                     blockedPageCategories: try strings(), schedule: try schedule(),
                                     tier: Int(Int64(bitPattern: try uint64())), sensitiveOK: try byte() == 1))
        }
        return items
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

    mutating func array<T: FixedWidthScalar>() throws -> [T] {
        let count = try uint64()
        guard count <= UInt64(bytes.count / MemoryLayout<T>.size) else {
            throw SnapshotError.corrupt("array length \(count) at byte \(offset) is impossible")
        }
        let range = try take(Int(count) * MemoryLayout<T>.size)
        return [T](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[range]))
            initialized = Int(count)
        }
    }
}

/// Numbers stored as raw little-endian bytes in a snapshot.
protocol FixedWidthScalar: BitwiseCopyable {}
extension Int64: FixedWidthScalar {}
extension UInt32: FixedWidthScalar {}
extension UInt8: FixedWidthScalar {}
extension Float: FixedWidthScalar {}
