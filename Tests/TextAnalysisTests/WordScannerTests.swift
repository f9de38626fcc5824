import Testing
@testable import TextAnalysis

/// The scanner decides most positions by hand and the rest with PCRE2; together they must find
/// exactly what the whole pattern finds, match for match and group for group.
@Suite struct WordScannerTests {
    typealias Scan = (UnsafeBufferPointer<UInt8>, MatchScratch, (Range<Int>, Int) -> Bool) -> Void

    /// Every match of `scan` in `text` as "range#group".
    func found(_ text: String, _ scan: Scan) -> [String] {
        var copy = text
        var matches: [String] = []
        copy.withUTF8 { bytes in
            scan(bytes, MatchScratch(for: WordPattern.compiled)) { range, group in
                matches.append("\(range)#\(group)")
                return true
            }
        }
        return matches
    }

    func scanned(_ text: String) -> [String] {
        found(text) { WordScanner.forEachMatch(in: $0, scratch: $1, $2) }
    }

    func matchedByPattern(_ text: String) -> [String] {
        found(text) { WordPattern.compiled.forEachMatch(in: $0, scratch: $1, $2) }
    }

    @Test func findsWhatThePatternFindsInHandWrittenTexts() {
        let long = String(repeating: "a", count: 250)
        let texts = [
            "Plain words only, nothing else here — café naïve Ünïcode don't rock'n'roll o’clock",
            "Year 2024 and a phone +44 20 7946 0958, (020) 7946 0958, a card 4111 1111 1111 1111, version 3.11",
            "Write to ann@example.org or bob.smith@mail.example.co.uk today, or _x%y+z-w@host.museum",
            "Hosts 192.168.1.20 and 10.0.0.1, IPv6 fe80::1 and 2001:db8::8a2e:370:7334, ::1, time 10:30",
            "cafe::babe is hex only; ratio 3:4; a@b is not an address; x@y.zz is; abcde:f and abcd:ef",
            "\(long) \(long)@example.com \(String(repeating: "b", count: 64))@example.com \(String(repeating: "c", count: 65))@example.com",
            "trailing apostrophe' and 'quoted' words, it's, l'été, x'", "e\u{301}cole re\u{301}sume\u{301} 日本語 ٣٤٥ ǅemal",
            "", "a", "'", "@", "::", "+", "(1", "+(1", "1", "A1B2C3D4E5F6G7",
        ]
        for text in texts + texts.map({ $0.uppercased() }) {
            #expect(scanned(text) == matchedByPattern(text), "\(text)")
        }
    }

    @Test func findsWhatThePatternFindsInRandomTexts() {
        // Fragments chosen to sit on every decision the scanner makes by hand.
        let fragments = ["a", "Z", "e", "f", "x", "cafe", "word", "0", "1", "9", "4111", "192", "255", "256", ".", ":", "::",
                         "@", "+", "(", ")", "-", "_", "%", "'", "’", " ", " ", " ", ",", "/", "\n", "é", "ü", "\u{301}",
                         "—", "日", "٣", "ǅ", "fe80", "db8", "com", "example", "ab", "+44", "(0)"]
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            let text = (0..<(1 + next(40))).map { _ in fragments[next(fragments.count)] }.joined()
            if scanned(text) != matchedByPattern(text) { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5).map { "\($0.debugDescription)" })")
    }
}
