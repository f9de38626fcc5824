import Foundation
import Testing
@testable import SessionSignals

@Suite struct SessionTokenCodecTests {
    let codec = try! SessionTokenCodec(secret: Array("a deployer secret of 32 bytes!!!".utf8))
    let state = SessionState(visitStart: 1_000, updatedAt: 1_200,
                             terms: [.init(term: "tea", weight: 0.8), .init(term: "oolong", weight: 0.4)],
                             shown: [.init(id: "ad:tea", count: 2, lastShown: 1_150)])

    @Test func roundTripsAndIsReadable() throws {
        let token = codec.seal(state)
        #expect(token.hasPrefix("cs1."))
        #expect(try codec.open(token, now: 1_300) == state)
        let payload = try #require(base64urlDecode(token.split(separator: ".")[1]))
        #expect(String(decoding: payload, as: UTF8.self)
                == #"{"v":1,"start":1000,"updated":1200,"terms":[["tea",0.8000],["oolong",0.4000]],"shown":[["ad:tea",2,1150]]}"#)
    }

    @Test func holdsNoRandomness() {
        #expect(codec.seal(state) == codec.seal(state), "the same visit state gives the same token: nothing links visits")
    }

    @Test func refusesAlteredTruncatedForeignAndExpiredTokens() throws {
        let token = codec.seal(state)
        var altered = Array(token)
        let index = altered.index(altered.startIndex, offsetBy: 10)
        altered[index] = altered[index] == "A" ? "B" : "A"
        #expect(throws: SessionTokenError.tampered) { try codec.open(String(altered), now: 1_300) }
        #expect(throws: SessionTokenError.self) { try codec.open(String(token.dropLast(5)), now: 1_300) }
        #expect(throws: SessionTokenError.malformed) { try codec.open("cs1.onlytwo", now: 1_300) }
        #expect(throws: SessionTokenError.foreign) { try codec.open("jwt." + token.dropFirst(4), now: 1_300) }
        let other = try SessionTokenCodec(secret: Array("another deployer's secret key...".utf8))
        #expect(throws: SessionTokenError.tampered) { try other.open(token, now: 1_300) }
        #expect(throws: SessionTokenError.expired) { try codec.open(token, now: 1_200 + 30 * 60 + 1) }
        #expect(throws: Never.self) { try codec.open(token, now: 1_200 + 30 * 60) }
        #expect(throws: SessionTokenError.fromTheFuture) { try codec.open(token, now: 1_000) }
    }

    @Test func staysWithinTwoKilobytes() throws {
        var big = state
        big.terms = (0..<12).map { .init(term: String(repeating: "t\($0)", count: 10), weight: 1) }
        big.shown = (0..<200).map { .init(id: "item-with-a-long-identifier-\($0)", count: 1, lastShown: 1_200) }
        let token = codec.seal(big)
        #expect(token.utf8.count <= SessionTokenCodec.maximumTokenBytes)
        let opened = try codec.open(token, now: 1_200)
        #expect(opened.terms.count == 12)
        #expect(opened.shown.last?.id == "item-with-a-long-identifier-199", "the oldest shown items are dropped first")
    }

    @Test func weakKeysAreRefused() {
        #expect(throws: SessionTokenError.weakKey) { try SessionTokenCodec(secret: Array("short".utf8)) }
    }
}

@Suite struct SessionStateTests {
    @Test func foldDecaysAndKeepsTheStrongest() {
        var state = SessionState(visitStart: 0, terms: [.init(term: "tea", weight: 1)])
        state.fold(pageTerms: [.init(term: "coffee", weight: 1)], now: 600)
        #expect(state.terms.map(\.term) == ["coffee", "tea"])
        #expect(abs(state.terms[1].weight - 0.5) < 1e-12, "one half-life later")
        var rules = SessionState.Folding()
        rules.maximumTerms = 1
        state.fold(pageTerms: [], now: 600, rules: rules)
        #expect(state.terms.map(\.term) == ["coffee"])
        state.fold(pageTerms: [], now: 600 + 600 * 10)
        #expect(state.terms.isEmpty, "decayed below the minimum")
    }

    @Test func recordsShownItems() {
        var state = SessionState(visitStart: 0)
        state.recordShown(["a", "b"], now: 10)
        state.recordShown(["a"], now: 20)
        #expect(state.timesShown("a") == 2)
        #expect(state.timesShown("b") == 1)
        #expect(state.shown.last == .init(id: "a", count: 2, lastShown: 20))
    }
}

/// Tokens whose HMAC is valid but whose numbers no sealed state can have: each is refused with
/// a reason, none traps.
@Suite struct SessionTokenRangeTests {
    let codec = try! SessionTokenCodec(secret: Array("a deployer secret of 32 bytes!!!".utf8))
    let now: Int64 = 1_300

    func open(_ payload: String) throws(SessionTokenError) -> SessionState {
        try codec.open(codec.seal(payload: Array(payload.utf8)), now: now)
    }

    @Test(arguments: [
        (#"{"v":1,"start":-9223372036854775000,"updated":1200,"terms":[],"shown":[]}"#, SessionTokenError.outOfRange("start")),
        (#"{"v":1,"start":1000,"updated":-9223372036854775000,"terms":[],"shown":[]}"#, .outOfRange("updated")),
        (#"{"v":1,"start":1e19,"updated":1200,"terms":[],"shown":[]}"#, .outOfRange("start")),
        (#"{"v":1,"start":1000,"updated":1e19,"terms":[],"shown":[]}"#, .outOfRange("updated")),
        (#"{"v":1,"start":1000,"updated":18446744073709551615,"terms":[],"shown":[]}"#, .outOfRange("updated")),
        (#"{"v":1,"start":1000.5,"updated":1200,"terms":[],"shown":[]}"#, .outOfRange("start")),
        (#"{"v":1,"start":1000,"updated":1200,"terms":[],"shown":[["a",9223372036854775807,1100]]}"#, .outOfRange("shown[].count")),
        (#"{"v":1,"start":1000,"updated":1200,"terms":[],"shown":[["a",0,1100]]}"#, .outOfRange("shown[].count")),
        (#"{"v":1,"start":1000,"updated":1200,"terms":[],"shown":[["a",1,-9223372036854775000]]}"#, .outOfRange("shown[].last")),
        (#"{"v":1,"start":1000,"updated":1200,"terms":[["tea",1e308]],"shown":[]}"#, .outOfRange("terms[].weight")),
        (#"{"v":1,"start":1000,"updated":1200,"terms":[["tea",-1e308]],"shown":[]}"#, .outOfRange("terms[].weight")),
        (#"{"v":1e19,"start":1000,"updated":1200,"terms":[],"shown":[]}"#, .foreign),
        (#"{"v":2,"start":1000,"updated":1200,"terms":[],"shown":[]}"#, .foreign),
    ])
    func extremeValuesAreRefused(payload: String, expected: SessionTokenError) {
        #expect(throws: expected) { try open(payload) }
    }

    @Test func anOversizedTokenIsRefusedBeforeItIsDecoded() {
        let long = "cs1." + String(repeating: "A", count: SessionTokenCodec.maximumTokenBytes) + ".AAAA"
        #expect(throws: SessionTokenError.malformed) { try codec.open(long, now: now) }
    }

    @Test func theEdgesOfEachRangeAreAccepted() throws {
        let state = try open(#"{"v":1,"start":0,"updated":1200,"terms":[["tea",4],["oolong",0]],"shown":[["a",2147483647,0]]}"#)
        #expect(state.terms.map(\.weight) == [4, 0])
        #expect(state.shown == [.init(id: "a", count: Int(Int32.max), lastShown: 0)])
    }

    @Test func sealingAndFoldingExtremeStatesDoesNotTrap() throws {
        let extreme = SessionState(visitStart: .min, updatedAt: .max,
                                   terms: [.init(term: "a", weight: 1e308), .init(term: "b", weight: -.infinity),
                                           .init(term: "c", weight: .nan)],
                                   shown: [.init(id: "x", count: .max, lastShown: .max)])
        let token = codec.seal(extreme)
        #expect(throws: SessionTokenError.self) { try codec.open(token, now: now) }
        var folded = extreme
        folded.fold(pageTerms: [.init(term: "d", weight: 1)], now: .min)
        folded.recordShown(["x"], now: .max)
        #expect(folded.timesShown("x") == .max, "a count at its maximum stays there")
        #expect(fixed4(-0.5) == "-0.5000")
        #expect(fixed4(2.25) == "2.2500")
    }
}
