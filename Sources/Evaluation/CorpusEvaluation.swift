public import Indexing
public import TextAnalysis
public import Selection
public import SelectionCore

/// Ranker settings run over a labeled corpus, each run evaluated against the corpus's judgments:
/// what `ctxsel evaluate --corpus` reports, as a library call.
///
///     corpus ─► index (once) ─► for each setting: engine ─► TREC run ─► measures + selection quality
public struct CorpusEvaluation: Sendable {
    /// One ranker setting's outcome.
    public struct Outcome: Sendable {
        public var setting: String
        /// The run, tagged with the setting (characters other than letters, digits, `.` and `-` as `_`).
        public var run: TRECRun
        public var evaluation: RunEvaluation
        /// Selection quality of each query's first ten items.
        public var quality: SelectionQuality
        public var seconds: Double
    }

    public let corpus: LabeledCorpus
    public let index: CatalogIndex
    /// What documents and queries are analysed with (``Analyzer/pinnedLanguage`` for a
    /// language-blind run).
    public let analyzer: Analyzer

    public init(corpus: LabeledCorpus, analyzer: Analyzer = Analyzer(), threads: Int = 1) throws {
        self.corpus = corpus
        self.analyzer = analyzer
        index = try IndexBuilder(analyzer: analyzer).build(corpus.items, threads: threads)
    }

    /// The tag a setting's run gets: a file name for any setting (`bm25,mmr:0.7` → `bm25_mmr_0.7`).
    public static func tag(for setting: String) -> String {
        String(setting.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
    }

    /// The run of `setting` over the corpus's queries, or over the slice `queries` of them (what a
    /// Spark partition ranks; the slices' runs together are the whole run).
    public func run(_ setting: String, depth: Int, queries: Range<Int>? = nil,
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> (run: TRECRun, lists: [[CatalogItem]]) {
        let engine = SelectionEngine(index: index, ranker: try RankerRegistry.make(setting), analyzer: analyzer)
        var slice = corpus
        if let queries { slice.queries = Array(corpus.queries[queries.clamped(to: corpus.queries.indices)]) }
        return try slice.run(engine, tag: Self.tag(for: setting), depth: depth, progress: progress)
    }

    /// Runs `setting` (a ranker chain, as `--ranker` takes it) to `depth` items per query.
    /// - Parameter progress: queries done and their total.
    /// - Throws: ``RankerError`` for a bad setting, a ranker's failure, or an evaluation error.
    public func evaluate(_ setting: String, depth: Int, evaluator: RunEvaluator,
                         progress: (Int, Int) -> Void = { _, _ in }) throws -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        let (run, lists) = try self.run(setting, depth: depth, progress: progress)
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let top = lists.map { Array($0.prefix(10)) }
        return Outcome(setting: setting, run: run, evaluation: try evaluator.evaluate(run, qrels: corpus.qrels),
                       quality: SelectionQuality(lists: top, requested: top.map { _ in 10 }, index: index), seconds: seconds)
    }
}
