import Testing
@testable import TextAnalysis

/// The word table remembers what analysis decided; remembering must never change an answer.
@Suite struct WordTableTests {
    let texts: [(String, String?)] = [
        ("Running shoes for the trail runners. RUNNING Shoes!", nil),
        ("Les chaussures de course pour les coureurs", "fr"),
        ("Running shoes again, and the kettle of tea", nil),
        ("Die Laufschuhe und die Läufer", "de"),
        ("running RUNNING Running runs", "en"),
    ]

    @Test func oneScratchForManyTextsAndLanguagesAnswersLikeFreshScratches() {
        let analyzer = Analyzer()
        let shared = AnalysisScratch()
        for round in 0..<3 {
            for (text, language) in texts {
                let reused = analyzer.analyze(.plainText(text), language: language, scratch: shared)
                let fresh = analyzer.analyze(.plainText(text), language: language, scratch: AnalysisScratch())
                #expect(reused.tokens == fresh.tokens, "round \(round): \(text)")
                #expect(reused.surfaces == fresh.surfaces, "round \(round): \(text)")
                #expect(reused.distinctTerms == fresh.distinctTerms, "round \(round): \(text)")
            }
        }
    }

    @Test func termIndexesNameEachTokensTermAndTermsAreDistinct() {
        let analyzed = Analyzer().analyze(.plainText(texts[0].0 + " " + texts[2].0), scratch: AnalysisScratch())
        #expect(analyzed.termIndexesAreCurrent)
        #expect(analyzed.tokens.map(\.term) == analyzed.termIndexes.map { analyzed.distinctTerms[Int($0)] })
        #expect(Set(analyzed.distinctTerms).count == analyzed.distinctTerms.count, "\(analyzed.distinctTerms)")
        #expect(analyzed.surfaces["run"] == "running", "the first folded form is shown: \(analyzed.surfaces)")
    }

    @Test func aTableThatFillsUpStartsAgainBetweenTexts() {
        let analyzer = Analyzer()
        let scratch = AnalysisScratch()
        // Made-up words, every one new: enough to pass the table's limit twice.
        let letters = Array("bcdfghjkmnpqrtvwxz")
        func word(_ number: Int) -> String {
            var text = "q"
            var rest = number
            repeat { text.append(letters[rest % letters.count]); rest /= letters.count } while rest > 0
            return text
        }
        var number = 0
        while number < WordTable.limit * 2 {
            let text = (number..<(number + 20_000)).map(word).joined(separator: " ")
            let analyzed = analyzer.analyze(.plainText(text), scratch: scratch)
            #expect(analyzed.tokens.count == 20_000)
            #expect(scratch.words.count <= WordTable.limit + 20_000)
            number += 20_000
        }
        let after = analyzer.analyze(.plainText(texts[0].0), scratch: scratch)
        #expect(after.tokens == analyzer.analyze(.plainText(texts[0].0), scratch: AnalysisScratch()).tokens)
    }

    @Test func eachLanguageKeepsItsTableAcrossSwitches() {
        let analyzer = Analyzer()
        let scratch = AnalysisScratch()
        _ = analyzer.analyze(.plainText(texts[0].0), language: "en", scratch: scratch)
        let english = (generation: scratch.tableGeneration, words: scratch.words.count)
        _ = analyzer.analyze(.plainText(texts[3].0), language: "de", scratch: scratch)
        #expect(scratch.tableGeneration != english.generation, "German words are numbered in a table of their own")
        let again = analyzer.analyze(.plainText(texts[0].0), language: "en", scratch: scratch)
        #expect(scratch.tableGeneration == english.generation && scratch.words.count == english.words,
                "back in English, the words met before are known: \(scratch.words.count) entries, \(english.words) before")
        #expect(again.tokens == analyzer.analyze(.plainText(texts[0].0), language: "en", scratch: AnalysisScratch()).tokens)
        // With four tables kept, the fifth setting met takes the place of the one used longest ago.
        for language in ["fr", "it", "es", "pt"] { _ = analyzer.analyze(.plainText(texts[1].0), language: language, scratch: scratch) }
        _ = analyzer.analyze(.plainText(texts[0].0), language: "en", scratch: scratch)
        #expect(scratch.tableGeneration != english.generation, "the English table was the least recently used of five")
    }

    @Test func wordsSharingTheirFirstEightBytesStayApartAcrossGrowth() {
        let table = WordTable(language: "en", stopWords: .english, generation: 1)
        // Lengths around the eight bytes a slot holds, sharing prefixes, plus enough others to
        // make the table grow several times.
        let tricky = ["a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghj", "abcdefghij", "abcdefgi", "b"]
        let words = tricky + (0..<5_000).map { "w\($0)" } + tricky.map { $0 + "z" }
        var entries: [String: Int] = [:]
        for round in 0..<2 {
            for word in words {
                let entry = Array(word.utf8).withUnsafeBufferPointer { bytes in
                    table.entry(for: bytes) { _ in (word, word) }
                }
                if let known = entries[word] {
                    #expect(entry == known, "round \(round): \(word) found again as another entry")
                } else {
                    entries[word] = entry
                }
            }
        }
        #expect(Set(entries.values).count == words.count, "every word its own entry")
        #expect(table.count == words.count)
    }
}
