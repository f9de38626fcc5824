import CLD2Shim

/// A page's language as Google's Compact Language Detector 2 reads it (Debian's libcld2-dev),
/// for pages that declare none or declare one their text contradicts.
public struct DetectedLanguage: Hashable, Sendable {
    /// The primary language subtag: "de", "ja", "zh"…
    public var code: String
    /// The share of the text CLD2 found in that language, 0…1.
    public var share: Double
    /// CLD2's own verdict on the evidence (enough text, a clear margin).
    public var isReliable: Bool

    public init(code: String, share: Double, isReliable: Bool) {
        self.code = code
        self.share = share
        self.isReliable = isReliable
    }
}

public enum LanguageDetector {
    /// Bytes of text read at most: CLD2's answer settles long before (its accuracy on Debian's
    /// translated descriptions of 200 characters and more is in the README), and a page's cost
    /// stays bounded whatever its length.
    public static let maximumBytes = 1024

    /// The language of `text`, or nil when CLD2 finds none (too little text, or none it knows).
    public static func detect(_ text: String) -> DetectedLanguage? {
        var text = text
        return text.withUTF8 { bytes -> DetectedLanguage? in
            var length = min(bytes.count, maximumBytes)
            // Cut on a character boundary: never inside a multi-byte sequence.
            while length > 0, length < bytes.count, bytes[length] & 0xC0 == 0x80 { length -= 1 }
            guard length > 0 else { return nil }
            var code = [CChar](repeating: 0, count: 16)
            var percent: Int32 = 0
            var reliable: Int32 = 0
            let found = bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: length) { pointer in
                ctxsel_detect_language(pointer, Int32(length), &code, &percent, &reliable)
            }
            guard found == 0 else { return nil }
            let name = String(cString: code)
            guard let primary = primaryLanguage(name) else { return nil }
            return DetectedLanguage(code: Self.modernCode(primary), share: Double(percent) / 100, isReliable: reliable == 1)
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
