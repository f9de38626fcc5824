public import SelectionCore
public import TextAnalysis

/// Document frequencies counted over a corpus of pages, language by language: the background
/// that makes a page's keywords specific to it rather than to the catalog alone. A page is
/// weighed against the counts of its own language; a language the corpus lacks falls back to the
/// catalog's.
public struct CorpusStatistics: Hashable, Codable, Sendable {
    /// Each language's counts, by primary subtag.
    public private(set) var languages: [String: TermCounts]

    public init(languages: [String: TermCounts] = [:]) {
        self.languages = languages.filter { $0.value.documentCount > 0 }
    }

    /// Statistics of one language (English unless said).
    public init(documentCount: Int, frequencies: [String: Int], language: String = "en") {
        self.init(languages: [language: TermCounts(documentCount: documentCount, frequencies: frequencies)])
    }

    /// Documents counted, in every language.
    public var documentCount: Int { languages.values.reduce(0) { $0 + $1.documentCount } }

    /// The counts of `language`, if the corpus has any.
    public subscript(language: String) -> TermCounts? { languages[language] }

    /// Counts one document of `language` given its analysed terms.
    public mutating func add<S: Sequence>(documentTerms: S, language: String = "en") where S.Element == String {
        languages[language, default: TermCounts()].add(documentTerms: documentTerms)
    }

    /// Drops, in every language, the terms found in fewer than `minimum` documents: a term once
    /// seen says little more than one never seen, and rare terms are most of a file.
    public mutating func dropTerms(inFewerThan minimum: Int) {
        for language in languages.keys { languages[language]!.dropTerms(inFewerThan: minimum) }
    }

    /// Format 2: a header line `# ctxsel-stats 2`, then for each language in order a line
    /// `## LANGUAGE documents=N` and its `term<TAB>df` lines sorted by term. Format 1 (one
    /// header `# ctxsel-stats 1 documents=N`, then the lines) was written before pages were
    /// read in their own language, so it is read as English.
    public func serialized() -> String {
        var lines = ["# ctxsel-stats \(Self.formatVersion)"]
        for language in languages.keys.sorted() {
            let counts = languages[language]!
            lines.append("## \(language) documents=\(counts.documentCount)")
            for term in counts.frequencies.keys.sorted() { lines.append("\(term)\t\(counts.frequencies[term]!)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static let formatVersion = 2

    /// Parses ``serialized()`` output, of format 2 or 1.
    /// - Throws: ``SnapshotError`` naming the line that is wrong.
    public init(serialized text: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first, header.hasPrefix("# ctxsel-stats ") else {
            throw SnapshotError.foreign("not a ctxsel statistics file (expected a '# ctxsel-stats' header)")
        }
        let headerParts = header.split(separator: " ")
        var languages: [String: TermCounts] = [:]
        var current: (language: String, counts: TermCounts)?
        switch headerParts.dropFirst(2).first {
        case "1":
            guard let countPart = headerParts.last, countPart.hasPrefix("documents="),
                  let count = Int(countPart.dropFirst("documents=".count)), count >= 0 else {
                throw SnapshotError.corrupt("statistics line 1 needs documents=N")
            }
            current = ("en", TermCounts(documentCount: count, frequencies: [:]))
        case "\(Self.formatVersion)": break
        default:
            throw SnapshotError.unsupportedVersion("statistics file version is not \(Self.formatVersion) or 1")
        }
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            if line.hasPrefix("## ") {
                let parts = line.split(separator: " ")
                guard parts.count == 3, let language = primaryLanguage(String(parts[1])), parts[2].hasPrefix("documents="),
                      let count = Int(parts[2].dropFirst("documents=".count)), count >= 0, languages[language] == nil,
                      current?.language != language else {
                    throw SnapshotError.corrupt("statistics line \(offset + 1) is not '## LANGUAGE documents=N' of a new language")
                }
                if let current { languages[current.language] = current.counts }
                current = (language, TermCounts(documentCount: count, frequencies: [:]))
                continue
            }
            let parts = line.split(separator: "\t")
            guard let documents = current?.counts.documentCount else {
                throw SnapshotError.corrupt("statistics line \(offset + 1) comes before any '## LANGUAGE documents=N' line")
            }
            guard parts.count == 2, let df = Int(parts[1]), df >= 0, df <= documents else {
                throw SnapshotError.corrupt(
                    "statistics line \(offset + 1) is not 'term<TAB>count' with 0 ≤ count ≤ \(documents)")
            }
            // In place: a copy of the section would copy its table on every line.
            current!.counts.frequencies[String(parts[0])] = df
        }
        if let current { languages[current.language] = current.counts }
        self.init(languages: languages)
    }
}

/// One language's document frequencies.
public struct TermCounts: TermStatistics, Hashable, Codable {
    public fileprivate(set) var documentCount: Int
    public fileprivate(set) var frequencies: [String: Int]

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

    mutating func dropTerms(inFewerThan minimum: Int) {
        frequencies = frequencies.filter { $0.value >= minimum }
    }
}
