/// The IAB Tech Lab Content Taxonomy (3.1): categories, their parents, and which are sensitive.
public struct Taxonomy: Sendable {
    public struct Category: Hashable, Sendable {
        public var id: String
        public var parent: String?
        public var name: String
        public var tier1: String
        /// In the "Sensitive Topics" subtree, or flagged SCD (special category data).
        public var isSensitive: Bool
    }

    public let categories: [String: Category]

    /// The tier-1 name of the sensitive subtree.
    public static let sensitiveTier1 = "Sensitive Topics"

    /// Parses the taxonomy's TSV: two header rows, then `Unique ID, Parent, Name, Tier 1..4,
    /// Extension` (CRLF line ends accepted).
    /// - Throws: ``TaxonomyError`` naming the line.
    public init(tsv text: String) throws {
        var categories: [String: Category] = [:]
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() where offset >= 2 {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4, !fields[0].isEmpty, !fields[2].isEmpty else {
                throw TaxonomyError(line: offset + 1, message: "expected id, parent, name and tier columns")
            }
            let extensionColumn = fields.count > 7 ? fields[7] : ""
            categories[fields[0]] = Category(
                id: fields[0], parent: fields[1].isEmpty ? nil : fields[1], name: fields[2], tier1: fields[3],
                isSensitive: fields[3] == Self.sensitiveTier1 || extensionColumn.contains("SCD"))
        }
        guard !categories.isEmpty else { throw TaxonomyError(line: 0, message: "no categories") }
        self.categories = categories
    }

    public func isSensitive(_ id: String) -> Bool { categories[id]?.isSensitive ?? false }

    /// `id` and its ancestors up to its tier-1 row, in that order (just `id` when unknown).
    public func lineage(of id: String) -> [String] {
        var chain = [id]
        while let parent = categories[chain[chain.count - 1]]?.parent { chain.append(parent) }
        return chain
    }
    public func name(of id: String) -> String? { categories[id]?.name }
}

public struct TaxonomyError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    /// The file the line is in, when known.
    public var file: String?

    public init(line: Int, message: String, file: String? = nil) {
        self.line = line
        self.message = message
        self.file = file
    }

    public var description: String { "\(file ?? "taxonomy") line \(line): \(message)" }
}
