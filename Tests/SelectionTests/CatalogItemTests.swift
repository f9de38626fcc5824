import Contract
import Foundation
import SelectionCore
import Testing

@Suite struct CatalogItemTests {
    let item = CatalogItem(id: "tea-1", kind: .ad, title: "Green tea", body: "Loose leaf", advertiser: "Leafy",
                           keywords: ["tea"], schedule: Schedule(weekdays: [1, 2]))

    @Test func copiesShareUntilOneChangesThenDiffer() {
        var copy = item
        #expect(copy == item)
        copy.keywords.append("kettle")
        copy.body = "Whole leaf"
        copy.schedule = nil
        #expect(item.keywords == ["tea"], "the original keeps its fields: \(item)")
        #expect(item.body == "Loose leaf")
        #expect(item.schedule == Schedule(weekdays: [1, 2]))
        #expect(copy.keywords == ["tea", "kettle"])
        #expect(copy != item)
        #expect(Set([item, item, copy]).count == 2)
    }

    @Test func codingKeepsTheCatalogsFieldNames() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(item), as: UTF8.self)
        for key in ["\"body\":\"Loose leaf\"", "\"negative_keywords\":[]", "\"schedule\":{", "\"sensitive_ok\":false"] {
            #expect(json.contains(key), "\(key) in \(json)")
        }
        #expect(try JSONDecoder().decode(CatalogItem.self, from: Data(json.utf8)) == item)
    }
}
