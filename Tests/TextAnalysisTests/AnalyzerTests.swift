import Testing
@testable import TextAnalysis

/// Checks terms and byte ranges together, and that positions grow and offsets never go back.
func assertTokens(_ text: String, _ expected: [(String, Range<Int>)], language: String? = nil,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    let tokens = Analyzer().tokens(in: text, language: language)
    let actual = tokens.map { ($0.term, $0.byteRange) }
    #expect(actual.map(\.0) == expected.map(\.0), "tokens: \(tokens)", sourceLocation: sourceLocation)
    #expect(actual.map(\.1) == expected.map(\.1), "tokens: \(tokens)", sourceLocation: sourceLocation)
    for (previous, next) in zip(tokens, tokens.dropFirst()) {
        #expect(previous.position < next.position, "positions must grow: \(tokens)", sourceLocation: sourceLocation)
        #expect(previous.byteRange.upperBound <= next.byteRange.lowerBound, "offsets went back: \(tokens)",
                sourceLocation: sourceLocation)
    }
}

@Suite struct AnalyzerTests {
    @Test func foldsStopsAndStems() {
        assertTokens("Running shoes for the trail runners", [
            ("run", 0..<7), ("shoe", 8..<13), ("trail", 22..<27), ("runner", 28..<35),
        ])
    }

    @Test func nonASCIIOffsetsAreBytes() {
        assertTokens("Café RÉSUMÉ naïve", [("café", 0..<5), ("résumé", 6..<14), ("naïv", 15..<21)])
        assertTokens("Русский текст", [("русск", 0..<14), ("текст", 15..<25)], language: "ru")
    }

    @Test func lowercaseWithDifferentByteLengthKeepsRawOffsets() {
        // "İ" (2 bytes) lower-cases to "i̇" (3 bytes) and "Ⱥ" (2 bytes) to "ⱥ" (3 bytes): the
        // term grows, but its range still covers the page's own 8 bytes.
        let tokens = Analyzer().tokens(in: "İȺȾCAT x")
        #expect(tokens.first?.byteRange == 0..<9)
        #expect(tokens.first?.term == "i̇ⱥⱦcat")
    }

    @Test func typographicApostrophesFoldBeforeStopWords() {
        assertTokens("don’t stop Python’s growth", [("stop", 8..<12), ("python", 13..<23), ("growth", 24..<30)])
    }

    /// Found by fuzzing (FuzzAnalyzer): Snowball's Greek algorithm stems "αμε" to nothing.
    @Test func noWordStemsToAnEmptyTerm() throws {
        #expect(Analyzer().tokens(in: "αμε", language: "el").map(\.term) == ["αμε"])
        let greek = try #require(Stemmer(language: "el"))
        #expect(greek.stem("αμε") == "αμε")
        #expect(greek.stem("ανθρωπος") != "", "ordinary words still stem")
    }

    @Test func pageLanguageChoosesTheStemmer() {
        #expect(Analyzer().terms(in: "les chanteuses chantaient", language: "fr") == ["chanteux", "chant"], "French stop words and stems")
        #expect(Analyzer().terms(in: "running", language: "xx") == ["running"], "an unknown language is not analysed as English")
        #expect(Analyzer().terms(in: "running", language: "de-AT") == ["running"])
    }

    @Test(arguments: [
        ("mail jane.doe@example.org now", ScrubbedKind.email),
        ("call +1 (555) 010-4477 today", .phone),
        ("call 020 7946 0958 today", .phone),
        ("card 4111 1111 1111 1111 ok", .paymentCard),
        ("card 4111-1111-1111-1111 ok", .paymentCard),
        ("host 192.168.1.20 online", .ipAddress),
        ("host fe80::1ff:fe23:4567:890a online", .ipAddress),
        ("host 2001:db8:85a3:0:0:8a2e:370:7334 online", .ipAddress),
        ("account 12345678 closed", .digitRun),
        ("ref AB1234567 closed", .digitRun),
    ])
    func personalDataNeverBecomesTerms(text: String, kind: ScrubbedKind) {
        let analyzed = Analyzer().analyze(.plainText(text), scratch: AnalysisScratch())
        #expect(analyzed.scrubbed[kind] == 1, "scrubbed: \(analyzed.scrubbed)")
        #expect(analyzed.tokens.count == 2, "only the two words around it remain: \(analyzed.tokens)")
        #expect(analyzed.tokens.allSatisfy { token in !token.term.contains { $0.isNumber } })
    }

    @Test func cardLikeNumbersFailingLuhnAreStillDropped() {
        let analyzed = Analyzer().analyze(.plainText("card 4111 1111 1111 1112 ok"), scratch: AnalysisScratch())
        #expect(analyzed.scrubbed[.paymentCard] == nil)
        #expect(analyzed.tokens.map(\.term) == ["card", "ok"])
    }

    @Test func shortNumbersAndVersionsStay() {
        #expect(Analyzer().terms(in: "Python 3.11 released in 2024") == ["python", "3", "11", "releas", "2024"])
    }

    @Test func luhn() {
        #expect(WordPattern.passesLuhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))
        #expect(!WordPattern.passesLuhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]))
        #expect(WordPattern.passesLuhn([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]) == false, "too short to be a card")
    }

    @Test func wordLimitBoundsWork() {
        var analyzer = Analyzer()
        analyzer.maximumWords = 10
        let analyzed = analyzer.analyze(.plainText(String(repeating: "word ", count: 1000)), scratch: AnalysisScratch())
        #expect(analyzed.tokens.count == 10)
    }

    @Test func overlongWordsAreJunk() {
        let junk = String(repeating: "ab", count: 40)
        #expect(Analyzer().terms(in: "real \(junk) words") == ["real", "word"])
    }
}
