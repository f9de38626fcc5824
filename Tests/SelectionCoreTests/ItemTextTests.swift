import Foundation
import SelectionCore
import Testing

/// A text store over one string's bytes, as a snapshot's mapped file would be.
final class BytesStore: TextStore {
    let bytes: [UInt8]
    init(_ text: String) { bytes = Array(text.utf8) }
    func text(at offset: Int, count: Int) -> String { String(decoding: bytes[offset..<offset + count], as: UTF8.self) }
}

@Suite struct ItemTextTests {
    @Test func storedAndOwnedTextsAreTheSameValue() throws {
        let store = BytesStore("xxGreen teayy")
        let stored = ItemText(in: store, offset: 2, count: 9)
        let owned = ItemText("Green tea")
        #expect(stored.string == "Green tea")
        #expect(stored == owned)
        #expect(Set([stored, owned]).count == 1, "equal values hash alike")
        #expect(stored.utf8Count == 9 && !stored.isEmpty && ItemText("").isEmpty)
        let decoded = try JSONDecoder().decode(ItemText.self, from: JSONEncoder().encode(stored))
        #expect(decoded == owned)
    }
}
