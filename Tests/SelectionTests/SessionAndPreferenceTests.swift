import Foundation
import SelectionCore
import SessionSignals
import Testing
@testable import Selection

@Suite struct SessionAndPreferenceTests {
    let engine: SelectionEngine
    let codec = try! SessionTokenCodec(secret: Array("test secret, thirty-two bytes!!!".utf8))

    init() throws {
        var catalog = testCatalog
        catalog.append(CatalogItem(id: "ad:capped", kind: .ad, title: "Green tea tasting", body: "Tea tasting evening.",
                                   advertiser: "Tasting Co", keywords: ["tea"], frequencyCap: 1))
        var engine = try SelectionEngine(catalog: catalog)
        engine.sessionCodec = codec
        self.engine = engine
    }

    func request(_ text: String, token: String? = nil, level: SelectionRequest.Consent.Level = .session,
                 now: String = "2026-11-23T10:00:00Z", noRepeat: Bool = false) -> SelectionRequest {
        SelectionRequest(page: .init(text: text), slots: [.init(id: "s", count: 3, kinds: [.ad])], session: token,
                         consent: .init(level: level), now: now, noRepeat: noRepeat)
    }

    func ids(_ response: SelectionResponse) -> [String] { response.slots.flatMap { $0.items.map(\.candidate.item.id) } }

    @Test func sessionConsentIssuesAndReadsTokens() throws {
        let first = try engine.select(request("green tea leaves"))
        #expect(first.privacy.applied == .session)
        let token = try #require(first.session)
        let state = try codec.open(token, now: unixSeconds(iso8601: "2026-11-23T10:00:00Z")!)
        #expect(state.terms.contains { $0.term == "tea" })
        #expect(Set(state.shown.map(\.id)) == Set(ids(first)))
        // A page with little to say: the visit's tea topic still steers the selection.
        let second = try engine.select(request("a subscription every month", token: token, now: "2026-11-23T10:05:00Z"))
        #expect(second.privacy.used.contains("session.terms"))
        #expect(second.privacy.used.contains("session.shown"))
        #expect(ids(second).contains("ad:tea") || ids(second).contains("ad:tea-2"), "a Kettle Co tea ad")
        #expect(!ids(second).contains("ad:capped"), "a frequency cap of 1 was reached in the first response")
        #expect(second.session != nil)
    }

    @Test func noRepeatLeavesOutItemsAlreadyShown() throws {
        let first = try engine.select(request("green tea leaves"))
        let again = try engine.select(request("green tea leaves", token: first.session, now: "2026-11-23T10:01:00Z", noRepeat: true))
        #expect(Set(ids(first)).isDisjoint(with: ids(again)))
    }

    @Test func refusedTokensFallBackToContext() throws {
        let token = try #require(try engine.select(request("green tea")).session)
        var altered = Array(token)
        altered[8] = altered[8] == "x" ? "y" : "x"
        for (bad, reason) in [(String(altered), "integrity"), (String(token.dropLast(3)), "integrity"), ("eyJhbGciOi.x.y", "not a ctxsel token")] {
            let response = try engine.select(request("green tea", token: bad))
            #expect(response.privacy.applied == .context)
            #expect(response.privacy.refused.first?.field == "session")
            #expect(response.privacy.refused.first?.reason.contains(reason) == true, "\(response.privacy.refused)")
            #expect(response.session == nil)
            #expect(!response.privacy.used.contains("session.terms"))
        }
        let late = try engine.select(request("green tea", token: token, now: "2026-11-23T10:31:00Z"))
        #expect(late.privacy.refused.first?.reason.contains("expired") == true)
    }

    @Test func tokensAreIgnoredWithoutSessionConsent() throws {
        let token = try #require(try engine.select(request("green tea")).session)
        let context = try engine.select(request("green tea", token: token, level: .context))
        #expect(context.privacy.ignored.map(\.field) == ["session"])
        #expect(context.session == nil)
        var gpc = request("green tea", token: token)
        gpc.consent.gpc = true
        let capped = try engine.select(gpc)
        #expect(capped.privacy.applied == .context)
        #expect(capped.privacy.ignored.first?.reason.contains("Global Privacy Control") == true)
        let keyless = SelectionEngine(index: engine.index)
        let noKey = try keyless.select(request("green tea"))
        #expect(noKey.privacy.applied == .context)
        #expect(noKey.privacy.reason.contains("no session key"))
    }

    @Test func excludeTopicsIsAHardFilterAndIncludeABoost() throws {
        var coffee = request("espresso coffee and green tea", level: .context)
        coffee.slots = [.init(id: "s", count: 10)]
        let baseline = ids(try engine.select(coffee))
        #expect(baseline.contains("ad:coffee"))
        coffee.preferences.excludeTopics = ["espresso"]
        let excluded = ids(try engine.select(coffee))
        #expect(!excluded.contains("ad:coffee") && !excluded.contains("content:coffee-guide"))
        coffee.preferences.excludeTopics = ["222"]
        #expect(!ids(try engine.select(coffee)).contains("ad:tea"), "an IAB category id excludes by category")
        coffee.preferences.excludeTopics = []
        coffee.preferences.includeTopics = ["tea"]
        let plain = try engine.select({ var r = coffee; r.preferences.includeTopics = []; return r }())
        let boosted = try engine.select(coffee)
        func score(_ response: SelectionResponse, _ id: String) -> Double? {
            response.slots[0].items.first { $0.candidate.item.id == id }?.candidate.score
        }
        let teaBefore = try #require(score(plain, "ad:tea")), teaAfter = try #require(score(boosted, "ad:tea"))
        #expect(abs(teaAfter - teaBefore * 1.5) < 1e-9, "a matching item scores 1.5 times as much")
        #expect(score(boosted, "ad:coffee") == score(plain, "ad:coffee"), "others keep their scores")
        var strong = engine
        strong.preferenceBoost = 3
        let strongFirst = ids(try strong.select(coffee)).first
        #expect(["content:tea-guide", "ad:tea", "ad:tea-2", "ad:capped"].contains(strongFirst ?? ""), "a strong boost puts a tea item first")
        #expect(boosted.privacy.used.contains("preferences.include_topics"))
    }
}
