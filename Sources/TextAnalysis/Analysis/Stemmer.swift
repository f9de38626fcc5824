import CStemmer

/// A Snowball stemmer from Debian's libstemmer for one language.
///
/// A libstemmer stemmer keeps its working buffer inside, so it is not Sendable: each
/// ``AnalysisScratch`` owns its own.
public final class Stemmer {
    private let stemmer: OpaquePointer
    /// The Snowball algorithm name in use, e.g. "english".
    public let algorithm: String

    /// A stemmer for `language` (a Snowball name such as "french" or an ISO 639 code such as
    /// "fr"), or nil when Snowball has no algorithm for it.
    public init?(language: String) {
        guard let made = sb_stemmer_new(language.lowercased(), "UTF_8") else { return nil }
        stemmer = made
        algorithm = language.lowercased()
    }

    deinit { sb_stemmer_delete(stemmer) }

    /// The stem of `word`, which must already be lower-cased; the word itself when the algorithm
    /// would remove all of it (Snowball's Greek stems "αμε" to nothing, found by fuzzing), since
    /// an empty term matches nothing and means nothing.
    public func stem(_ word: String) -> String {
        var copy = word
        return copy.withUTF8 { bytes -> String in
            guard let base = bytes.baseAddress,
                  let result = sb_stemmer_stem(stemmer, base, Int32(bytes.count)) else { return word }
            let length = Int(sb_stemmer_length(stemmer))
            guard length > 0 else { return word }
            return String(decoding: UnsafeBufferPointer(start: result, count: length), as: UTF8.self)
        }
    }

    /// The Snowball algorithms libstemmer offers.
    public static let availableAlgorithms: [String] = {
        var names: [String] = []
        guard let list = sb_stemmer_list() else { return names }
        var index = 0
        while let name = list[index] {
            names.append(String(cString: name))
            index += 1
        }
        return names
    }()
}

@available(*, unavailable)
extension Stemmer: Sendable {}
