/// Decodes HTML character references (`&amp;`, `&#233;`, `&#xE9;`) in text, keeping a map from
/// decoded byte offsets back to the raw bytes so that token offsets still point into the page.
enum EntityDecoder {
    /// Name → replacement text, parsed once from ``namedEntityTable``.
    static let named: [String: String] = {
        var table: [String: String] = [:]
        table.reserveCapacity(2200)
        for line in namedEntityTable.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard let name = parts.first else { continue }
            var value = ""
            for hex in parts.dropFirst() {
                if let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) { value.unicodeScalars.append(scalar) }
            }
            table[String(name)] = value
        }
        return table
    }()

    /// Legacy names that browsers decode even without the closing semicolon.
    static let legacyWithoutSemicolon: Set<String> = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]

    /// Longest entity name in the table; bounds the look-ahead so decoding stays linear.
    static let maximumNameLength = 32

    /// Decodes `raw[range]`, appending the text to `output` and recording map points for every
    /// reference replaced. Broken references stay literal text.
    static func decode(_ raw: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into output: inout [UInt8],
                       map: inout [OffsetMapPoint]) {
        var index = range.lowerBound
        var verbatimStart = index
        while index < range.upperBound {
            guard raw[index] == UInt8(ascii: "&") else { index += 1; continue }
            guard let (replacement, end) = reference(at: index, in: raw, limit: range.upperBound) else {
                index += 1
                continue
            }
            output.append(contentsOf: raw[verbatimStart..<index])
            output.append(contentsOf: replacement.utf8)
            // After the replacement, decoded offsets continue at the raw offset `end`.
            map.append(OffsetMapPoint(decoded: output.count, raw: end))
            index = end
            verbatimStart = end
        }
        output.append(contentsOf: raw[verbatimStart..<range.upperBound])
    }

    /// The reference starting at the `&` at `start`, and the raw offset just after it.
    static func reference(at start: Int, in raw: UnsafeBufferPointer<UInt8>, limit: Int) -> (String, Int)? {
        var index = start + 1
        guard index < limit else { return nil }
        if raw[index] == UInt8(ascii: "#") {
            index += 1
            var hex = false
            if index < limit, raw[index] | 0x20 == UInt8(ascii: "x") { hex = true; index += 1 }
            var value: UInt32 = 0
            var digits = 0
            while index < limit, digits < 8 {
                let byte = raw[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: digit = 99
                }
                if digit == 99 { break }
                value = value * (hex ? 16 : 10) + digit
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if index < limit, raw[index] == UInt8(ascii: ";") { index += 1 }
            // NUL, surrogates and values beyond Unicode become U+FFFD, as browsers do.
            let scalar = (value == 0 ? nil : Unicode.Scalar(value)) ?? "\u{FFFD}"
            return (String(Character(scalar)), index)
        }
        var nameEnd = index
        while nameEnd < limit, nameEnd - index < maximumNameLength, isASCIIAlphanumeric(raw[nameEnd]) { nameEnd += 1 }
        guard nameEnd > index else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: raw[index..<nameEnd]), as: UTF8.self)
        if nameEnd < limit, raw[nameEnd] == UInt8(ascii: ";"), let value = named[name] {
            return (value, nameEnd + 1)
        }
        if legacyWithoutSemicolon.contains(name), let value = named[name] { return (value, nameEnd) }
        return nil
    }

    @inline(__always)
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    /// Decodes a whole string (attribute values, tests).
    static func decode(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes in
            var output: [UInt8] = []
            var map: [OffsetMapPoint] = []
            decode(bytes, 0..<bytes.count, into: &output, map: &map)
            return String(decoding: output, as: UTF8.self)
        }
    }
}

/// After decoded byte `decoded`, the text continues verbatim from raw byte `raw`.
public struct OffsetMapPoint: Hashable, Sendable {
    public var decoded: Int
    public var raw: Int
}
