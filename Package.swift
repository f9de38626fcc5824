// swift-tools-version:6.1
import PackageDescription

// MARK: - Dependencies

/// The only external package: the command-line parser, used by the `ctxsel` executable alone.
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

// MARK: - Targets

let package = Package(
    name: "ContextSelect",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ContextSelect", targets: ["SelectionCore", "TextAnalysis", "Indexing", "Selection", "Evaluation"]),
        .executable(name: "ctxsel", targets: ["ctxsel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian: libpcre2-dev, libstemmer-dev).
        .systemLibrary(name: "CPCRE2", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CStemmer", providers: [.apt(["libstemmer-dev"])]),

        // Vocabulary and the Ranker plug point: no dependencies at all.
        .target(name: "SelectionCore"),
        // Page → fields → tokens → terms → keywords.
        .target(name: "TextAnalysis", dependencies: ["SelectionCore", "CPCRE2", "CStemmer"]),
        // Catalog items → postings → scored top-k; snapshots.
        .target(name: "Indexing", dependencies: ["SelectionCore", "TextAnalysis"]),
        // Requests → responses: the engine, built-in rankers, the NDJSON contract.
        .target(name: "Selection", dependencies: ["SelectionCore", "TextAnalysis", "Indexing"]),
        // Qrels and runs → trec_eval's measures, comparisons with significance, reports.
        .target(name: "Evaluation", dependencies: ["SelectionCore", "TextAnalysis", "Indexing", "Selection"]),
        // The thin command-line tool.
        .executableTarget(name: "ctxsel", dependencies: ["Selection", "Indexing", "TextAnalysis", "SelectionCore", "Evaluation", argumentParser]),

        .testTarget(name: "TextAnalysisTests", dependencies: ["TextAnalysis"]),
        .testTarget(name: "IndexingTests", dependencies: ["Indexing", "TextAnalysis", "SelectionCore"]),
        .testTarget(name: "SelectionTests", dependencies: ["Selection", "Indexing", "TextAnalysis", "SelectionCore"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation"], exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["ctxsel"]),
    ]
)

// MARK: - Strict settings, applied to every Swift target

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
