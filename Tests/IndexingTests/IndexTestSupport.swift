import SelectionCore

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
