import AggregateReports
import ArgumentParser
import Foundation
import SelectionCore
import WireFormat

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish differentially private counts from response logs: impressions per item and advertiser, pages per category and keyword, fill rate per slot.",
        discussion: """
            Reads NDJSON responses (the output of `select`, of `serve`'s batch route or of the Spark job); a line \
            that is neither a response nor an error record is refused, naming it. Each response adds at most \
            --keys-per-response keys to each table; the noise is discrete Laplace, sampled exactly from the \
            system's cryptographic generator; keywords, categories, items, advertisers and slots are published only \
            above a threshold set from δ. PRIVACY.md says what the numbers protect.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, markdown, html, csv
    }

    @Option(help: "The privacy budget ε of the whole report (> 0), split evenly over its six noised tables.")
    var epsilon: Double

    @Option(help: "δ of the whole report, in (0, 1): the chance, per privacy unit, that a key only it contributed is published.")
    var delta: Double = 1e-6

    @Option(help: "Keys one response adds to each table, at most (its first distinct items, advertisers, categories, keywords and slots).")
    var keysPerResponse: Int = 5

    @Option(help: "Responses one privacy unit may contribute: 1 protects each page view; M protects a visit capped at M page views.")
    var maxContributions: Int = 1

    @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Format = .json

    @Option(help: "Seed the noise, for tests only: the report is then reproducible and marked as not private.")
    var seed: UInt64?

    @Argument(help: "NDJSON response logs; '-' or none reads stdin.")
    var files: [String] = []

    func validate() throws {
        do { try parameters.validate() } catch { throw ValidationError(error.description) }
    }

    var parameters: ReportParameters {
        ReportParameters(epsilon: epsilon, delta: delta, keysPerResponse: keysPerResponse, maxContributions: maxContributions)
    }

    func run() throws {
        var counts = ResponseCounts(keysPerResponse: keysPerResponse)
        for path in files.isEmpty ? ["-"] : files {
            let text = String(decoding: try readInput(path), as: UTF8.self)
            do { try counts.add(log: text) } catch { throw ToolError("\(path == "-" ? "stdin" : path): \(error)") }
        }
        let report: PrivateReport
        if let seed {
            var coins = ExactBernoulli(SplitMix64(seed: seed))
            report = try PrivateReport.publish(counts, parameters: parameters, coins: &coins, isPrivate: false)
            diagnose("--seed: this report is reproducible and NOT private")
        } else {
            var coins = ExactBernoulli(SystemRandomNumberGenerator())
            report = try PrivateReport.publish(counts, parameters: parameters, coins: &coins, isPrivate: true)
        }
        let text = switch format {
        case .json: JSONWriter.string(report.json) + "\n"
        case .markdown: report.markdown
        case .html: report.html
        case .csv: report.csv
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
