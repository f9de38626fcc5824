import Testing
@testable import Indexing

@Suite struct PostingFrequenciesTests {
    @Test func wholeNumbersTakeOneByteAndReadBackExactly() {
        let values: [Float] = [1, 2, 3, 254, 255, 256, 1264, 7, 0]
        let stored = PostingFrequencies(values)
        guard case .bytes(let bytes, let large) = stored else {
            Issue.record("whole numbers should be stored as bytes: \(stored)")
            return
        }
        #expect(bytes.count == values.count)
        #expect(large == [4: 255, 5: 256, 6: 1264], "the rare large ones are kept aside: \(large)")
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
