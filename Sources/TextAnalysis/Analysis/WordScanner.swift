/// Finds exactly what ``WordPattern`` finds, deciding the common case by hand.
///
/// The pattern is a leftmost search: from where the last match ended, the first position where
/// any alternative matches, and there the first alternative that does. Most positions of a real
/// text are decided by a glance at ASCII bytes: a space or a comma starts nothing, and a letter
/// starts a plain word unless an `@` or a `:` close by could make it an e-mail address or an
/// IPv6 address. Everything else (digits, non-ASCII characters, the bytes that can open personal
/// data) goes to PCRE2, anchored at that one position — which is what the search would have
/// tried there, since every earlier position was ruled out.
enum WordScanner {
    /// Calls `body` with each match's byte range and first group set, left to right, as
    /// ``CompiledPattern/forEachMatch(in:scratch:_:)`` of ``WordPattern/compiled`` would.
    @inline(__always)
    static func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, scratch: MatchScratch,
                             _ body: (_ range: Range<Int>, _ group: Int) -> Bool) {
        let needs = WordPattern.Needs(of: bytes)
        let anchored = WordPattern.anchoredVariants[needs.rawValue]
        let email = needs.contains(.email), ipv6 = needs.contains(.ipv6), digits = needs.contains(.digits)
        let word = WordPattern.Group.word.rawValue
        let count = bytes.count
        var offset = 0
        while offset < count {
            let byte = bytes[offset]
            if byte < 0x80 {
                if isLetter(byte) {
                    if let end = plainWordEnd(in: bytes, from: offset),
                       !(email && emailMayStart(in: bytes, at: offset)),
                       !(ipv6 && ipv6MayStart(in: bytes, at: offset)) {
                        if !body(offset..<end, word) { return }
                        offset = end
                        continue
                    }
                } else if !isDigit(byte), !mayOpenPersonalData(byte, in: bytes, at: offset, email: email, ipv6: ipv6,
                                                                digits: digits) {
                    offset += 1
                    continue
                }
            }
            if let (range, group) = anchored.match(at: offset, in: bytes, scratch: scratch), !range.isEmpty {
                if !body(range, group) { return }
                offset = range.upperBound
            } else {
                offset = CompiledPattern.nextScalarStart(after: offset, in: bytes)
            }
        }
    }

    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) static func isHexDigit(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20) &- 0x61 < 6 }

    /// The end of the word alternative (`[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}]|['’](?=\p{L})){0,200}`)
    /// from the letter at `start`, or nil when a non-ASCII byte leaves it to PCRE2.
    @inline(__always)
    static func plainWordEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start + 1
        var repeats = 0
        while repeats < 200, index < bytes.count {
            let byte = bytes[index]
            if isLetter(byte) || isDigit(byte) {
                index += 1
                repeats += 1
            } else if byte == 0x27 {
                // An apostrophe belongs to the word only before a letter.
                guard index + 1 < bytes.count else { break }
                let next = bytes[index + 1]
                if next >= 0x80 { return nil }
                guard isLetter(next) else { break }
                index += 1
                repeats += 1
            } else if byte >= 0x80 {
                return nil
            } else {
                break
            }
        }
        return index
    }

    /// Whether the e-mail alternative (up to 64 of `[\p{L}\p{N}._%+\-]`, then `@`) could match
    /// at `start`; true also when a non-ASCII byte leaves it open.
    @inline(__always)
    static func emailMayStart(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var index = start
        while index < bytes.count, index - start <= 64 {
            let byte = bytes[index]
            if byte == 0x40 { return index > start }
            if byte >= 0x80 { return true }
            guard isLetter(byte) || isDigit(byte) || byte == 0x2E || byte == 0x5F || byte == 0x25 || byte == 0x2B
                || byte == 0x2D else { return false }
            index += 1
        }
        return false
    }

    /// Whether the IPv6 alternative could match at `start`: every branch opens with one to four
    /// hex digits and a `:`, or with `::`.
    @inline(__always)
    static func ipv6MayStart(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var index = start
        while index < bytes.count, index - start < 5, isHexDigit(bytes[index]) { index += 1 }
        let hexDigits = index - start
        return hexDigits >= 1 && hexDigits <= 4 && index < bytes.count && bytes[index] == 0x3A
    }

    /// Whether an ASCII byte that is neither letter nor digit could open an e-mail address
    /// (`._%+-`), an IPv6 address (`::`) or a separated number (`+`, `(` before a digit).
    @inline(__always)
    static func mayOpenPersonalData(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, at offset: Int,
                                    email: Bool, ipv6: Bool, digits: Bool) -> Bool {
        switch byte {
        case 0x2B: // +
            if digits, isDigit(Self.byte(at: offset + 1, in: bytes))
                || (Self.byte(at: offset + 1, in: bytes) == 0x28 && isDigit(Self.byte(at: offset + 2, in: bytes))) {
                return true
            }
            return email && emailMayStart(in: bytes, at: offset)
        case 0x28: // (
            return digits && isDigit(Self.byte(at: offset + 1, in: bytes))
        case 0x3A: // :
            return ipv6 && Self.byte(at: offset + 1, in: bytes) == 0x3A
        case 0x2E, 0x5F, 0x25, 0x2D: // . _ % -
            return email && emailMayStart(in: bytes, at: offset)
        default:
            return false
        }
    }

    /// The byte at `index`, or 0 past the end.
    @inline(__always)
    static func byte(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        index < bytes.count ? bytes[index] : 0
    }
}
