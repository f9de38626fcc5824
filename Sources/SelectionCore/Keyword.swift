/// A weighted term (or 2–3 word phrase) that says what a page is about.
public struct Keyword: Hashable, Sendable, Codable {
    /// The analysed form used for matching (stems joined by spaces for a phrase).
    public var term: String
    /// The page's own words for it (first occurrence), for people to read.
    public var text: String
    /// Relative weight (how often times how rare: tf · idf); the strongest keyword of a page has weight 1.
    public var weight: Double
    /// How often the page says it, each occurrence counted by its field's weight (declared
    /// keywords included): what a query built from the keywords weighs it by.
    public var frequency: Double

    public init(term: String, text: String, weight: Double, frequency: Double = 1) {
        self.term = term
        self.text = text
        self.weight = weight
        self.frequency = frequency
    }

    /// Whether this keyword is a phrase of several terms.
    public var isPhrase: Bool { term.contains(" ") }
}
