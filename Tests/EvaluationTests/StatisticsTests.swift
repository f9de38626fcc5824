import SelectionCore
import Foundation
import Testing
@testable import Evaluation

@Suite struct StatisticsTests {
    struct Case {
        var name: String
        var a: [Double]
        var b: [Double]
        var t: Double
        var tPValue: Double
        var exactPValue: Double
    }

    /// Fixed inputs with scipy's answers (Fixtures/make_statistics_fixtures.py).
    func cases() throws -> [Case] {
        try fixture("statistics.expected").split(separator: "\n").map { line in
            let parts = line.split(separator: "\t").map(String.init)
            let numbers = { (text: String) in text.split(separator: ",").map { Double($0)! } }
            return Case(name: parts[0], a: numbers(parts[1]), b: numbers(parts[2]), t: Double(parts[3])!,
                        tPValue: Double(parts[4])!, exactPValue: Double(parts[5])!)
        }
    }

    @Test func pairedTTestMatchesScipy() throws {
        for item in try cases() {
            let test = try #require(PairedTTest(item.a, item.b))
            #expect(abs(test.statistic - item.t) < 1e-9, "\(item.name) t")
            #expect(abs(test.pValue - item.tPValue) < 1e-9, "\(item.name): \(test.pValue) vs scipy \(item.tPValue)")
        }
    }

    @Test func exactRandomizationMatchesScipy() throws {
        for item in try cases() {
            let test = PairedRandomizationTest(item.a, item.b, permutations: 10_000)
            #expect(test.isExact)
            #expect(abs(test.pValue - item.exactPValue) < 1e-12, "\(item.name): \(test.pValue) vs scipy \(item.exactPValue)")
        }
    }

    @Test func sampledRandomizationIsReproducibleAndClose() {
        var generator = SplitMix64(seed: 3)
        let a = (0..<60).map { _ in Double.random(in: 0...1, using: &generator) }
        let b = a.map { $0 - 0.02 + Double.random(in: -0.1...0.1, using: &generator) }
        let first = PairedRandomizationTest(a, b, permutations: 20_000, seed: 42)
        let again = PairedRandomizationTest(a, b, permutations: 20_000, seed: 42)
        #expect(!first.isExact)
        #expect(first == again, "the same seed gives the same p-value")
        let t = PairedTTest(a, b)!
        #expect(abs(first.pValue - t.pValue) < 0.03, "for 60 pairs the randomization and t-test agree: \(first.pValue) vs \(t.pValue)")
    }

    @Test func bootstrapIntervalIsReproducibleAndCoversTheMean() {
        var generator = SplitMix64(seed: 9)
        let a = (0..<200).map { _ in Double.random(in: 0...1, using: &generator) }
        let b = a.map { $0 - 0.05 + Double.random(in: -0.2...0.2, using: &generator) }
        let interval = BootstrapInterval(a, b, seed: 7)
        #expect(interval == BootstrapInterval(a, b, seed: 7))
        let mean = zip(a, b).map { $0 - $1 }.reduce(0, +) / 200
        #expect(interval.lower < mean && mean < interval.upper)
        // Against the normal approximation: mean ± 1.96 · sd / √n.
        let differences = zip(a, b).map { $0 - $1 }
        let sd = (differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 199).squareRoot()
        let half = 1.96 * sd / 200.0.squareRoot()
        #expect(abs(interval.lower - (mean - half)) < 0.004)
        #expect(abs(interval.upper - (mean + half)) < 0.004)
    }

    @Test func holmAdjustment() {
        // m = 4: sorted 0.01, 0.02, 0.03, 0.5 → 0.04, 0.06, 0.06 (monotone), 0.5.
        let adjusted = holmAdjusted([0.03, 0.5, 0.01, 0.02])
        let expected = [0.06, 0.5, 0.04, 0.06]
        for (value, target) in zip(adjusted, expected) { #expect(abs(value - target) < 1e-12) }
        #expect(holmAdjusted([0.9, 0.8]) == [1, 1])
        #expect(holmAdjusted([]).isEmpty)
    }

    @Test func degenerateTTests() {
        #expect(PairedTTest([1], [0]) == nil)
        #expect(PairedTTest([1, 2], [1, 2])?.pValue == 1)
        #expect(PairedTTest([2, 3], [1, 2])?.pValue == 0)
    }
}
