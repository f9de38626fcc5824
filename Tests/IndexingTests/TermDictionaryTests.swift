import SelectionCore
import Testing
@testable import Indexing

@Suite struct TermDictionaryTests {
    /// Terms of every shape the analyzer makes: short, exactly eight bytes, long enough for a
    /// heap string, non-ASCII, and prefixes of one another.
    let terms = ["a", "caf", "café", "kettl", "kettle", "kettles", "recipes1", "supercalifragilistic", "日本語", "ß"].sorted()

    @Test func everyTermIsFoundAtItsNumberAndReadBack() {
        let dictionary = TermDictionary(terms)
        #expect(dictionary.count == terms.count)
        #expect((0..<dictionary.count).map { dictionary[$0] } == terms)
        #expect(terms.indices.map { dictionary.id(of: terms[$0]) } == terms.indices.map { $0 })
    }

    @Test func termsItDoesNotHaveAreNotFound() {
        let dictionary = TermDictionary(terms)
        let absent = ["", "b", "kett", "kettlex", "cafe", "supercalifragilisti", "日本"]
        #expect(absent.map { dictionary.id(of: $0) } == absent.map { _ in nil })
        #expect(TermDictionary([]).id(of: "a") == nil)
    }

    @Test func manyTermsAllFoundThroughCollidingProbes() {
        var generator = SplitMix64(seed: 21)
        let many = Set((0..<5000).map { _ in
            String((0..<Int.random(in: 1...20, using: &generator)).map { _ in "abcdefghij".randomElement(using: &generator)! })
        }).sorted()
        let dictionary = TermDictionary(many)
        #expect(dictionary.slots.count == TermDictionary.slotCount(for: many.count))
        let misses = many.indices.filter { dictionary.id(of: many[$0]) != $0 }
        #expect(misses.isEmpty, "terms not found at their number: \(misses.prefix(10).map { many[$0] })")
    }

    @Test func arraysThatDoNotBelongTogetherAreRefused() throws {
        let dictionary = TermDictionary(terms)
        let shortBytes = IndexArray(Array(dictionary.bytes.dropLast()))
        #expect(throws: SnapshotError.corrupt("term starts do not agree with the term bytes")) {
            try TermDictionary(bytes: shortBytes, starts: dictionary.starts, slots: dictionary.slots)
        }
        var slots = Array(dictionary.slots)
        slots[slots.firstIndex(of: 0)!] = UInt32(terms.count + 1)
        #expect(throws: SnapshotError.corrupt("the term table does not agree with the \(terms.count) terms")) {
            try TermDictionary(bytes: dictionary.bytes, starts: dictionary.starts, slots: IndexArray(slots))
        }
        // A table with no empty slot would never end a probe for an absent term.
        let full = IndexArray([UInt32](repeating: 1, count: dictionary.slots.count))
        #expect(throws: SnapshotError.corrupt("the term table does not agree with the \(terms.count) terms")) {
            try TermDictionary(bytes: dictionary.bytes, starts: dictionary.starts, slots: full)
        }
        let rebuilt = try TermDictionary(bytes: dictionary.bytes, starts: dictionary.starts, slots: dictionary.slots)
        #expect(rebuilt == dictionary)
    }
}
