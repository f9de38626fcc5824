/// Splits an HTML page into weighted fields in one linear pass over its bytes.
///
/// Script, style, template, noscript and svg content and comments are dropped; entities are
/// decoded; nav, header, footer and aside (and ARIA navigation, banner, contentinfo and search
/// regions, and hidden elements) are kept out of every field. Malformed markup is read the way a
/// browser would recover, never by backtracking: every byte is looked at a bounded number of
/// times, so a 5 MB page of stray `<` costs the same as a clean one.
///
///     let fields = HTMLTextExtractor().extract("<title>Tea</title><p>Green &amp; black</p>")
///     fields.text(of: .body) // "Green & black"
public struct HTMLTextExtractor: Sendable {
    public init() {}

    /// Extracts fields from `html`. Byte offsets in the result index `html.utf8`.
    public func extract(_ html: String) -> PageFields {
        var copy = html
        return copy.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            scanner.run()
            return scanner.fields
        }
    }
}

private enum Vocabulary {
    /// Elements whose whole content is dropped.
    static let skipped: Set<String> = ["script", "style", "template", "noscript", "svg", "textarea", "iframe", "object"]
    /// Elements that never have content or an end tag.
    static let void: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                                     "param", "source", "track", "wbr"]
    /// Elements after or before which text does not run on (phrases stop there).
    static let block: Set<String> = ["address", "article", "aside", "blockquote", "br", "caption", "dd", "details",
                                      "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
                                      "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
                                      "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
                                      "th", "thead", "tr", "ul", "title", "button", "label", "select", "dialog"]
    /// Boilerplate regions, always.
    static let boilerplate: Set<String> = ["nav", "aside"]
    /// Boilerplate unless inside a sectioning element (an article's own header is content).
    static let pageLandmarks: Set<String> = ["header", "footer"]
    static let sectioning: Set<String> = ["article", "main", "section"]
    static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
    /// ARIA roles that mark navigation and page chrome.
    static let boilerplateRoles: Set<String> = ["navigation", "banner", "contentinfo", "search", "menu", "menubar"]
}

private struct OpenElement {
    var name: String
    var excludes = false
    var heading = false
    var anchor = false
    var sectioning = false
}

private struct Attribute {
    var name: String
    var value: Range<Int>
}

private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var fields = PageFields()
    var stack: [OpenElement] = []
    var excludedDepth = 0
    var headingDepth = 0
    var anchorDepth = 0
    var sectioningDepth = 0
    var pendingBreak = true
    var sawTitle = false
    var sawDescription = false

    /// How far down the open-element stack an end tag looks for its start tag.
    static let endTagSearchDepth = 64
    /// Beyond this depth, plain elements are not tracked (flagged ones still are).
    static let maximumTrackedDepth = 4096

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func run() {
        var index = 0
        var textStart = 0
        let end = bytes.count
        while index < end {
            guard bytes[index] == UInt8(ascii: "<") else { index += 1; continue }
            let next = index + 1 < end ? bytes[index + 1] : 0
            if isASCIILetter(next) || (next == UInt8(ascii: "/") && index + 2 < end && isASCIILetter(bytes[index + 2])) {
                emitText(textStart..<index)
                index = tag(at: index)
                textStart = index
            } else if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") || next == UInt8(ascii: "/") {
                emitText(textStart..<index)
                index = skipMarkupDeclaration(at: index)
                textStart = index
            } else {
                index += 1 // a stray "<" is text
            }
        }
        emitText(textStart..<end)
    }

    // MARK: Text

    mutating func emitText(_ range: Range<Int>) {
        guard !range.isEmpty, excludedDepth == 0 else { return }
        let field: Field = headingDepth > 0 ? .headings : (anchorDepth > 0 ? .linkText : .body)
        if let segment = segment(range, startsBlock: pendingBreak) {
            fields.append(segment, to: field)
            pendingBreak = false
        }
    }

    /// A decoded segment of `range`, or nil when it holds only whitespace.
    func segment(_ range: Range<Int>, startsBlock: Bool) -> TextSegment? {
        var hasContent = false
        var hasEntity = false
        for index in range {
            let byte = bytes[index]
            if byte == UInt8(ascii: "&") { hasEntity = true; hasContent = true }
            else if byte > 0x20 { hasContent = true }
        }
        guard hasContent else { return nil }
        if !hasEntity {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            return TextSegment(text: text, rawStart: range.lowerBound, startsBlock: startsBlock)
        }
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var map: [OffsetMapPoint] = []
        EntityDecoder.decode(bytes, range, into: &output, map: &map)
        return TextSegment(text: String(decoding: output, as: UTF8.self), rawStart: range.lowerBound,
                           offsetMap: map, startsBlock: startsBlock)
    }

    // MARK: Tags

    /// Reads the tag at `start` (a `<` followed by a letter or `/letter`) and returns the offset
    /// after it. A tag cut off by the end of the page ends the page.
    mutating func tag(at start: Int) -> Int {
        var index = start + 1
        let isEnd = bytes[index] == UInt8(ascii: "/")
        if isEnd { index += 1 }
        let nameStart = index
        while index < bytes.count, !isTagNameEnd(bytes[index]) { index += 1 }
        let name = lowercasedASCII(nameStart..<index)
        var attributes: [Attribute] = []
        guard let tagEnd = readAttributes(from: index, into: &attributes) else { return bytes.count }
        if isEnd {
            endTag(name)
            return tagEnd
        }
        return startTag(name, attributes: attributes, after: tagEnd)
    }

    /// Parses attributes up to the closing `>`; returns the offset after it, or nil at the end of
    /// the page (an unclosed tag or quote swallows the rest, as in browsers).
    func readAttributes(from start: Int, into attributes: inout [Attribute]) -> Int? {
        var index = start
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") { return index + 1 }
            if isSpace(byte) || byte == UInt8(ascii: "/") { index += 1; continue }
            let nameStart = index
            while index < end, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="),
                  bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "/") || index == nameStart {
                index += 1
            }
            let name = lowercasedASCII(nameStart..<index)
            while index < end, isSpace(bytes[index]) { index += 1 }
            guard index < end, bytes[index] == UInt8(ascii: "=") else {
                attributes.append(Attribute(name: name, value: index..<index))
                continue
            }
            index += 1
            while index < end, isSpace(bytes[index]) { index += 1 }
            guard index < end else { return nil }
            let quote = bytes[index]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                let valueStart = index + 1
                index = valueStart
                while index < end, bytes[index] != quote { index += 1 }
                guard index < end else { return nil }
                attributes.append(Attribute(name: name, value: valueStart..<index))
                index += 1
            } else {
                let valueStart = index
                while index < end, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
                attributes.append(Attribute(name: name, value: valueStart..<index))
            }
        }
        return nil
    }

    mutating func startTag(_ name: String, attributes: [Attribute], after tagEnd: Int) -> Int {
        if Vocabulary.block.contains(name) { pendingBreak = true }
        if Vocabulary.skipped.contains(name) { return skipRawText(named: name, from: tagEnd) }
        if name == "title" { return readTitle(from: tagEnd) }
        switch name {
        case "html":
            if let lang = value(of: "lang", in: attributes) { fields.language = primaryLanguage(lang) }
        case "meta":
            readMeta(attributes)
        case "img":
            if excludedDepth == 0, let alt = attributes.first(where: { $0.name == "alt" }),
               let segment = segment(alt.value, startsBlock: true) {
                fields.append(segment, to: .imageAlt)
            }
        default: break
        }
        if Vocabulary.void.contains(name) { return tagEnd }
        // Browsers close an open link or heading when another one starts.
        if name == "a" { closeOpen("a") }
        if Vocabulary.headings.contains(name), headingDepth > 0 {
            if let open = stack.last(where: { $0.heading })?.name { closeOpen(open) }
        }
        var element = OpenElement(name: name)
        let role = value(of: "role", in: attributes)?.lowercased()
        element.excludes = Vocabulary.boilerplate.contains(name)
            || (Vocabulary.pageLandmarks.contains(name) && sectioningDepth == 0)
            || (role.map { Vocabulary.boilerplateRoles.contains($0) } ?? false)
            || attributes.contains { $0.name == "hidden" }
            || value(of: "aria-hidden", in: attributes)?.lowercased() == "true"
        element.heading = Vocabulary.headings.contains(name)
        element.anchor = name == "a"
        element.sectioning = Vocabulary.sectioning.contains(name)
        let flagged = element.excludes || element.heading || element.anchor || element.sectioning
        guard flagged || stack.count < Self.maximumTrackedDepth else { return tagEnd }
        push(element)
        return tagEnd
    }

    mutating func endTag(_ name: String) {
        if Vocabulary.block.contains(name) { pendingBreak = true }
        closeOpen(name)
    }

    /// Pops up to and including the nearest open element named `name`, if it is near the top.
    mutating func closeOpen(_ name: String) {
        let lowest = max(0, stack.count - Self.endTagSearchDepth)
        var index = stack.count - 1
        while index >= lowest {
            if stack[index].name == name {
                while stack.count > index { pop() }
                return
            }
            index -= 1
        }
    }

    mutating func push(_ element: OpenElement) {
        if element.excludes { excludedDepth += 1 }
        if element.heading { headingDepth += 1 }
        if element.anchor { anchorDepth += 1 }
        if element.sectioning { sectioningDepth += 1 }
        stack.append(element)
    }

    mutating func pop() {
        let element = stack.removeLast()
        if element.excludes { excludedDepth -= 1 }
        if element.heading { headingDepth -= 1 }
        if element.anchor { anchorDepth -= 1 }
        if element.sectioning { sectioningDepth -= 1 }
        pendingBreak = pendingBreak || Vocabulary.block.contains(element.name)
    }

    mutating func readMeta(_ attributes: [Attribute]) {
        guard let content = attributes.first(where: { $0.name == "content" }) else { return }
        let name = (value(of: "name", in: attributes) ?? value(of: "property", in: attributes))?.lowercased()
        switch name {
        case "description", "og:description", "twitter:description":
            // The first description wins, whichever vocabulary it uses.
            guard !sawDescription else { return }
            sawDescription = true
            if let segment = segment(content.value, startsBlock: true) { fields.append(segment, to: .description) }
        case "keywords":
            // Each comma-separated entry is one declared keyword: a segment of its own.
            var entryStart = content.value.lowerBound
            for index in content.value where bytes[index] == UInt8(ascii: ",") {
                if let segment = segment(entryStart..<index, startsBlock: true) { fields.append(segment, to: .keywords) }
                entryStart = index + 1
            }
            if let segment = segment(entryStart..<content.value.upperBound, startsBlock: true) {
                fields.append(segment, to: .keywords)
            }
        default: break
        }
    }

    mutating func readTitle(from start: Int) -> Int {
        let (contentEnd, after) = findEndTag("title", from: start)
        if !sawTitle, let segment = segment(start..<contentEnd, startsBlock: true) {
            sawTitle = true
            fields.append(segment, to: .title)
        }
        pendingBreak = true
        return after
    }

    func skipRawText(named name: String, from start: Int) -> Int { findEndTag(name, from: start).after }

    /// Finds `</name` (any case) followed by a delimiter; returns where the content ends and the
    /// offset after the end tag. Without one, the content runs to the end of the page.
    func findEndTag(_ name: String, from start: Int) -> (contentEnd: Int, after: Int) {
        let nameBytes = Array(name.utf8)
        var index = start
        let end = bytes.count
        while index < end {
            if bytes[index] == UInt8(ascii: "<"), index + 1 < end, bytes[index + 1] == UInt8(ascii: "/") {
                var matched = index + 2 + nameBytes.count <= end
                if matched {
                    for (offset, byte) in nameBytes.enumerated() where bytes[index + 2 + offset] | 0x20 != byte {
                        matched = false
                        break
                    }
                }
                let after = index + 2 + nameBytes.count
                if matched, after == end || isTagNameEnd(bytes[after]) {
                    var close = after
                    while close < end, bytes[close] != UInt8(ascii: ">") { close += 1 }
                    return (index, min(close + 1, end))
                }
            }
            index += 1
        }
        return (end, end)
    }

    /// Skips `<!-- … -->`, `<!DOCTYPE …>`, `<![CDATA[ … ]]>`, `<? … >` and `</ …>`.
    func skipMarkupDeclaration(at start: Int) -> Int {
        let end = bytes.count
        if start + 3 < end, bytes[start + 1] == UInt8(ascii: "!"), bytes[start + 2] == UInt8(ascii: "-"),
           bytes[start + 3] == UInt8(ascii: "-") {
            var index = start + 4
            while index + 2 < end {
                if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-"),
                   bytes[index + 2] == UInt8(ascii: ">") {
                    return index + 3
                }
                index += 1
            }
            return end
        }
        var index = start + 2
        while index < end, bytes[index] != UInt8(ascii: ">") { index += 1 }
        return min(index + 1, end)
    }

    // MARK: Helpers

    func value(of name: String, in attributes: [Attribute]) -> String? {
        guard let attribute = attributes.first(where: { $0.name == name }) else { return nil }
        return EntityDecoder.decode(String(decoding: UnsafeBufferPointer(rebasing: bytes[attribute.value]), as: UTF8.self))
    }

    func lowercasedASCII(_ range: Range<Int>) -> String {
        var lowered = [UInt8]()
        lowered.reserveCapacity(range.count)
        for index in range {
            let byte = bytes[index]
            lowered.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        return String(decoding: lowered, as: UTF8.self)
    }
}

/// The primary subtag of a BCP 47 language tag ("en-GB" → "en"), or nil when `tag` does not
/// start with 2 to 8 ASCII letters.
public func primaryLanguage(_ tag: String) -> String? {
    // Most tags met are already a bare lower-case subtag ("en", "de"): returned without a copy.
    if tag.utf8.count <= 8, tag.utf8.count >= 2, tag.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) { return tag }
    let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
    guard (2...8).contains(primary.count), primary.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
    return primary
}

@inline(__always) private func isASCIILetter(_ byte: UInt8) -> Bool { byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A }
@inline(__always) private func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
}
@inline(__always) private func isTagNameEnd(_ byte: UInt8) -> Bool {
    isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
}
