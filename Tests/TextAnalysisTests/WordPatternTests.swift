import Testing
@testable import TextAnalysis

/// A text is scanned with the pattern variant its characters need; every variant must find
/// exactly what the whole pattern finds in such a text.
@Suite struct WordPatternTests {
    let texts = [
        "Plain words only, nothing else here — café naïve Ünïcode",
        "Year 2024 and a phone +44 20 7946 0958, a card 4111 1111 1111 1111, version 3.11",
        "Write to ann@example.org or bob.smith@mail.example.co.uk today",
        "Hosts 192.168.1.20 and 10.0.0.1, IPv6 fe80::1 and 2001:db8::8a2e:370:7334, time 10:30",
        "cafe::babe is hex only; ratio 3:4; a@b is not an address; x@y.zz is",
        "",
    ]

    func scan(_ text: String, _ pattern: CompiledPattern) -> [String] {
        var copy = text
        var found: [String] = []
        copy.withUTF8 { bytes in
            pattern.forEachMatch(in: bytes, scratch: MatchScratch(for: pattern)) { range, group in
                found.append("\(range)#\(group)")
                return true
            }
        }
        return found
    }

    @Test func eachTextsVariantFindsWhatTheWholePatternFinds() {
        for text in texts + texts.map({ $0.uppercased() }) {
            var copy = text
            let needs = copy.withUTF8 { WordPattern.Needs(of: $0) }
            let variant = WordPattern.compile(WordPattern.source(needs: needs))
            #expect(scan(text, variant) == scan(text, WordPattern.compiled), "\(text)")
        }
    }

    @Test func needsFollowTheCharacters() {
        func needs(_ text: String) -> WordPattern.Needs {
            var copy = text
            return copy.withUTF8 { WordPattern.Needs(of: $0) }
        }
        #expect(needs("only words") == [])
        #expect(needs("a@b") == [.email])
        #expect(needs("10:30") == [.ipv6, .digits])
        #expect(needs("mail a@b at 10:30") == .all)
        #expect(WordPattern.source == WordPattern.source(needs: .all))
        // Each telling byte at every place of a longer text, in the eight-byte steps and in
        // the tail after them.
        let plain = String(repeating: "x", count: 37)
        for (character, expected) in [("@", WordPattern.Needs.email), (":", .ipv6), ("0", .digits), ("9", .digits)] {
            for place in 0..<plain.count {
                var text = plain
                text.replaceSubrange(text.index(text.startIndex, offsetBy: place)...text.index(text.startIndex, offsetBy: place),
                                     with: character)
                #expect(needs(text) == expected, "\(character) at \(place)")
            }
        }
        #expect(needs(plain + "/;?[`") == [])
    }
}
