/// One analysed term and where it came from.
public struct Token: Hashable, Sendable, CustomStringConvertible {
    /// The normalised term: case-folded and stemmed.
    public var term: String
    /// UTF-8 byte range of the original word in the raw page; filters never change it.
    public var byteRange: Range<Int>
    /// Position among the words of the page; stop words, scrubbed spans and block boundaries
    /// leave gaps, so adjacent positions mean adjacent words.
    public var position: Int
    /// The field the word was read from.
    public var field: Field

    public init(term: String, byteRange: Range<Int>, position: Int, field: Field) {
        self.term = term
        self.byteRange = byteRange
        self.position = position
        self.field = field
    }

    public var description: String { "\(term)@\(byteRange.lowerBound)..<\(byteRange.upperBound)#\(position)[\(field.rawValue)]" }
}

/// What kind of personal data a scrubbed span looked like.
public enum ScrubbedKind: String, CaseIterable, Hashable, Sendable, Codable {
    case email
    case phone
    case paymentCard = "payment_card"
    case ipAddress = "ip_address"
    case digitRun = "digit_run"
}
