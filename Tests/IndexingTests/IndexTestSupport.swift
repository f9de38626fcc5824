import SelectionCore

/// A reproducible random number generator (SplitMix64) for randomized tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Words that the analyzer keeps as they are (no stemming changes, no stop words).
let plainWords = ["tea", "kettl", "oolong", "green", "black", "water", "leaf", "pot", "cup", "brew",
                  "milk", "sugar", "honey", "lemon", "mint", "ginger", "jasmin", "matcha", "chai", "herb",
                  "cake", "bread", "toast", "jam", "butter", "egg", "salt", "pepper", "rice", "bean",
                  "train", "bus", "car", "bike", "boat", "plane", "road", "rail", "map", "trip",
                  "code", "test", "bug", "fix", "build", "link", "file", "disk", "port", "host"]

func randomCatalog(count: Int, generator: inout SplitMix64) -> [CatalogItem] {
    (0..<count).map { index in
        let titleLength = Int.random(in: 1...3, using: &generator)
        let bodyLength = Int.random(in: 0...30, using: &generator)
        let title = (0..<titleLength).map { _ in plainWords.randomElement(using: &generator)! }.joined(separator: " ")
        let body = (0..<bodyLength).map { _ in plainWords.randomElement(using: &generator)! }.joined(separator: " ")
        let keywords = Bool.random(using: &generator) ? [plainWords.randomElement(using: &generator)!] : []
        return CatalogItem(id: itemID(index), title: title, body: body, keywords: keywords)
    }
}

/// "item-0042": ids that sort like their numbers.
func itemID(_ index: Int) -> String {
    let digits = String(index)
    return "item-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
