import Testing
@testable import TextAnalysis

@Suite struct HTMLTextExtractorTests {
    let extractor = HTMLTextExtractor()

    @Test func splitsFields() {
        let fields = extractor.extract("""
            <html lang="en-GB"><head><title>Green tea</title>
            <meta name="description" content="How to brew it">
            <meta name="keywords" content="tea, green tea"></head>
            <body><h1>Brewing</h1><p>Use water at 80 degrees <a href="/x">see the guide</a>.</p>
            <img src="t.jpg" alt="a glass teapot"></body></html>
            """)
        #expect(fields.text(of: .title) == "Green tea")
        #expect(fields.text(of: .description) == "How to brew it")
        #expect(fields.text(of: .keywords) == "tea  green tea")
        #expect(fields.text(of: .headings) == "Brewing")
        #expect(fields.text(of: .body).contains("Use water at 80 degrees"))
        #expect(fields.text(of: .linkText) == "see the guide")
        #expect(fields.text(of: .imageAlt) == "a glass teapot")
        #expect(fields.language == "en")
    }

    @Test func dropsScriptsStylesTemplatesAndComments() {
        let fields = extractor.extract("""
            <p>kept</p><script>var hidden = "<p>not text</p>";</script><style>p { color: red }</style>
            <template><p>template</p></template><noscript>enable js</noscript><!-- a comment --><p>also kept</p>
            """)
        #expect(fields.text(of: .body) == "kept also kept")
    }

    @Test func keepsBoilerplateOutOfTheBody() {
        let fields = extractor.extract("""
            <header>Site name</header><nav>Home About</nav><div role="navigation">Menu</div>
            <div role="banner">Banner</div><main><article><header><h1>Article title</h1></header>
            <p>Article text</p></article></main><aside>Related</aside><footer>Copyright</footer>
            <div role="contentinfo">Contact</div><div hidden>Hidden</div>
            """)
        #expect(fields.text(of: .body) == "Article text")
        #expect(fields.text(of: .headings) == "Article title")
    }

    @Test func decodesEntities() {
        let fields = extractor.extract("<p>Caf&eacute; &amp; th&#233; &#x1F375; &lt;b&gt; &nbsp;x &unknown; &amp</p>")
        #expect(fields.text(of: .body) == "Café & thé 🍵 <b> \u{A0}x &unknown; &")
    }

    @Test func offsetsThroughEntitiesPointAtRawBytes() {
        let html = "<p>Caf&eacute; bar</p>"
        let tokens = Analyzer().analyze(extractor.extract(html), scratch: AnalysisScratch()).tokens
        let raw = Array(html.utf8)
        let words = tokens.map { String(decoding: raw[$0.byteRange], as: UTF8.self) }
        #expect(words == ["Caf&eacute;", "bar"])
    }

    @Test func survivesMalformedMarkup() {
        let cases = [
            "<p>unclosed <b>bold <i>italic",
            "a < b and c <d> e",
            "<p title=\"unterminated>text after",
            "<!-- never closed comment <p>lost</p>",
            "<script>never closed",
            "text &#xZZZZ; &#99999999999; &#0; & end",
            "</div></span></p>stray closers",
            "<<<<>>>><<</>",
            "<a href=x><a href=y>nested links</a>",
        ]
        for html in cases { _ = extractor.extract(html) }
        #expect(extractor.extract("a < b and c").text(of: .body) == "a < b and c")
        #expect(extractor.extract("text &#0; &#xD800; end").text(of: .body) == "text \u{FFFD} \u{FFFD} end")
        #expect(extractor.extract("</div></span></p>stray closers").text(of: .body) == "stray closers")
    }

    @Test func hugeHostilePagesFinish() {
        // Five megabytes each of constructs that make naive scanners quadratic.
        let strays = String(repeating: "<", count: 5_000_000)
        let openTags = String(repeating: "<a ", count: 1_700_000)
        let nested = String(repeating: "<div>", count: 1_000_000) + "deep" + String(repeating: "</div>", count: 1_000_000)
        let comments = String(repeating: "<!-", count: 1_700_000)
        #expect(extractor.extract(strays).text(of: .body).utf8.count == 5_000_000)
        #expect(extractor.extract(openTags).text(of: .body).isEmpty)
        #expect(extractor.extract(nested).text(of: .body) == "deep")
        _ = extractor.extract(comments)
    }

    @Test func binaryJunkAndInvalidUTF8AreText() {
        let bytes: [UInt8] = [0x3C, 0x70, 0x3E, 0xFF, 0xFE, 0x00, 0x41, 0x42, 0xC3, 0x28, 0x3C, 0x2F, 0x70, 0x3E]
        let html = String(decoding: bytes, as: UTF8.self)
        let body = extractor.extract(html).text(of: .body)
        #expect(body.contains("AB"))
    }
}
