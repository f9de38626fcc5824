import SelectionCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The index's terms by number and numbers by term, in three flat arrays: every term's UTF-8
/// bytes one after another, where each starts, and a hash table of term numbers over them.
///
/// A `[String: Int32]` beside a `[String]` holds each term twice, in 16-byte string values
/// and a table of string keys, and a term of 16 bytes or more once more on the heap; a snapshot
/// must also make a String of every term when it loads. Here a term costs its bytes, four for
/// its start and eight to sixteen for its share of the slots, and all three arrays are read
/// where they lie in a mapped snapshot.
struct TermDictionary: Sendable, Equatable {
    /// The terms' bytes, in term order.
    let bytes: IndexArray<UInt8>
    /// Term `t` is `bytes[starts[t]..<starts[t + 1]]`.
    let starts: IndexArray<UInt32>
    /// Open addressing with linear probing: a term's number plus one, or 0 for an empty slot.
    /// A power of two, at least twice the terms, so that a probe ends soon. The hash is
    /// unseeded (the table is stored in snapshots); its keys are the catalog's own terms.
    let slots: IndexArray<UInt32>

    init(_ terms: [String]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(terms.reduce(0) { $0 + $1.utf8.count })
        var starts: [UInt32] = [0]
        starts.reserveCapacity(terms.count + 1)
        for term in terms {
            bytes.append(contentsOf: term.utf8)
            starts.append(UInt32(bytes.count))
        }
        var slots = [UInt32](repeating: 0, count: Self.slotCount(for: terms.count))
        let mask = slots.count - 1
        bytes.withUnsafeBytes { raw in
            for term in terms.indices {
                let key = UnsafeRawBufferPointer(rebasing: raw[Int(starts[term])..<Int(starts[term + 1])])
                var slot = Int(truncatingIfNeeded: ByteHash.hash(key)) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = UInt32(term + 1)
            }
        }
        self.bytes = IndexArray(bytes)
        self.starts = IndexArray(starts)
        self.slots = IndexArray(slots)
    }

    /// A dictionary read back from a snapshot; throws when the arrays cannot belong together.
    init(bytes: IndexArray<UInt8>, starts: IndexArray<UInt32>, slots: IndexArray<UInt32>) throws(SnapshotError) {
        let count = starts.count - 1
        guard count >= 0, starts[0] == 0, Int(starts[count]) == bytes.count,
              zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw .corrupt("term starts do not agree with the term bytes")
        }
        // Every term in one slot and the rest empty, so that every probe ends.
        guard slots.count == Self.slotCount(for: count), slots.allSatisfy({ Int($0) <= count }),
              slots.reduce(0, { $0 + ($1 == 0 ? 0 : 1) }) == count else {
            throw .corrupt("the term table does not agree with the \(count) terms")
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
    }

    /// Slots for `count` terms: the power of two at least twice as many.
    static func slotCount(for count: Int) -> Int {
        var slots = 2
        while slots < 2 * count { slots <<= 1 }
        return slots
    }

    var count: Int { starts.count - 1 }

    /// Term number `id`.
    subscript(id: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes.buffer[Int(starts[id])..<Int(starts[id + 1])]), as: UTF8.self)
    }

    /// The number of `term`, if the index has it.
    func id(of term: String) -> Int? {
        var term = term
        return term.withUTF8 { key in
            let raw = UnsafeRawBufferPointer(key)
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: ByteHash.hash(raw)) & mask
            while true {
                let held = Int(slots[slot])
                guard held != 0 else { return nil }
                let start = Int(starts[held - 1]), end = Int(starts[held])
                if end - start == raw.count,
                   raw.count == 0 || memcmp(bytes.buffer.baseAddress! + start, raw.baseAddress!, raw.count) == 0 {
                    return held - 1
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Bytes held by the three arrays.
    var byteCount: Int { bytes.count + starts.count * 4 + slots.count * 4 }
}
