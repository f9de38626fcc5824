import CPCRE2

/// The single PCRE2 pattern that finds words and the personal data that must never become one.
///
/// Alternatives are tried left to right at each position, so personal data wins over the words
/// it is made of. Every quantifier is bounded, so the cost per position is bounded and the scan
/// stays linear however hostile the text.
enum WordPattern {
    /// Capture group numbers, in pattern order.
    enum Group: Int {
        case email = 1, ipv6, ipv4, digits, word
    }

    /// Digits in a row (or in a number with separators) from which a number is treated as
    /// personal data (phone, card, account or ID number) rather than as a term.
    static let longDigitRun = 6

    static let hex = "[0-9A-Fa-f]{1,4}"
    static let octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"

    static let source = source(needs: .all)

    /// What a text can need of the pattern: the e-mail alternative only where there is an `@`,
    /// the IPv6 one only where there is a `:`, the IPv4 and separated-digit ones only where there
    /// is an ASCII digit. Every one of those alternatives contains that character, so without it
    /// they match nowhere.
    struct Needs: OptionSet {
        let rawValue: Int
        static let email = Needs(rawValue: 1)
        static let ipv6 = Needs(rawValue: 2)
        static let digits = Needs(rawValue: 4)
        static let all: Needs = [.email, .ipv6, .digits]

        /// One pass over the bytes, eight at a time: whether a word of eight holds a byte
        /// below `n` (n ≤ 128) is `(x - n·0x01…) & ~x & 0x80…` ≠ 0, exactly, and a byte equal to
        /// `c` is a byte of `x ^ c·0x01…` below one.
        init(of bytes: UnsafeBufferPointer<UInt8>) {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            @inline(__always) func hasByteBelow(_ x: UInt64, _ n: UInt64) -> Bool { (x &- n &* ones) & ~x & highs != 0 }
            var needs: Needs = []
            var index = 0
            if let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base)
                while index + 8 <= bytes.count, needs != .all {
                    let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    if hasByteBelow(word ^ (0x40 &* ones), 1) { needs.insert(.email) }
                    if hasByteBelow(word ^ (0x3A &* ones), 1) { needs.insert(.ipv6) }
                    if hasByteBelow(word ^ (0x30 &* ones), 10) { needs.insert(.digits) }
                    index += 8
                }
            }
            while index < bytes.count, needs != .all {
                switch bytes[index] {
                case 0x40: needs.insert(.email)
                case 0x3A: needs.insert(.ipv6)
                case 0x30...0x39: needs.insert(.digits)
                default: break
                }
                index += 1
            }
            self = needs
        }

        init(rawValue: Int) { self.rawValue = rawValue }
    }

    /// The pattern with the alternatives a text does not need made to fail at once; their
    /// groups stay, so group numbers are the same in every variant.
    static func source(needs: Needs) -> String {
        let never = "(?!)"
        let email = #"[\p{L}\p{N}._%+\-]{1,64}@(?:[\p{L}\p{N}\-]{1,63}\.){1,8}\p{L}{2,24}"#
        let ipv4 = #"(?<![\p{N}.])(?:\#(octet)\.){3}\#(octet)(?![\p{N}]|\.[0-9])"#
        let ipv6Body = "(?:\(hex):){7}\(hex)|(?:\(hex):){1,7}:(?:\(hex)(?::\(hex)){0,6})?(?:\(octet)(?:\\.\(octet)){3})?|::(?:\(hex)(?::\(hex)){0,6})?(?:\(octet)(?:\\.\(octet)){3})?"
        let ipv6 = #"(?<![\p{L}\p{N}:])(?:"# + ipv6Body + #")(?![\p{L}\p{N}:])"#
        let separatedDigits = #"(?<![\p{L}\p{N}])\+?\(?[0-9](?:[ .\-()/]{0,2}[0-9]){"# + "\(longDigitRun - 1)" + #",40}(?![\p{L}\p{N}])"#
        let word = #"[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}]|['’](?=\p{L})){0,200}"#
        let parts = [needs.contains(.email) ? email : never, needs.contains(.ipv6) ? ipv6 : never,
                     needs.contains(.digits) ? ipv4 : never, needs.contains(.digits) ? separatedDigits : never, word]
        return parts.map { "(\($0))" }.joined(separator: "|")
    }

    /// The whole pattern: what every variant must agree with, and what match data is sized for.
    static let compiled = compile(source)

    /// Every variant, by its needs' raw value, compiled to match only at the offset it is given:
    /// what ``WordScanner`` asks where it cannot decide by itself.
    static let anchoredVariants: [CompiledPattern] = (0...Needs.all.rawValue).map { raw in
        compile(source(needs: Needs(rawValue: raw)), options: UInt32(PCRE2_ANCHORED))
    }

    static func compile(_ source: String, options: UInt32 = 0) -> CompiledPattern {
        do { return try CompiledPattern(source, options: options) } catch {
            fatalError("the word pattern must compile: \(error)")
        }
    }

    /// Whether the digits of `text` pass the Luhn check that every payment card number passes.
    static func passesLuhn(_ digits: [UInt8]) -> Bool {
        guard digits.count >= 13, digits.count <= 19 else { return false }
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if index % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }
}
