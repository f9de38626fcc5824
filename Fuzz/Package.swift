// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets, one per parser that reads untrusted bytes. Build and run with
// `scripts/fuzz.sh` (it passes `-sanitize=fuzzer` to every module, so the engine's code is
// instrumented for coverage, and links libFuzzer's main).

let engine: Target.Dependency = .product(name: "ContextSelect", package: "ContextSelect")
let targets = ["FuzzJSON", "FuzzRequest", "FuzzHTML", "FuzzAnalyzer", "FuzzSessionToken", "FuzzSnapshot", "FuzzCatalog"]

let package = Package(
    name: "ContextSelectFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "ContextSelect", path: "..")],
    targets: [.target(name: "FuzzSupport", swiftSettings: [.swiftLanguageMode(.v6)])] + targets.map { name in
        .executableTarget(name: name, dependencies: [engine, "FuzzSupport"], path: "Sources/\(name)",
                          swiftSettings: [.unsafeFlags(["-parse-as-library"]), .swiftLanguageMode(.v6)])
    }
)
