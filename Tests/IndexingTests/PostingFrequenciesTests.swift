import Testing
@testable import Indexing

@Suite struct PostingFrequenciesTests {
    @Test func wholeNumbersTakeHalfAByteAndReadBackExactly() {
        let values: [Float] = [1, 2, 14, 15, 16, 255, 1264, 7, 0]
        let stored = PostingFrequencies(values)
        guard case .nibbles(let codes, let count, let large) = stored else {
            Issue.record("whole numbers should be stored as half bytes: \(stored)")
            return
        }
        #expect(codes.count == 5 && count == values.count)
        #expect(Array(codes) == [0x21, 0xFE, 0xFF, 0x7F, 0x00], "two codes a byte, the first in the low half")
        #expect(large == [3: 15, 4: 16, 5: 255, 6: 1264], "the rare large ones are kept aside: \(large)")
        #expect(stored.floats == values)
        #expect(values.indices.map { stored[$0] } == values)
    }

    @Test func fractionsKeepFloats() {
        let values: [Float] = [1, 0.5, 3]
        let stored = PostingFrequencies(values)
        #expect(stored == .floats(IndexArray(values)))
        #expect(stored.floats == values)
        #expect(stored.byteCount == 12)
    }
}
