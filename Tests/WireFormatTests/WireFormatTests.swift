import Testing
@testable import WireFormat

@Suite struct JSONParserTests {
    @Test func parsesEveryValueKind() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.5e2, true, false, null], "b": "x\"\\\/\n\u00e9\ud83c\udf75"} "#)
        #expect(value["a"] == .array([.number(1), .number(-250), .bool(true), .bool(false), .null]))
        #expect(value["b"] == .string("x\"\\/\né🍵"))
    }

    @Test(arguments: ["", "{", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "01", "1.", "tru", "\"\u{01}\"", "\"\\x\"",
                      "[1] [2]", "{\"a\":\"unterminated}", "-", "1e", "\"\\u12\""])
    func refusesInvalidJSON(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(throws: Never.self) { try JSONParser.parse(fine) }
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONParser.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
    }

    @Test func writerRoundTripsAndIsCompact() throws {
        let value = JSONValue.object([("z", .number(1)), ("a", .array([.string("é\n\u{01}"), .number(0.5), .null]))])
        let text = JSONWriter.string(value)
        #expect(text == #"{"z":1,"a":["é\n\u0001",0.5,null]}"#)
        #expect(try JSONParser.parse(text) == value)
        #expect(JSONWriter.string(.number(.nan)) == "null")
    }
}

@Suite struct LineFramerTests {
    let input = Array("{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}".utf8)

    func frames(chunkSize: Int, maximum: Int = 1024) -> [LineFramer.Frame] {
        var framer = LineFramer(maximumLineBytes: maximum)
        var result: [LineFramer.Frame] = []
        var start = 0
        while start < input.count {
            let end = min(input.count, start + chunkSize)
            result += framer.feed(Array(input[start..<end]))
            start = end
        }
        return result + framer.finish()
    }

    @Test func dripFeedingGivesTheSameLines() {
        let expected: [LineFramer.Frame] = [
            .line(number: 1, bytes: Array("{\"a\":1}".utf8)),
            .line(number: 4, bytes: Array("{\"b\":2}".utf8)),
            .line(number: 5, bytes: Array("{\"c\":3}".utf8)),
        ]
        for size in [1, 2, 3, 7, input.count] { #expect(frames(chunkSize: size) == expected, "chunk size \(size)") }
    }

    @Test func tooLongLinesAreSkippedNotBuffered() {
        var framer = LineFramer(maximumLineBytes: 8)
        var result = framer.feed(Array("short\n0123456789".utf8))
        result += framer.feed(Array("0123456789\nok\n".utf8))
        result += framer.finish()
        #expect(result == [.line(number: 1, bytes: Array("short".utf8)), .tooLong(line: 2, bytes: 20),
                           .line(number: 3, bytes: Array("ok".utf8))])
    }
}
