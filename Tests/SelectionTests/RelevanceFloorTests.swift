import Contract
import SelectionCore
import Testing
@testable import Selection
import WireFormat

/// The relevance floor: an item is shown only when the page's keywords and the item are close
/// enough (the item's coverage by the page), not because one word matched.
@Suite struct RelevanceFloorTests {
    let engine: SelectionEngine

    init() throws { engine = try SelectionEngine(catalog: testCatalog) }

    /// A page about one thing that shares a single word with an ad about another.
    let strayMatch = SelectionRequest(
        id: "stray",
        page: .init(title: "Query plans in the database",
                    text: "The planner reads the query, estimates each join and scan, and writes a plan; the executor runs the plan. Indexes, statistics and join order decide the plan's cost. Green rows mark cheap steps."),
        slots: [.init(id: "ads", count: 2, kinds: [.ad, .house])], explain: true)

    let goodMatch = SelectionRequest(
        id: "tea",
        page: .init(title: "Brewing green tea", text: "Steep green tea leaves in a teapot; loose-leaf tea wants cooler water."),
        slots: [.init(id: "ads", count: 1, kinds: [.ad])], explain: true)

    @Test func aCandidateBelowTheFloorIsDroppedWithItsReason() throws {
        var request = strayMatch
        request.relevanceFloor = 0
        let open = try engine.select(request)
        let shownWithoutFloor = open.slots[0].items.filter { !$0.isFallback }.map(\.candidate)
        let stray = try #require(shownWithoutFloor.first, "without a floor, the single shared word is enough: \(open.slots)")
        request.relevanceFloor = min(1, stray.relevance.coverage + 0.01)
        let floored = try engine.select(request)
        #expect(!floored.slots[0].items.contains { $0.candidate.item.id == stray.item.id && !$0.isFallback })
        let dropped = try #require(floored.dropped)
        #expect(dropped.contains { $0.id == stray.item.id && $0.reason == "below_relevance_floor" }, "\(dropped)")
    }

    @Test func aSlotBelowTheFloorGoesToTheHouseTier() throws {
        var request = strayMatch
        request.relevanceFloor = 1
        let response = try engine.select(request)
        #expect(response.slots[0].items.allSatisfy { $0.candidate.item.kind == .house }, "\(response.slots[0].items.map(\.candidate.item.id))")
    }

    @Test func aPageOnTheItemsSubjectClearsTheDefaultFloor() throws {
        var request = goodMatch
        request.relevanceFloor = nil
        let response = try engine.select(request)
        let first = try #require(response.slots[0].items.first)
        #expect(first.candidate.item.id == "ad:tea")
        #expect(first.candidate.relevance.coverage >= engine.relevanceFloor)
    }

    @Test func aRankingToMeasureIsNotCutByTheFloor() throws {
        var strict = engine
        strict.relevanceFloor = 1
        let (_, ranked) = try strict.rank(strayMatch.page, limit: 10)
        #expect(!ranked.isEmpty, "evaluation ranks every candidate; the floor decides only what is shown")
        #expect(try strict.select(strayMatch).slots[0].items.allSatisfy { $0.candidate.item.kind == .house })
    }

    @Test func theFloorIsARequestSettingCheckedOnDecoding() throws {
        let line = #"{"page": {"text": "tea"}, "relevance_floor": 0.25}"#
        let request = try SelectionRequest.decode(JSONParser.parse(line))
        #expect(request.relevanceFloor == 0.25)
        let tooHigh = try JSONParser.parse(#"{"page": {"text": "tea"}, "relevance_floor": 1.5}"#)
        do {
            _ = try SelectionRequest.decode(tooHigh)
            Issue.record("a floor above 1 must be refused")
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.field == "relevance_floor")
        }
    }
}
