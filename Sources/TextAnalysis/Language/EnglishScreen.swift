/// A fast path before CLD2 for the common case: text whose first kilobyte is (nearly) all ASCII
/// and dense in English function words is English. CLD2 costs about 0.06 ms a kilobyte; this costs
/// one pass over the bytes, so English pages keep their speed and every other page still goes
/// to CLD2. Bytes outside ASCII count as letters (a word with one never matches a function word).
///
/// The words (the, and, of, to, is, that, with, for, this, are, was, which, from, have, it)
/// are rare outside English as words of their own; at 12 % of the words, no paragraph of
/// German, French, Spanish, Italian, Portuguese or Dutch reaches the share (a French page with an
/// English quotation might, and is then read as the English it partly is).
enum EnglishScreen {
    static let sampleBytes = 1024
    static let minimumWords = 12
    static let minimumShare = 0.12

    static func isClearlyEnglish(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            let end = min(bytes.count, sampleBytes)
            var words = 0, function = 0, nonASCII = 0
            var start = -1
            var index = 0
            while index <= end {
                let byte: UInt8 = index < end ? bytes[index] : 0x20
                // Accented names and typographic punctuation occur in English; a text with more
                // than one byte in ten outside ASCII is another script or language.
                if byte >= 0x80 { nonASCII += 1 }
                let isLetter = byte >= 0x80 || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
                if isLetter {
                    if start < 0 { start = index }
                } else if start >= 0 {
                    words += 1
                    if isFunctionWord(UnsafeBufferPointer(rebasing: bytes[start..<index])) { function += 1 }
                    start = -1
                }
                index += 1
            }
            return nonASCII * 10 <= end && words >= minimumWords && Double(function) >= minimumShare * Double(words)
        }
    }

    @inline(__always)
    static func isFunctionWord(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        func equals(_ literal: StaticString) -> Bool {
            guard word.count == literal.utf8CodeUnitCount else { return false }
            let pointer = literal.utf8Start
            for offset in 0..<word.count where word[offset] | 0x20 != pointer[offset] { return false }
            return true
        }
        switch word.count {
        case 2: return equals("of") || equals("to") || equals("is") || equals("it")
        case 3: return equals("the") || equals("and") || equals("for") || equals("are") || equals("was")
        case 4: return equals("that") || equals("with") || equals("this") || equals("from") || equals("have")
        case 5: return equals("which")
        default: return false
        }
    }
}
