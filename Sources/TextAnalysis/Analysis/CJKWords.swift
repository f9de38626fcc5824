import ICUShim

/// Chinese and Japanese runs split into words by ICU's dictionary-based word break iterator
/// (Debian's libicu-dev): 東京都に住む → 東京, 都, に, 住む, where ``CJKBigrams`` makes every
/// overlapping pair. One per analysis scratch (an iterator costs tens of microseconds to open);
/// where ICU cannot open one, runs fall back to bigrams.
final class CJKWords {
    private let words: OpaquePointer?
    private var bounds = [Int32](repeating: 0, count: 512)

    init() { words = icu_words_open("ja") }

    deinit { icu_words_close(words) }

    /// Calls `body` with the byte range of each word of the run at `range` in `bytes`: ICU's
    /// words (letters, numbers, kana, ideographs; no spaces or punctuation), in order.
    func forEachWord(of bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, _ body: (Range<Int>) -> Void) {
        guard let words, let base = bytes.baseAddress, range.count < Int(Int32.max) else {
            return CJKBigrams.forEachPiece(of: bytes, in: range, body)
        }
        let text = UnsafeRawPointer(base + range.lowerBound).assumingMemoryBound(to: CChar.self)
        var count = bounds.withUnsafeMutableBufferPointer {
            icu_words_segment(words, text, Int32(range.count), $0.baseAddress, Int32($0.count / 2))
        }
        if Int(count) > bounds.count / 2 {
            bounds = [Int32](repeating: 0, count: 2 * Int(count))
            count = bounds.withUnsafeMutableBufferPointer {
                icu_words_segment(words, text, Int32(range.count), $0.baseAddress, Int32($0.count / 2))
            }
        }
        guard count >= 0 else { return CJKBigrams.forEachPiece(of: bytes, in: range, body) }
        for word in 0..<Int(count) {
            body((range.lowerBound + Int(bounds[2 * word]))..<(range.lowerBound + Int(bounds[2 * word + 1])))
        }
    }
}
