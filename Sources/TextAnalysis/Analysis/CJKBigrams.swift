/// Chinese, Japanese and Korean text has no spaces between words: a run of ideographs, kana or
/// hangul is one "word" to the scanner. It is split as Lucene's CJKAnalyzer splits it, into
/// overlapping pairs of characters (東京都 → 東京, 京都), a lone character standing alone, so that
/// a query and a page written differently still share most of their pairs. Letters and digits
/// around the run (iPhone用) stay words of their own.
enum CJKBigrams {
    /// Whether `word` may hold a CJK character: a three-byte UTF-8 sequence led by E3 to ED
    /// (U+3000 to U+DFFF: kana, CJK ideographs, hangul) or EF (half-width katakana, compatibility
    /// ideographs), or a four-byte one (the ideograph extensions). A cheap screen; the pieces are
    /// decided by ``isCJK(_:)``.
    @inline(__always)
    static func mayContainCJK(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in word where byte >= 0xE3 && byte != 0xEE { return true }
        return false
    }

    static func isCJK(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x3040...0x30FF, 0x31F0...0x31FF: true          // hiragana, katakana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: true  // ideographs
        case 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F: true  // hangul
        case 0xFF66...0xFF9F: true                            // half-width katakana
        default: false
        }
    }

    /// Calls `body` with the byte range of each piece of the word at `range`: maximal non-CJK
    /// runs whole, CJK runs as overlapping pairs of characters (a run of one as itself).
    static func forEachPiece(of bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, _ body: (Range<Int>) -> Void) {
        // Each character's start, and whether it is CJK.
        var starts: [Int] = []
        var cjk: [Bool] = []
        var index = range.lowerBound
        while index < range.upperBound {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : (lead < 0xE0 ? 2 : (lead < 0xF0 ? 3 : 4))
            var scalar = UInt32(lead)
            if length > 1, index + length <= range.upperBound {
                scalar = UInt32(lead) & (0xFF >> (length + 1))
                for offset in 1..<length { scalar = scalar << 6 | UInt32(bytes[index + offset] & 0x3F) }
            }
            starts.append(index)
            cjk.append(isCJK(scalar))
            index = min(index + length, range.upperBound)
        }
        starts.append(range.upperBound)
        var first = 0
        while first < cjk.count {
            var last = first
            while last + 1 < cjk.count, cjk[last + 1] == cjk[first] { last += 1 }
            if !cjk[first] || last == first {
                body(starts[first]..<starts[last + 1])
            } else {
                for character in first..<last { body(starts[character]..<starts[character + 2]) }
            }
            first = last + 1
        }
    }
}
