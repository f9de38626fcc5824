// swift-tools-version:6.1
import PackageDescription

// MARK: - Dependencies

/// The command-line parser, used by the `ctxsel` executable alone.
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
/// HMAC-SHA256 for the session token's integrity, used by `SessionSignals` alone.
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
/// The HTTP decision service (`DecisionService` alone) and its test client.
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let hummingbirdTesting: Target.Dependency = .product(name: "HummingbirdTesting", package: "hummingbird")
let hummingbirdCore: Target.Dependency = .product(name: "HummingbirdCore", package: "hummingbird")
/// The service's connection guard sits in the channel pipeline Hummingbird builds (`DecisionService`).
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioHTTPTypes: Target.Dependency = .product(name: "NIOHTTPTypes", package: "swift-nio-extras")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
/// Slot templates for `ctxsel render` (`PageRendering` alone).
let mustache: Target.Dependency = .product(name: "Mustache", package: "swift-mustache")

// MARK: - Targets

let package = Package(
    name: "ContextSelect",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ContextSelect", targets: ["SelectionCore", "WireFormat", "TextAnalysis", "Indexing", "SessionSignals", "Selection", "Contract",
                                                  "Evaluation", "AggregateReports"]),
        .executable(name: "ctxsel", targets: ["ctxsel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // System libraries (Debian: libpcre2-dev, libstemmer-dev, libcld2-dev, libicu-dev).
        .systemLibrary(name: "CPCRE2", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CStemmer", providers: [.apt(["libstemmer-dev"])]),
        // A C entry point to Google's Compact Language Detector 2 (C++; Debian: libcld2-dev).
        .target(name: "CLD2Shim", linkerSettings: [.linkedLibrary("cld2")]),
        // ICU's dictionary-based word segmentation for Chinese and Japanese (Debian: libicu-dev).
        .target(name: "ICUShim", linkerSettings: [.linkedLibrary("icuuc")]),

        // Vocabulary and the Ranker plug point: no dependencies at all.
        .target(name: "SelectionCore"),
        // NDJSON on the wire: JSON values, a strict parser with a nesting limit, a deterministic writer, line framing.
        .target(name: "WireFormat"),
        // Page → fields → tokens → terms → keywords.
        .target(name: "TextAnalysis", dependencies: ["SelectionCore", "CPCRE2", "CStemmer", "CLD2Shim", "ICUShim"]),
        // Catalog items → postings → scored top-k; snapshots.
        .target(name: "Indexing", dependencies: ["SelectionCore", "TextAnalysis"]),
        // The client-held session token: decayed topic terms and items shown, HMAC-protected.
        .target(name: "SessionSignals", dependencies: ["SelectionCore", crypto]),
        // Requests → responses: the engine, eligibility, built-in and external rankers, page categories.
        .target(name: "Selection", dependencies: ["SelectionCore", "WireFormat", "TextAnalysis", "Indexing", "SessionSignals"]),
        // The wire: request decoding (identity refused), response encoding and decoding, one input line → its output line.
        .target(name: "Contract", dependencies: ["WireFormat", "Selection", "SelectionCore", "TextAnalysis"]),
        // Qrels and runs → trec_eval's measures, comparisons with significance, reports.
        .target(name: "Evaluation", dependencies: ["SelectionCore", "WireFormat", "TextAnalysis", "Indexing", "Selection", "Contract"]),
        // Response logs → differentially private aggregate tables: exact discrete Laplace noise, contribution bounds, partition selection.
        .target(name: "AggregateReports", dependencies: ["Contract", "WireFormat"]),
        // OpenRTB 2.6: BidRequests stripped of identity and enriched with the page's context, and bids from the catalog.
        .target(name: "OpenRTB", dependencies: ["Contract", "WireFormat", "Selection", "SelectionCore", "TextAnalysis", "PageRendering"]),
        // Serving page renderers: the HTTP decision service, and HTML pages with their slots filled.
        .target(name: "DecisionService", dependencies: ["Contract", "WireFormat", "OpenRTB", "PageRendering", "Selection", "SelectionCore", "Indexing", hummingbird, hummingbirdCore,
                                                       nioCore, nioHTTPTypes, httpTypes]),
        .target(name: "PageRendering", dependencies: ["Selection", "SelectionCore", "TextAnalysis", mustache]),
        // The thin command-line tool.
        .executableTarget(name: "ctxsel", dependencies: ["Contract", "WireFormat", "AggregateReports", "OpenRTB", "Selection", "Indexing", "TextAnalysis", "SelectionCore", "SessionSignals", "Evaluation",
                                                      "DecisionService", "PageRendering", argumentParser, hummingbird, hummingbirdCore, nioCore]),

        .testTarget(name: "SelectionCoreTests", dependencies: ["SelectionCore"]),
        .testTarget(name: "WireFormatTests", dependencies: ["WireFormat"]),
        .testTarget(name: "TextAnalysisTests", dependencies: ["TextAnalysis", "SelectionCore"]),
        .testTarget(name: "IndexingTests", dependencies: ["Indexing", "TextAnalysis", "SelectionCore"], exclude: ["Fixtures"]),
        .testTarget(name: "SelectionTests", dependencies: ["WireFormat", "Selection", "Contract", "Indexing", "TextAnalysis", "SelectionCore", "SessionSignals"]),
        .testTarget(name: "ContractTests", dependencies: ["WireFormat", "Contract", "Selection", "SelectionCore", "TextAnalysis", "Indexing"]),
        .testTarget(name: "AggregateReportsTests", dependencies: ["AggregateReports", "Contract", "WireFormat", "SelectionCore"]),
        .testTarget(name: "OpenRTBTests", dependencies: ["OpenRTB", "Contract", "WireFormat", "Selection", "SelectionCore", "PageRendering", "Indexing"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "SessionSignalsTests", dependencies: ["SessionSignals"]),
        .testTarget(name: "EvaluationTests", dependencies: ["WireFormat", "Evaluation", "Indexing", "Selection", "SelectionCore", "TextAnalysis"], exclude: ["Fixtures"]),
        .testTarget(name: "DecisionServiceTests", dependencies: ["WireFormat", "OpenRTB", "DecisionService", "Contract", "Selection", "SelectionCore", hummingbird, hummingbirdTesting,
                                                               httpTypes, nioCore, nioHTTPTypes,
                                                               .product(name: "NIOEmbedded", package: "swift-nio")]),
        .testTarget(name: "PageRenderingTests", dependencies: ["WireFormat", "PageRendering", "Contract", "Selection", "SelectionCore"]),
        .testTarget(name: "CLITests", dependencies: ["WireFormat", "ctxsel", "Contract", "Selection", "SelectionCore", "SessionSignals"]),
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
