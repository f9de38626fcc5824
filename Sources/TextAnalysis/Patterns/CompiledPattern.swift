import CPCRE2

/// A PCRE2 pattern compiled once (UTF + UCP, JIT when available) and shared read-only by all threads.
///
/// Matching needs per-thread scratch space: pass a ``MatchScratch`` made from this pattern.
/// All offsets are UTF-8 byte offsets into the subject.
public final class CompiledPattern: @unchecked Sendable {
    // Safe to share: PCRE2 documents compiled code (and its JIT code) as read-only during matching.
    let code: OpaquePointer
    /// The pattern's source, kept for diagnostics.
    public let source: String
    /// Whether JIT compilation succeeded; matching falls back to the interpreter otherwise.
    public let isJITCompiled: Bool

    /// Compiles `source` with UTF and UCP (Unicode properties for `\w`, `\d`, `\b` and case folding).
    ///
    /// - Throws: ``PatternError`` naming the offset of the problem in `source`.
    public init(_ source: String, options: UInt32 = 0) throws {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let flags = UInt32(PCRE2_UTF) | UInt32(PCRE2_UCP) | options
        let compiled: OpaquePointer? = source.withCString { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: source.utf8.count) { bytes in
                pcre2_compile_8(bytes, source.utf8.count, flags, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw PatternError(message: Self.message(for: errorCode), offset: errorOffset, pattern: source)
        }
        self.code = compiled
        self.source = source
        self.isJITCompiled = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
    }

    deinit { pcre2_code_free_8(code) }

    static func message(for errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
        return length > 0 ? String(decoding: buffer[0..<Int(length)], as: UTF8.self) : "PCRE2 error \(errorCode)"
    }

    /// Finds the first match at or after byte `start` of `subject`, leaving its offsets in `scratch`.
    ///
    /// The subject must be valid UTF-8 (Swift strings always are), so the UTF check is skipped.
    /// - Returns: PCRE2's match count (1 + the highest group set), or nil when there is no match.
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, from start: Int, scratch: MatchScratch,
                           options: UInt32 = 0) -> Int32? {
        guard start <= subject.count else { return nil }
        let flags = options | UInt32(PCRE2_NO_UTF_CHECK)
        let result: Int32
        if let base = subject.baseAddress {
            result = pcre2_match_8(code, base, subject.count, start, flags, scratch.data, nil)
        } else {
            // PCRE2 wants a non-null pointer even for an empty subject.
            var empty: UInt8 = 0
            result = withUnsafePointer(to: &empty) { pcre2_match_8(code, $0, 0, 0, flags, scratch.data, nil) }
        }
        return result >= 0 ? result : nil
    }

    /// Calls `body` with the byte range of every non-overlapping match, left to right, and the
    /// index of the first capture group that took part (0 when the match has no groups set).
    ///
    /// An empty match is retried at the same offset as non-empty and anchored, and otherwise the
    /// scan steps one whole UTF-8 scalar, so empty matches neither loop nor split a character.
    public func forEachMatch(in subject: UnsafeBufferPointer<UInt8>, scratch: MatchScratch,
                             _ body: (_ range: Range<Int>, _ group: Int) -> Bool) {
        var offset = 0
        var options: UInt32 = 0
        while offset <= subject.count {
            guard let count = firstMatch(in: subject, from: offset, scratch: scratch, options: options) else {
                if options == 0 { return }
                // The anchored non-empty retry failed: step one scalar and search normally again.
                options = 0
                offset = Self.nextScalarStart(after: offset, in: subject)
                continue
            }
            let (range, group) = Self.matched(count, scratch)
            if !body(range, group) { return }
            if range.isEmpty {
                options = UInt32(PCRE2_NOTEMPTY_ATSTART) | UInt32(PCRE2_ANCHORED)
                offset = range.upperBound
            } else {
                options = 0
                offset = range.upperBound
            }
        }
    }

    /// The match at exactly byte `offset` (for a pattern compiled with `PCRE2_ANCHORED`, where
    /// the scan has already ruled out every earlier position): its range and first group set.
    public func match(at offset: Int, in subject: UnsafeBufferPointer<UInt8>, scratch: MatchScratch)
        -> (range: Range<Int>, group: Int)? {
        guard let count = firstMatch(in: subject, from: offset, scratch: scratch) else { return nil }
        return Self.matched(count, scratch)
    }

    /// The whole match left in `scratch` and the index of the first group that took part (0 when none).
    @inline(__always)
    static func matched(_ count: Int32, _ scratch: MatchScratch) -> (range: Range<Int>, group: Int) {
        let ovector = pcre2_get_ovector_pointer_8(scratch.data)!
        let range = Int(ovector[0])..<Int(ovector[1])
        if count > 1 {
            for index in 1..<Int(count) where ovector[2 * index] != cpcre2_unset() { return (range, index) }
        }
        return (range, 0)
    }

    /// The byte offset of the scalar after the one starting at `offset` (UTF-8 lead-byte rules).
    static func nextScalarStart(after offset: Int, in subject: UnsafeBufferPointer<UInt8>) -> Int {
        var next = offset + 1
        while next < subject.count, subject[next] & 0b1100_0000 == 0b1000_0000 { next += 1 }
        return next
    }

    /// The first match at or after `start`: the whole match and each group (nil when unset).
    public func captures(in subject: UnsafeBufferPointer<UInt8>, from start: Int, scratch: MatchScratch) -> [Range<Int>?]? {
        guard let count = firstMatch(in: subject, from: start, scratch: scratch) else { return nil }
        let ovector = pcre2_get_ovector_pointer_8(scratch.data)!
        let groups = Int(pcre2_get_ovector_count_8(scratch.data))
        return (0..<groups).map { index in
            let lower = ovector[2 * index], upper = ovector[2 * index + 1]
            return lower == cpcre2_unset() || index >= Int(count) ? nil : Int(lower)..<Int(upper)
        }
    }

    /// Ranges of all matches in `text` (a convenience for small inputs and tests).
    public func matches(in text: String) -> [Range<Int>] {
        let scratch = MatchScratch(for: self)
        var ranges: [Range<Int>] = []
        var copy = text
        copy.withUTF8 { bytes in
            forEachMatch(in: bytes, scratch: scratch) { range, _ in ranges.append(range); return true }
        }
        return ranges
    }
}

/// Per-thread match data for one ``CompiledPattern``. Not Sendable: make one per task or thread.
public final class MatchScratch {
    let data: OpaquePointer

    public init(for pattern: CompiledPattern) {
        data = pcre2_match_data_create_from_pattern_8(pattern.code, nil)
    }

    deinit { pcre2_match_data_free_8(data) }
}

// Match data is written by every match: sharing it between threads would corrupt results.
@available(*, unavailable)
extension MatchScratch: Sendable {}

/// A pattern that failed to compile.
public struct PatternError: Error, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var pattern: String
    public var description: String { "invalid pattern at byte \(offset): \(message) in \(pattern)" }
}
