/// Articles, prepositions and pronouns that French, Italian and Catalan elide onto the next word
/// ("l'image", "dell'immagine", "qu'il", "d'aigua"): the word is the part after the apostrophe,
/// so that "l'image" and "image" meet as one term. Lists written for this project from each
/// language's grammar (the elidable forms, folded to lower case).
enum Elision {
    static let byLanguage: [String: Set<String>] = [
        "fr": ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "quelqu"],
        "it": ["l", "d", "c", "m", "t", "s", "v", "un", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl",
               "dagl", "degl", "negl", "sugl", "quest", "quell", "nessun", "ciascun", "alcun", "bell", "sant", "tutt", "buon"],
        "ca": ["l", "d", "m", "n", "s", "t"],
    ]

    /// `folded` without an elided word before its first apostrophe, when `prefixes` holds it and
    /// something follows.
    static func strip(_ folded: String, prefixes: Set<String>) -> String {
        guard let apostrophe = folded.utf8.firstIndex(of: UInt8(ascii: "'")) else { return folded }
        let after = folded.utf8.index(after: apostrophe)
        guard after < folded.utf8.endIndex, prefixes.contains(String(folded[..<apostrophe])) else { return folded }
        return String(folded[after...])
    }
}
