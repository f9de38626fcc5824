public import SelectionCore
public import TextAnalysis

/// Document frequencies counted over a corpus of pages: the background that makes a page's
/// keywords specific to it rather than to the catalog alone.
public struct CorpusStatistics: TermStatistics, Hashable, Codable {
    public private(set) var documentCount: Int
    public private(set) var frequencies: [String: Int]

    public init(documentCount: Int = 0, frequencies: [String: Int] = [:]) {
        self.documentCount = documentCount
        self.frequencies = frequencies
    }

    public func documentFrequency(of term: String) -> Int { frequencies[term] ?? 0 }

    /// Counts one document given its analysed terms.
    public mutating func add<S: Sequence>(documentTerms: S) where S.Element == String {
        documentCount += 1
        for term in Set(documentTerms) { frequencies[term, default: 0] += 1 }
    }

    /// Format: a header line `# ctxsel-stats 1 documents=N`, then `term<TAB>df` lines sorted
    /// by term.
    public func serialized() -> String {
        var lines = ["# ctxsel-stats \(Self.formatVersion) documents=\(documentCount)"]
        for term in frequencies.keys.sorted() { lines.append("\(term)\t\(frequencies[term]!)") }
        return lines.joined(separator: "\n") + "\n"
    }

    public static let formatVersion = 1

    /// Parses ``serialized()`` output.
    /// - Throws: ``SnapshotError`` naming the line that is wrong.
    public init(serialized text: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard let header = lines.popFirst(), header.hasPrefix("# ctxsel-stats "),
              let countPart = header.split(separator: " ").last, countPart.hasPrefix("documents="),
              let count = Int(countPart.dropFirst("documents=".count)) else {
            throw SnapshotError.foreign("not a ctxsel statistics file (expected a '# ctxsel-stats' header)")
        }
        guard header.split(separator: " ").dropFirst(2).first == "\(Self.formatVersion)" else {
            throw SnapshotError.unsupportedVersion("statistics file version is not \(Self.formatVersion)")
        }
        var frequencies: [String: Int] = [:]
        for (offset, line) in lines.enumerated() {
            let parts = line.split(separator: "\t")
            guard parts.count == 2, let df = Int(parts[1]), df >= 0, df <= count else {
                throw SnapshotError.corrupt("statistics line \(offset + 2) is not 'term<TAB>count' with 0 ≤ count ≤ \(count)")
            }
            frequencies[String(parts[0])] = df
        }
        self.init(documentCount: count, frequencies: frequencies)
    }
}
