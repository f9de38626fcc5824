import SelectionCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What analysis decided about each raw word it has met, so that a word seen again costs one
/// hash of its bytes: no string is made, folded, looked up as a stop word or stemmed twice.
///
/// Entries belong to one analysis setting (language, stop words, stemmer): a scratch keeps a
/// table per setting it meets (``AnalysisScratch``). A table empties once it holds ``limit``
/// entries, which bounds its memory on hostile input (one text adds at most its word count
/// beyond the limit), and never within a text, so terms numbered in the order first met stay
/// valid for it. Each filling has its own ``generation``: term numbers mean something only in it.
final class WordTable {
    /// Entries kept at most before the table starts again.
    static let limit = 100_000
    /// The term number of a word that is not a term (a stop word or a single letter).
    static let dropped: Int32 = -1

    // The open-addressing index, linear probing. Each slot is two words side by side: the key's
    // first eight bytes (zero-padded), then entry + 1 (0 is empty) in the low half with 24 bits
    // of the hash and the key's length (up to 255) above it. A word of eight bytes or fewer (most
    // words) is found or ruled out from its slot alone, with no read of the entry arrays: once
    // the table holds tens of thousands of words those reads are cache misses. The hot arrays
    // skip Swift's run-time exclusivity checks: the table belongs to one scratch, which one task
    // uses at a time, and no method of it reenters another.
    @exclusivity(unchecked) private var slots: [UInt64] = []
    @exclusivity(unchecked) private var mask = 0
    private let seed: UInt64

    // Entries: the raw word's bytes in `arena`, its hash, and what it became.
    @exclusivity(unchecked) private var arena: [UInt8] = []
    @exclusivity(unchecked) private var keyStarts: [Int32] = []
    @exclusivity(unchecked) private var keyLengths: [Int32] = []
    @exclusivity(unchecked) private var hashes: [UInt64] = []
    /// The term number of each entry, or ``dropped``.
    @exclusivity(unchecked) private(set) var entryTerms: [Int32] = []
    /// The case-folded word of each entry (what people are shown instead of a stem).
    private(set) var entryFolded: [String] = []

    /// Terms by number, and numbers by term (several raw words can share one term).
    private(set) var terms: [String] = []
    private var numbers: [String: Int32] = [:]

    /// The setting the entries were made under.
    let language: String
    let stopWords: StopWords
    /// This filling of the table, unique within its scratch: it changes when the table empties.
    private(set) var generation: Int

    /// Document frequencies by term number, for the statistics with `frequencyKey`; -1 where
    /// not yet looked up (``AnalysisScratch/documentFrequency(of:index:in:statistics:)``).
    var frequencyKey: UInt64?
    @exclusivity(unchecked) var frequencies: [Int32] = []

    init(language: String, stopWords: StopWords, generation: Int) {
        var generator = SystemRandomNumberGenerator()
        seed = generator.next()
        self.language = language
        self.stopWords = stopWords
        self.generation = generation
        reset(capacity: 1024)
    }

    var count: Int { entryTerms.count }

    /// Whether a text under this setting can be numbered here as the table stands.
    func serves(language: String, stopWords: StopWords) -> Bool {
        language == self.language && stopWords == self.stopWords
    }

    /// Empties the table for its next filling, `generation`.
    func restart(generation: Int) {
        self.generation = generation
        reset(capacity: 1024)
    }

    private func reset(capacity: Int) {
        slots = [UInt64](repeating: 0, count: 2 * capacity)
        mask = capacity - 1
        arena.removeAll(keepingCapacity: true)
        keyStarts.removeAll(keepingCapacity: true)
        keyLengths.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        entryTerms.removeAll(keepingCapacity: true)
        entryFolded.removeAll(keepingCapacity: true)
        terms.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        frequencyKey = nil
        frequencies.removeAll(keepingCapacity: true)
    }

    /// The entry for `word`, made by `decide` (folded word → term, or nil for no term) when the
    /// word is new.
    @inline(__always)
    func entry(for word: UnsafeBufferPointer<UInt8>, decide: (UnsafeBufferPointer<UInt8>) -> (folded: String, term: String?))
        -> Int {
        let hash = ByteHash.hash(UnsafeRawBufferPointer(word), seed: seed)
        let tag = Self.tag(hash: hash, length: word.count)
        let prefix = Self.prefix(word)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let held = slots[2 * slot + 1]
            if held == 0 { break }
            if held & Self.tagMask == tag, slots[2 * slot] == prefix {
                let entry = Int(truncatingIfNeeded: held & ~Self.tagMask) - 1
                if word.count <= 8 || matches(entry, word) { return entry }
            }
            slot = (slot + 1) & mask
        }
        let (folded, term) = decide(word)
        let entry = count
        keyStarts.append(Int32(arena.count))
        keyLengths.append(Int32(word.count))
        arena.append(contentsOf: word)
        hashes.append(hash)
        entryFolded.append(folded)
        if let term {
            if let number = numbers[term] {
                entryTerms.append(number)
            } else {
                let number = Int32(terms.count)
                numbers[term] = number
                terms.append(term)
                entryTerms.append(number)
            }
        } else {
            entryTerms.append(Self.dropped)
        }
        slots[2 * slot] = prefix
        slots[2 * slot + 1] = tag | UInt64(entry + 1)
        if count * 4 > slots.count { grow() }
        return entry
    }

    /// The high half of a slot's second word: hash bits and key length.
    static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

    /// 24 bits of `hash` and the length (255 for any longer), in the high half of a word.
    @inline(__always)
    static func tag(hash: UInt64, length: Int) -> UInt64 {
        (hash & 0xFFFF_FF00_0000_0000) | (UInt64(min(length, 255)) << 32)
    }

    /// The first eight bytes of `word`, zero-padded (the tag holds the length, so padding is
    /// never mistaken for bytes).
    @inline(__always)
    static func prefix(_ word: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = word.baseAddress else { return 0 }
        if word.count >= 8 { return UnsafeRawPointer(base).loadUnaligned(as: UInt64.self) }
        var prefix: UInt64 = 0
        for offset in 0..<word.count { prefix |= UInt64(base[offset]) << (8 * UInt64(offset)) }
        return prefix
    }

    private func matches(_ entry: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = Int(keyLengths[entry])
        guard length == word.count else { return false }
        guard let wordBase = word.baseAddress else { return true }
        let start = Int(keyStarts[entry])
        return arena.withUnsafeBufferPointer { bytes in memcmp(bytes.baseAddress! + start, wordBase, length) == 0 }
    }

    private func grow() {
        let old = slots
        let capacity = old.count  // twice the slots there were
        slots = [UInt64](repeating: 0, count: 2 * capacity)
        mask = capacity - 1
        for index in stride(from: 0, to: old.count, by: 2) where old[index + 1] != 0 {
            let entry = Int(truncatingIfNeeded: old[index + 1] & ~Self.tagMask) - 1
            var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
            while slots[2 * slot + 1] != 0 { slot = (slot + 1) & mask }
            slots[2 * slot] = old[index]
            slots[2 * slot + 1] = old[index + 1]
        }
    }
}
