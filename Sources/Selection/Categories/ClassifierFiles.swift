public import Foundation

extension CategoryClassifier {
    /// The file names a catalog folder holds the classifier in.
    public static let taxonomyFile = "content-taxonomy-3.1.tsv"
    public static let lexiconFile = "lexicons.tsv"
    public static let weightedLexiconFile = "category-lexicon.tsv"
    public static let calibrationFile = "category-calibration.tsv"

    /// The classifier of a folder (the default `Catalog/`): the taxonomy, and the fitted lexicon and
    /// calibration when present (`category-lexicon.tsv` holds the hand lexicon's entries too,
    /// weighed on data), else the hand lexicon `lexicons.tsv` alone.
    /// - Throws: a read error, or ``TaxonomyError`` with the file and line.
    public init(folder: URL) throws {
        func read(_ name: String) throws -> String {
            try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        func present(_ name: String) -> Bool {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
        }
        func named<T>(_ name: String, _ body: () throws -> T) throws -> T {
            do { return try body() } catch var error as TaxonomyError {
                error.file = name
                throw error
            }
        }
        let taxonomy = try named(Self.taxonomyFile) { try Taxonomy(tsv: try read(Self.taxonomyFile)) }
        let calibration = try present(Self.calibrationFile)
            ? named(Self.calibrationFile) { try CategoryCalibration(tsv: try read(Self.calibrationFile)) } : .unfitted
        if present(Self.weightedLexiconFile) {
            let weighted = try read(Self.weightedLexiconFile)
            self = try named(Self.weightedLexiconFile) {
                try CategoryClassifier(taxonomy: taxonomy, lexicons: "", weightedLexicon: weighted, calibration: calibration)
            }
        } else {
            let hand = try read(Self.lexiconFile)
            self = try named(Self.lexiconFile) { try CategoryClassifier(taxonomy: taxonomy, lexicons: hand, calibration: calibration) }
        }
    }
}
