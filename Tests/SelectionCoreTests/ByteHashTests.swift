import SelectionCore
import Testing

@Suite struct ByteHashTests {
    func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 { bytes.withUnsafeBytes { ByteHash.hash($0, seed: seed) } }

    @Test func everyByteAndTheLengthCount() {
        let base: [UInt8] = Array("a run of bytes longer than eight".utf8)
        let reference = hash(base)
        for position in base.indices {
            var changed = base
            changed[position] ^= 1
            #expect(hash(changed) != reference, "byte \(position) changes the hash")
        }
        #expect(hash([0x61]) != hash([0x61, 0x00]), "a trailing zero byte is not the same key")
        #expect(hash([]) != hash([0x00]))
    }

    @Test func theSeedChangesEveryHash() {
        let key = Array("term".utf8)
        #expect(hash(key, seed: 1) != hash(key, seed: 2))
        #expect(hash(key, seed: 7) == hash(key, seed: 7))
    }

    @Test func theFinalizerMixesEveryBit() {
        #expect(ByteHash.mix(0) == 0)
        // One flipped input bit flips about half the output bits.
        var flipped = 0
        for bit in 0..<64 { flipped += (ByteHash.mix(1 << UInt64(bit)) ^ ByteHash.mix(0)).nonzeroBitCount }
        let mean = Double(flipped) / 64
        #expect(mean > 24 && mean < 40, "average bits changed \(mean)")
    }
}
