import Foundation
import SelectionCore
import Testing

@Suite struct ExplanationTests {
    @Test func aTreeCarriesItsFormulaAndInputs() throws {
        let idf = Explanation(2.1, "idf = ln(1 + (N - n + 0.5) / (n + 0.5))", [.constant("N", 1400), .constant("n", 12)])
        #expect(idf.details.map(\.value) == [1400, 12])
        #expect(Explanation.constant("k1", 1.2) == Explanation(1.2, "k1", []))
        let decoded = try JSONDecoder().decode(Explanation.self, from: JSONEncoder().encode(idf))
        #expect(decoded == idf)
    }
}
