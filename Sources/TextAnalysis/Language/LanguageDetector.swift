import CLD2Shim

/// A page's language as Google's Compact Language Detector 2 reads it (Debian's libcld2-dev),
/// for pages that declare none or declare one their text contradicts.
public struct DetectedLanguage: Hashable, Sendable {
    /// A language CLD2 found in part of the text.
    public struct Share: Hashable, Sendable {
        /// The primary language subtag: "de", "ja", "zh"…
        public var code: String
        /// The share of the text in it, 0…1.
        public var share: Double

        public init(code: String, share: Double) {
            self.code = code
            self.share = share
        }
    }

    /// CLD2's answer, as a primary language subtag.
    public var code: String
    /// The share of the text CLD2 found in that language, 0…1.
    public var share: Double
    /// CLD2's own verdict on the evidence (enough text, a clear margin).
    public var isReliable: Bool
    /// The (up to three) languages CLD2 found most of, most first: its answer among them.
    public var found: [Share]

    public init(code: String, share: Double, isReliable: Bool, found: [Share]? = nil) {
        self.code = code
        self.share = share
        self.isReliable = isReliable
        self.found = found ?? [Share(code: code, share: share)]
    }

    /// Whether no other language CLD2 found holds more of the text than its answer.
    public var leads: Bool {
        var shares: [String: Double] = [:]
        for language in found { shares[language.code, default: 0] += language.share }
        return shares.allSatisfy { $0.key == code || $0.value <= share }
    }
}

public enum LanguageDetector {
    /// Bytes of text read at most: CLD2's answer settles long before (its accuracy on Debian's
    /// translated descriptions of 200 characters and more is in the README), and a page's cost
    /// stays bounded whatever its length.
    public static let maximumBytes = 1024

    /// The language of `text`, or nil when CLD2 finds none (too little text, or none it knows).
    /// An answer CLD2 did not give but took from the languages it found is never reliable.
    public static func detect(_ text: String) -> DetectedLanguage? {
        var text = text
        return text.withUTF8 { bytes -> DetectedLanguage? in
            var length = min(bytes.count, maximumBytes)
            // Cut on a character boundary: never inside a multi-byte sequence.
            while length > 0, length < bytes.count, bytes[length] & 0xC0 == 0x80 { length -= 1 }
            guard length > 0 else { return nil }
            var summary = [CChar](repeating: 0, count: 16)
            var codes = [CChar](repeating: 0, count: 48)
            var percents: [Int32] = [0, 0, 0]
            var reliable: Int32 = 0
            let answered = bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: length) { pointer in
                ctxsel_detect_language(pointer, Int32(length), &summary, &codes, &percents, &reliable)
            }
            let found = (0..<3).compactMap { rank -> DetectedLanguage.Share? in
                let name = codes[(16 * rank)..<(16 * rank + 16)].withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                guard name != "un", percents[rank] > 0, let primary = primaryLanguage(name) else { return nil }
                return DetectedLanguage.Share(code: Self.modernCode(primary), share: Double(percents[rank]) / 100)
            }
            // CLD2's answer is not always the language it found most of: English boilerplate
            // around another language answers the other, and text mostly of no language (names,
            // code) answers none, though it found one in the rest, which is then the answer.
            let summaryCode = answered == 0 ? primaryLanguage(String(cString: summary)).map(Self.modernCode) : nil
            guard let answer = summaryCode ?? found.first?.code else { return nil }
            let share = found.filter { $0.code == answer }.map(\.share).reduce(0, +)
            let isReliable = summaryCode != nil && reliable == 1
            return DetectedLanguage(code: answer, share: share, isReliable: isReliable, found: found)
        }
    }

    /// CLD2 keeps a few withdrawn ISO 639 codes; the engine uses today's.
    static func modernCode(_ code: String) -> String {
        switch code {
        case "iw": "he"
        case "in": "id"
        case "ji": "yi"
        case "nb", "nn": "no"
        default: code
        }
    }
}
