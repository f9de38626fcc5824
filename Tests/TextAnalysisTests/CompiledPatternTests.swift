import Testing
@testable import TextAnalysis

@Suite struct CompiledPatternTests {
    @Test func offsetsAreBytesNotCharacters() throws {
        let pattern = try CompiledPattern(#"\w+"#)
        // "é" is two bytes: the first word ends at byte 5 although it has 4 characters.
        #expect(pattern.matches(in: "Café au lait") == [0..<5, 6..<8, 9..<13])
    }

    @Test func emptyMatchesAdvanceByWholeScalars() throws {
        let pattern = try CompiledPattern("x*")
        // Empty matches at every scalar boundary of "aé" (bytes 0, 1 and 3), never inside "é".
        #expect(pattern.matches(in: "aé") == [0..<0, 1..<1, 3..<3])
        #expect(pattern.matches(in: "axxb") == [0..<0, 1..<3, 3..<3, 4..<4])
    }

    @Test func emptySubjectMatchesOnce() throws {
        let star = try CompiledPattern("a*"), plus = try CompiledPattern("a+")
        #expect(star.matches(in: "") == [0..<0])
        #expect(plus.matches(in: "") == [])
    }

    @Test func unicodePropertiesApply() throws {
        let pattern = try CompiledPattern(#"\p{L}+"#)
        #expect(pattern.matches(in: "Русский текст") == [0..<14, 15..<25])
    }

    @Test func invalidPatternNamesTheOffset() {
        do {
            _ = try CompiledPattern("ab(c")
            Issue.record("an unbalanced group must not compile")
        } catch let error as PatternError {
            #expect(error.offset == 4)
            #expect(error.description.contains("missing closing parenthesis"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func compiledPatternIsSharedAcrossTasks() async throws {
        let pattern = try CompiledPattern(#"\d+"#)
        let text = String(repeating: "ab 12 cd 345 ", count: 200)
        let expected = pattern.matches(in: text)
        #expect(expected.count == 400)
        await withTaskGroup(of: [Range<Int>].self) { group in
            for _ in 0..<8 { group.addTask { pattern.matches(in: text) } }
            for await result in group { #expect(result == expected) }
        }
    }
}
