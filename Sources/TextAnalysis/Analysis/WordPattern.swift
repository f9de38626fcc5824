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

    static let source: String = {
        let email = #"[\p{L}\p{N}._%+\-]{1,64}@(?:[\p{L}\p{N}\-]{1,63}\.){1,8}\p{L}{2,24}"#
        let ipv4 = #"(?<![\p{N}.])(?:\#(octet)\.){3}\#(octet)(?![\p{N}]|\.[0-9])"#
        let ipv6Body = "(?:\(hex):){7}\(hex)|(?:\(hex):){1,7}:(?:\(hex)(?::\(hex)){0,6})?(?:\(octet)(?:\\.\(octet)){3})?|::(?:\(hex)(?::\(hex)){0,6})?(?:\(octet)(?:\\.\(octet)){3})?"
        let ipv6 = #"(?<![\p{L}\p{N}:])(?:"# + ipv6Body + #")(?![\p{L}\p{N}:])"#
        let separatedDigits = #"(?<![\p{L}\p{N}])\+?\(?[0-9](?:[ .\-()/]{0,2}[0-9]){"# + "\(longDigitRun - 1)" + #",40}(?![\p{L}\p{N}])"#
        let word = #"[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}]|['’](?=\p{L})){0,200}"#
        return "(\(email))|(\(ipv6))|(\(ipv4))|(\(separatedDigits))|(\(word))"
    }()

    static let compiled: CompiledPattern = {
        do { return try CompiledPattern(source) } catch { fatalError("the word pattern must compile: \(error)") }
    }()

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
