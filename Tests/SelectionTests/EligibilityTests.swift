import Contract
import Foundation
import SelectionCore
import SessionSignals
import Testing
import TextAnalysis
@testable import Selection
import WireFormat

@Suite struct TargetingRuleTests {
    func matches(_ rule: String, _ page: String) throws -> Bool {
        let compiled = try TargetingRule.parse(rule).compiled(with: Analyzer(), scratch: AnalysisScratch())
        return compiled.matches(Set(Analyzer().terms(in: page)))
    }

    @Test func kevelLinesAreOrOfAnds() throws {
        let rule = "green tea, teapot\n!coffee"
        #expect(try TargetingRule.parse(rule) == .any([.all([.keyword("green tea"), .keyword("teapot")]), .not(.keyword("coffee"))]))
        #expect(try matches(rule, "a teapot for green tea and coffee"), "the first line matches")
        #expect(try matches(rule, "sourdough bread"), "the second line: no coffee")
        #expect(try !matches(rule, "coffee and green tea"), "neither line")
    }

    @Test func jsonFormNests() throws {
        let rule = #"{"all": ["running", {"any": ["trail", "mountain"]}, {"not": "road"}]}"#
        #expect(try matches(rule, "Trail running in the mountains"))
        #expect(try !matches(rule, "Road running"))
        #expect(try !matches(rule, "Trail running on the road"))
    }

    @Test(arguments: ["", "a,,b", "!", #"{"xor": ["a"]}"#, #"{"all": []}"#, #"{"all": "a", "any": "b"}"#, "[1]"])
    func invalidRulesAreRefused(_ rule: String) {
        #expect(throws: TargetingRuleError.self) { try TargetingRule.parse(rule) }
    }

    @Test func aStopWordKeywordMatchesNothing() throws {
        #expect(try !matches("the", "the tea"))
    }
}

@Suite struct ScheduleTests {
    func at(_ text: String) -> Int64 { unixSeconds(iso8601: text)! }

    @Test func hoursAndWeekdaysAreReadInTheTimeZone() {
        // Paris is UTC+1 in late November: 09:00–17:00 local is 08:00–16:00 UTC.
        let office = Schedule(weekdays: [1, 2, 3, 4, 5], startHour: 9, endHour: 17, timeZone: "Europe/Paris")
        #expect(!office.isActive(at: at("2026-11-23T07:59:59Z")), "08:59:59 in Paris")
        #expect(office.isActive(at: at("2026-11-23T08:00:00Z")), "09:00 in Paris, a Monday")
        #expect(office.isActive(at: at("2026-11-23T15:59:59Z")))
        #expect(!office.isActive(at: at("2026-11-23T16:00:00Z")), "17:00 in Paris: the end hour is exclusive")
        #expect(!office.isActive(at: at("2026-11-22T10:00:00Z")), "a Sunday")
        // Late Sunday in UTC is already Monday in Tokyo.
        let mondayTokyo = Schedule(weekdays: [1], timeZone: "Asia/Tokyo")
        #expect(mondayTokyo.isActive(at: at("2026-11-22T20:00:00Z")))
        #expect(!Schedule(weekdays: [1]).isActive(at: at("2026-11-22T20:00:00Z")), "UTC by default: still Sunday")
    }

    @Test func startIsInclusiveAndEndExclusive() {
        let campaign = Schedule(start: at("2026-12-01T00:00:00Z"), end: at("2026-12-25T00:00:00Z"))
        #expect(!campaign.isActive(at: at("2026-11-30T23:59:59Z")))
        #expect(campaign.isActive(at: at("2026-12-01T00:00:00Z")))
        #expect(campaign.isActive(at: at("2026-12-24T23:59:59Z")))
        #expect(!campaign.isActive(at: at("2026-12-25T00:00:00Z")))
    }

    @Test func catalogSchedulesAreValidated() throws {
        let good = try CatalogLoader.parse(#"{"id": "a", "title": "T", "schedule": {"start": "2026-12-01T00:00:00Z", "weekdays": ["mon", "fri"], "hours": [9, 17], "time_zone": "Europe/Paris"}, "tier": "sponsorship", "targeting": "tea,pot", "sensitive_ok": true, "blocked_page_categories": ["483"]}"#)
        #expect(good[0].schedule == Schedule(start: at("2026-12-01T00:00:00Z"), weekdays: [1, 5], startHour: 9, endHour: 17, timeZone: "Europe/Paris"))
        #expect(good[0].tier == CatalogItem.sponsorshipTier)
        #expect(good[0].sensitiveOK)
        for (line, field) in [
            (#"{"id": "a", "title": "T", "schedule": {"time_zone": "Mars/Olympus"}}"#, "schedule.time_zone"),
            (#"{"id": "a", "title": "T", "schedule": {"hours": [17, 9]}}"#, "schedule.hours"),
            (#"{"id": "a", "title": "T", "schedule": {"weekdays": ["someday"]}}"#, "schedule.weekdays[0]"),
            (#"{"id": "a", "title": "T", "schedule": {"start": "2026-12-02T00:00:00Z", "end": "2026-12-01T00:00:00Z"}}"#, "schedule.end"),
            (#"{"id": "a", "title": "T", "tier": "gold"}"#, "tier"),
            (#"{"id": "a", "title": "T", "targeting": "a,,b"}"#, "targeting"),
        ] {
            do {
                _ = try CatalogLoader.parse(line)
                Issue.record("\(line) must fail")
            } catch let error as CatalogLoadError {
                #expect(error.field == field, "\(error)")
                #expect(error.item == "a")
            }
        }
    }
}

@Suite struct SelectionRulesTests {
    static let now = "2026-11-23T10:00:00Z"   // a Monday, 11:00 in Paris

    func engine(_ items: [CatalogItem], ranker: any Ranker = BM25Ranker()) throws -> SelectionEngine {
        var engine = try SelectionEngine(catalog: items, ranker: ranker)
        engine.classifier = try shippedClassifier()
        engine.sessionCodec = try SessionTokenCodec(secret: Array("test secret, thirty-two bytes!!!".utf8))
        return engine
    }

    func request(_ text: String, count: Int = 5, kinds: [ItemKind] = [], explain: Bool = true) -> SelectionRequest {
        SelectionRequest(id: "r", page: .init(title: "Tea", text: text), slots: [.init(id: "s", count: count, kinds: kinds)],
                         explain: explain, now: Self.now)
    }

    func ad(_ id: String, _ advertiser: String, _ title: String, keywords: [String] = ["tea"], tier: Int? = nil,
            targeting: String? = nil, schedule: Schedule? = nil, blocked: [String] = [], categories: [String] = [],
            weight: Double = 1, cap: Int? = nil) -> CatalogItem {
        CatalogItem(id: id, kind: .ad, title: title, advertiser: advertiser, keywords: keywords, categories: categories,
                    weight: weight, frequencyCap: cap, targeting: targeting, blockedPageCategories: blocked,
                    schedule: schedule, tier: tier)
    }

    func ids(_ response: SelectionResponse) -> [String] { response.slots.flatMap { $0.items.map(\.candidate.item.id) } }
    func reason(_ response: SelectionResponse, _ id: String) -> String? { response.dropped?.first { $0.id == id }?.reason }

    @Test func eachFilterDropsAndSaysWhy() throws {
        let items = [
            ad("ad:rule", "A", "Green tea", targeting: "oolong"),
            ad("ad:later", "B", "Tea gifts", schedule: Schedule(start: unixSeconds(iso8601: "2026-12-01T00:00:00Z"))),
            ad("ad:night", "C", "Tea at night", schedule: Schedule(startHour: 20, endHour: 24, timeZone: "Europe/Paris")),
            ad("ad:no-sport", "D", "Tea for runners", blocked: ["483"]),
            ad("ad:blocked-cat", "E", "Tea shop", categories: ["222"]),
            ad("ad:blocked-adv", "F", "Tea club"),
            ad("ad:ok", "G", "Tea of the day"),
        ]
        var request = request("Green tea for trail running and marathon runners: a sport drink.")
        request.blockedCategories = ["222"]
        request.blockedAdvertisers = ["F"]
        let response = try engine(items).select(request)
        #expect(ids(response) == ["ad:ok"])
        #expect(reason(response, "ad:rule") == "keyword_rules")
        #expect(reason(response, "ad:later") == "schedule")
        #expect(reason(response, "ad:night") == "schedule")
        #expect(reason(response, "ad:no-sport") == "blocked_page_categories")
        #expect(reason(response, "ad:blocked-cat") == "publisher_blocks")
        #expect(reason(response, "ad:blocked-adv") == "publisher_blocks")
        #expect(response.droppedTotal == 6)
    }

    /// A filter that says a context lets every item through must mean it: under contexts with
    /// and without blocks, kinds and a sensitive page, each built-in filter that says so admits
    /// every item of a catalog that trips each filter.
    @Test func filtersThatAdmitEveryItemAdmitEachOne() throws {
        let items = [
            ad("ad:rule", "A", "Green tea", targeting: "oolong"),
            ad("ad:no-sport", "D", "Tea for runners", blocked: ["483"]),
            ad("ad:cat", "E", "Tea shop", categories: ["222"]),
            ad("ad:plain", "F", "Tea club"),
            CatalogItem(id: "house:tea", kind: .house, title: "Tea", negativeKeywords: ["sport drink"]),
        ]
        let engine = try engine(items)
        var contexts = [EligibilityContext(now: 0)]
        contexts.append(EligibilityContext(now: 0, pageCategories: ["483"], pageIsSensitive: true, kinds: [.house],
                                           blockedCategories: ["222"], blockedAdvertisers: ["F"]))
        contexts.append(EligibilityContext(now: 0, pageTerms: ["sport", "drink"], blockedAdvertisers: ["A"]))
        var skipped = 0
        for context in contexts {
            for filter in engine.filters where filter.admitsEveryItem(in: context) {
                skipped += 1
                for item in items { #expect(filter.admits(item, in: context), "\(filter.name) \(item.id)") }
            }
            #expect(engine.filters(for: context).map(\.name)
                    == engine.filters.filter { !$0.admitsEveryItem(in: context) }.map(\.name))
        }
        #expect(skipped > 0)
    }

    /// Filters built for a catalog claim to let every item through only when no item of it has
    /// what they test (a schedule, languages, a cap of zero), and the visitor's exclusions only
    /// when there are none.
    @Test func catalogAwareFiltersClaimOnlyWhatTheirCatalogAllows() {
        let plain = [ad("ad:plain", "F", "Tea club"), ad("ad:capped", "G", "Tea shop", cap: 2)]
        var zeroCap = plain[1]
        zeroCap.frequencyCap = 0
        var german = plain[0]
        german.languages = ["de"]
        let expired = ad("ad:expired", "H", "Tea sale", schedule: Schedule(end: 10))
        let quiet = EligibilityContext(now: 100)
        let shown = EligibilityContext(now: 100, timesShown: ["ad:capped": 2])
        let excluding = EligibilityContext(now: 100, excludedByVisitor: { $0.id == "ad:plain" })

        #expect(ScheduleFilter(items: plain).admitsEveryItem(in: quiet))
        #expect(!ScheduleFilter(items: plain + [expired]).admitsEveryItem(in: quiet))
        #expect(!ScheduleFilter(items: plain + [expired]).admits(expired, in: quiet))
        #expect(LanguageFilter(items: plain).admitsEveryItem(in: quiet))
        #expect(!LanguageFilter(items: [german]).admitsEveryItem(in: quiet))
        #expect(!LanguageFilter(items: [german]).admits(german, in: quiet))
        #expect(FrequencyCapFilter(items: plain).admitsEveryItem(in: quiet))
        #expect(!FrequencyCapFilter(items: plain).admitsEveryItem(in: shown))
        #expect(!FrequencyCapFilter(items: plain).admits(plain[1], in: shown))
        #expect(!FrequencyCapFilter(items: [zeroCap]).admitsEveryItem(in: quiet))
        #expect(!FrequencyCapFilter(items: [zeroCap]).admits(zeroCap, in: quiet))
        #expect(VisitorExclusionFilter().admitsEveryItem(in: quiet))
        #expect(!VisitorExclusionFilter().admitsEveryItem(in: excluding))
        #expect(!VisitorExclusionFilter().admits(plain[0], in: excluding))
        // Made without the catalog, they always ask.
        #expect(!ScheduleFilter().admitsEveryItem(in: quiet) && !LanguageFilter().admitsEveryItem(in: quiet)
                && !FrequencyCapFilter().admitsEveryItem(in: quiet))
        // Each claim holds for every item of its catalog.
        let filters: [any EligibilityFilter] = [ScheduleFilter(items: plain), LanguageFilter(items: plain),
                                                FrequencyCapFilter(items: plain), VisitorExclusionFilter()]
        for filter in filters where filter.admitsEveryItem(in: quiet) {
            for item in plain { #expect(filter.admits(item, in: quiet), "\(filter.name) \(item.id)") }
        }
    }

    /// With every filter claiming to admit all (no rules, blocks, schedules, languages or caps,
    /// and a page of no category), an item targeting a sensitive category is still refused.
    @Test func sensitiveTargetingIsCheckedWhenNoFilterIsAsked() throws {
        let items = [ad("ad:clinic", "A", "Blorp clinic", keywords: ["blorp"], categories: ["286"]),
                     ad("ad:plain", "B", "Blorp club", keywords: ["blorp"])]
        let engine = try engine(items)
        let request = request("blorp blorp")
        let response = try engine.select(request)
        #expect(ids(response) == ["ad:plain"])
        #expect(reason(response, "ad:clinic") == "sensitive_targeting")
    }

    /// A filter that lets the request's every item through is not asked about them.
    @Test func aFilterThatAdmitsEveryItemIsNotAsked() throws {
        final class Asked: @unchecked Sendable { var count = 0 }
        struct Everything: EligibilityFilter {
            let asked: Asked
            var name: String { "everything" }
            func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
                asked.count += 1
                return true
            }
            func admitsEveryItem(in context: EligibilityContext) -> Bool { true }
        }
        struct Sometimes: EligibilityFilter {
            let asked: Asked
            var name: String { "sometimes" }
            func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
                asked.count += 1
                return item.id != "ad:b"
            }
        }
        let everything = Asked(), sometimes = Asked()
        var engine = try engine([ad("ad:a", "A", "Tea a"), ad("ad:b", "B", "Tea b"), ad("ad:c", "C", "Tea c")])
        engine.filters += [Everything(asked: everything), Sometimes(asked: sometimes)]
        let response = try engine.select(request("tea"))
        #expect(Set(ids(response)) == ["ad:a", "ad:c"])
        #expect(reason(response, "ad:b") == "sometimes")
        #expect(everything.count == 0)
        #expect(sometimes.count >= 3)
    }

    @Test func droppedListsAreBoundedAndOnlyOnRequest() throws {
        // 80 tea ads that target oolong pages, among 100 coffee ads (so that "tea" stays a rare word).
        let items = (0..<80).map { ad("ad:\($0)", "adv\($0)", "Tea \($0)", targeting: "oolong") }
            + (0..<100).map { ad("ad:coffee-\($0)", "roaster\($0)", "Coffee \($0)", keywords: ["coffee"]) }
        let response = try engine(items).select(request("green tea"))
        #expect(response.dropped?.count == SelectionEngine.droppedListLimit)
        #expect(response.droppedTotal == 80)
        #expect(try engine(items).select(request("green tea", explain: false)).dropped == nil)
    }

    @Test func tiersAreTriedInOrder() throws {
        let items = [
            ad("ad:best-match", "A", "Green tea, oolong tea, tea leaves", keywords: ["tea", "green tea", "oolong"]),
            ad("ad:sponsor", "B", "Tea", tier: CatalogItem.sponsorshipTier),
            CatalogItem(id: "house:tea", kind: .house, title: "Our tea newsletter", keywords: ["tea"]),
        ]
        let response = try engine(items).select(request("green tea and oolong tea leaves"))
        #expect(ids(response) == ["ad:sponsor", "ad:best-match", "house:tea"])
        let tiers = response.slots[0].items.map(\.candidate.item.tier)
        #expect(tiers == [0, 1, 2])
    }

    @Test func oneItemPerAdvertiserAndSlotsAskingForMoreThanExists() throws {
        let items = (0..<6).map { ad("ad:big-\($0)", "BigCo", "Tea \($0)") } + [ad("ad:small", "SmallCo", "Tea too")]
        let response = try engine(items).select(request("tea", count: 50))
        #expect(ids(response).sorted() == ["ad:big-0", "ad:small"])
        #expect(reason(response, "ad:big-1") == "advertiser_limit")
        #expect(response.fillRate == 2.0 / 50)
        var two = request("tea", count: 50)
        two.maxPerAdvertiser = 2
        #expect(ids(try engine(items).select(two)).count == 3)
    }

    @Test func allItemsCappedLeavesHouseItems() throws {
        let items = [ad("ad:one", "A", "Tea", cap: 1), ad("ad:two", "B", "More tea", cap: 1),
                     CatalogItem(id: "house:news", kind: .house, title: "Newsletter")]
        let engine = try engine(items)
        var first = request("tea", count: 2, kinds: [.ad])
        first.consent = .init(level: .session)
        let shown = try engine.select(first)
        #expect(Set(ids(shown)) == ["ad:one", "ad:two"])
        var second = request("tea", count: 2)
        second.consent = .init(level: .session)
        second.session = shown.session
        let capped = try engine.select(second)
        #expect(ids(capped) == ["house:news"])
        #expect(capped.slots[0].items.first?.isFallback == true)
        #expect(reason(capped, "ad:one") == "frequency_cap")
    }

    @Test func sensitivePagesShowOnlyItemsThatMayAppearThere() throws {
        let page = "Type 2 diabetes is a chronic disease: patients manage blood sugar with insulin and medication."
        let items = [ad("ad:any", "A", "Diabetes diet book", keywords: ["diabetes", "insulin"]),
                     CatalogItem(id: "ad:ok", kind: .ad, title: "Diabetes diet cookbook", advertiser: "B",
                                 keywords: ["diabetes", "insulin"], sensitiveOK: true)]
        let response = try engine(items).select(request(page))
        #expect(response.sensitive == true)
        #expect(ids(response) == ["ad:ok"])
        #expect(reason(response, "ad:any") == "sensitive_page")
    }

    @Test func requestsMayNameBuiltInRankersOnly() throws {
        #expect(throws: RequestError.self) {
            _ = try SelectionRequest.decode(try JSONParser.parse(#"{"page": {"title": "t"}, "ranker": "exec:/bin/sh"}"#))
        }
        let decoded = try SelectionRequest.decode(try JSONParser.parse(#"{"page": {"title": "t"}, "ranker": "bm25,lottery"}"#))
        #expect(decoded.ranker == "bm25,lottery")
        let items = [ad("ad:a", "A", "Tea"), ad("ad:b", "B", "Tea too")]
        var lottery = request("tea")
        lottery.ranker = "bm25,lottery"
        let response = try engine(items).select(lottery)
        #expect(response.ranker == "bm25,lottery")
        #expect(response.slots[0].items.allSatisfy { $0.candidate.selectionProbability != nil })
    }
}
