import SelectionCore
import Testing
@testable import TextAnalysis

/// One page per language, written for these tests: what CLD2 reads it as, and that its terms
/// hold none of the language's stop words.
let pagesByLanguage: [(code: String, text: String, stopWords: [String])] = [
    ("de", "Die Stadt hat im Sommer einen neuen Radweg am Fluss eröffnet. Der Weg führt von der Altstadt bis zum Hafen und ist für Familien mit Kindern gedacht. Die Bürger hatten sich seit Jahren eine sichere Verbindung gewünscht, und nun fahren jeden Tag viele Menschen mit dem Fahrrad zur Arbeit.",
     ["die", "der", "und", "ist", "mit", "dem", "von", "für"]),
    ("fr", "Les habitants du village ont planté cette année un grand verger de pommiers près de l'école. Les enfants apprennent à tailler les arbres et à récolter les fruits en automne, et la cantine prépare ensuite des compotes pour tout le monde. Le maire espère que le projet sera repris par les communes voisines.",
     ["les", "de", "du", "le", "la", "et", "des", "pour"]),
    ("es", "Los pescadores del puerto salen cada mañana antes del amanecer y vuelven a media tarde con cajas de sardinas y boquerones. En el mercado, los compradores esperan con paciencia mientras se subasta el pescado, y los restaurantes de la costa preparan después platos sencillos con el producto del día.",
     ["los", "del", "y", "con", "de", "la", "el", "se"]),
    ("it", "Nel piccolo paese di montagna i pastori portano ogni estate le pecore ai pascoli alti, dove l'erba è più fresca. Il formaggio prodotto in quei mesi viene stagionato nelle cantine del borgo e venduto alla fiera d'autunno, quando arrivano visitatori da tutta la regione per assaggiarlo.",
     ["il", "di", "le", "ai", "nel", "per", "da", "la"]),
    ("pt", "Os agricultores da região plantaram este ano mais oliveiras nas encostas junto ao rio, porque a colheita do ano passado foi muito boa. O azeite é produzido numa cooperativa da vila e vendido nos mercados da cidade, onde os compradores apreciam o sabor frutado e a cor dourada.",
     ["os", "da", "do", "ao", "que", "e", "o", "nos"]),
    ("ru", "Жители небольшого города на севере каждую зиму строят во дворах снежные крепости для детей. Когда выпадает много снега, соседи выходят с лопатами и помогают друг другу расчищать дорожки, а вечером собираются вместе пить горячий чай и обсуждать планы на весну и лето.",
     ["на", "и", "для", "с", "а", "в", "когда"]),
    ("ja", "東京都の小さな公園では毎年春になると桜の花が咲き、多くの家族がお弁当を持って集まります。子どもたちは芝生の上で遊び、大人たちは木の下で話をしながら一日をゆっくり過ごします。夜になると提灯が灯り、公園はとても美しい景色になります。",
     []),
    ("zh", "这个城市的图书馆每个周末都会举办儿童读书活动，很多家长带着孩子来参加。老师会给孩子们讲故事，然后大家一起讨论书里的人物和情节。图书馆还为老年人开设了电脑课程，帮助他们学习如何使用手机和网络查找信息。",
     []),
]

@Suite struct LanguageDetectionTests {
    @Test(arguments: pagesByLanguage.map { ($0.code, $0.text) })
    func eachPageIsReadAsItsLanguage(code: String, text: String) {
        let detected = LanguageDetector.detect(text)
        #expect(detected?.code == code, "\(code): \(String(describing: detected))")
        #expect(detected?.isReliable == true)
    }

    @Test func plainEnglishIsRecognisedBeforeCLD2AndNoOtherLanguageIs() {
        let english = "The river path was opened this summer and it runs from the old town to the harbour, which is used by families with children every day."
        #expect(EnglishScreen.isClearlyEnglish(english))
        #expect(PageLanguage.choose(declared: nil, text: english, fallback: "xx") == PageLanguage(code: "en", source: .detected))
        for page in pagesByLanguage { #expect(!EnglishScreen.isClearlyEnglish(page.text), "\(page.code)") }
        // ASCII-only Italian (no accents) is still not English.
        #expect(!EnglishScreen.isClearlyEnglish("Il paese di montagna e i pastori portano ogni estate le pecore ai pascoli alti dove l'erba cresce fresca e verde per tutto il mese"))
    }

    @Test func proseAmongNamesIsReadAsTheProse() throws {
        // A Chinese sentence, then the names of the tools it introduces: CLD2 finds Chinese in
        // only part of the text, calls it unreliable, and reads the names as no language.
        let names = "awk basename cat chmod chown cksum comm cp csplit cut date dd df dirname du echo env expand expr factor fmt fold head hostid id join link ln logname ls md5sum mkdir mkfifo mknod mktemp mv nice nl nohup nproc numfmt od paste pathchk pr printenv printf ptx pwd readlink realpath rm rmdir seq sha1sum shred shuf sleep sort split stat stty sum sync tac tail tee test timeout touch tr truncate tsort tty uname unexpand uniq unlink users wc who whoami yes"
        let text = "这个软件包收集了每台电脑都应该有的文件和文本处理小工具，它们包括：\n" + names
        let detected = try #require(LanguageDetector.detect(text))
        #expect(detected.code == "zh" && detected.leads, "\(detected)")
        #expect(!(detected.isReliable && detected.share >= 0.5), "\(detected): the case of a clear answer")
        let page = PageLanguage.choose(declared: nil, text: text, fallback: "en", englishStopShare: 0, words: 90)
        #expect(page.code == "zh" && page.source == .detected, "\(page)")
    }

    @Test func tooLittleTextIsNotGuessed() {
        #expect(LanguageDetector.detect("") == nil)
        let page = PageLanguage.choose(declared: nil, text: "ok", fallback: "en")
        #expect(page == PageLanguage(code: "en", source: .default))
    }

    @Test func aDeclaredLanguageStandsUnlessTheTextClearlyContradictsIt() {
        let german = pagesByLanguage[0].text
        #expect(PageLanguage.choose(declared: "de-AT", text: german, fallback: "en") == PageLanguage(code: "de", source: .declared))
        let overridden = PageLanguage.choose(declared: "en", text: german, fallback: "en")
        #expect(overridden.code == "de" && overridden.source == .detected && overridden.contradicted == "en", "\(overridden)")
        // Short text never overrides what the page declares.
        #expect(PageLanguage.choose(declared: "en", text: "Der Radweg am Fluss", fallback: "en").code == "en")
    }
}

@Suite struct LanguageAnalysisTests {
    @Test(arguments: pagesByLanguage.map { ($0.code, $0.text, $0.stopWords) })
    func termsHoldNoStopWordOfTheLanguage(code: String, text: String, stopWords: [String]) {
        let terms = Analyzer().terms(in: text, language: code)
        #expect(terms.count > 10, "\(code): \(terms)")
        for word in stopWords { #expect(!terms.contains(word), "\(code): the stop word \(word) is a term: \(terms)") }
        for word in stopWords { #expect(StopWords.byLanguage[code]?.contains(word) == true, "\(code) lists \(word)") }
    }

    /// A page per language, declaring none: it is read as its language, and none of its
    /// keywords (each word of a phrase included) is a stop word of that language.
    @Test(arguments: pagesByLanguage.map { ($0.code, $0.text) })
    func keywordsOfAnUndeclaredPageHoldNoStopWordOfItsLanguage(code: String, text: String) throws {
        let analyzer = Analyzer()
        let scratch = AnalysisScratch()
        let (analyzed, language) = analyzer.analyzeInItsLanguage(.plainText(text), declared: nil, scratch: scratch)
        #expect(language.code == code && language.source == .detected && analyzed.language == code, "\(language)")
        let keywords = KeywordExtractor().extract(from: analyzed, statistics: KeywordExtractorTests.Uniform(), scratch: scratch)
        #expect(keywords.count >= 5, "\(code): \(keywords.map(\.text))")
        // Chinese has no stop list (Lucene's SmartChinese list is punctuation only): its function
        // words (的, 和) fall to the keyword extractor's document-frequency ceiling instead.
        guard code != "zh" else { return }
        let stopWords = try #require(StopWords.byLanguage[code])
        // The page's own words are checked, not their stems: "sichere" (safe) stems to "sich",
        // which is a stop word when it stands alone.
        for keyword in keywords {
            let words = keyword.text.split(separator: " ").map(String.init)
            #expect(!words.contains(where: stopWords.contains), "\(code): the keyword \(keyword.text) holds a stop word")
        }
    }

    @Test func eachLanguageIsStemmedByItsOwnStemmer() {
        let analyzer = Analyzer()
        #expect(analyzer.terms(in: "Kinder Kindern", language: "de").count == 2)
        #expect(Set(analyzer.terms(in: "Kinder Kindern", language: "de")).count == 1, "German plural forms share a stem")
        #expect(Set(analyzer.terms(in: "maisons maison", language: "fr")).count == 1)
        #expect(Set(analyzer.terms(in: "книги книгами", language: "ru")).count == 1)
    }

    @Test func chineseAndJapaneseAreSplitIntoDictionaryWords() {
        let analyzer = Analyzer()
        #expect(analyzer.terms(in: "東京都に住む", language: "ja") == ["東京", "都", "住む"], "に is a Japanese stop word")
        #expect(analyzer.terms(in: "iPhone用の充電器", language: "ja") == ["iphone", "用", "充電器"])
        #expect(analyzer.terms(in: "图书馆的书", language: "zh").starts(with: ["图书", "馆"]))
        #expect(analyzer.terms(in: "서울에서", language: "ko") == ["서울", "울에", "에서"], "Korean keeps its pairs")
    }

    @Test func withBigramsCJKRunsBecomeOverlappingPairs() {
        var analyzer = Analyzer(stopWords: [:])
        analyzer.cjkSegmentation = .bigrams
        #expect(analyzer.terms(in: "東京都", language: "ja") == ["東京", "京都"])
        #expect(analyzer.terms(in: "iPhone用の充電器", language: "ja") == ["iphone", "用の", "の充", "充電", "電器"])
        #expect(analyzer.terms(in: "书", language: "zh") == ["书"], "a lone character stands alone")
        #expect(analyzer.terms(in: "图书馆", language: "zh") == ["图书", "书馆"])
    }

    @Test func foldingFollowsTheLanguage() {
        let analyzer = Analyzer(stopWords: [:])
        #expect(analyzer.terms(in: "ISPARTA İSTANBUL", language: "tr") == ["ısparta", "istanbul"].map { Stemmer(language: "tr")!.stem($0) })
        #expect(analyzer.terms(in: "ISPARTA", language: "en") == [Stemmer(language: "en")!.stem("isparta")])
        #expect(analyzer.terms(in: "ΟΔΟΣ", language: "el").allSatisfy { !$0.contains("ς") })
        #expect(analyzer.terms(in: "ＡＢＣ ﬁle", language: "xx") == ["abc", "file"], "NFKC: full-width letters and ligatures")
    }

    @Test func elidedArticlesAreDroppedInFrenchItalianAndCatalan() {
        let analyzer = Analyzer()
        #expect(analyzer.terms(in: "l'image d’images qu'il", language: "fr") == analyzer.terms(in: "image images", language: "fr"),
                "\(analyzer.terms(in: "l'image d’images qu'il", language: "fr"))")
        #expect(analyzer.terms(in: "dell'immagine all'aperto", language: "it") == analyzer.terms(in: "immagine aperto", language: "it"))
        #expect(analyzer.terms(in: "l'aigua", language: "ca") == analyzer.terms(in: "aigua", language: "ca"))
        #expect(analyzer.terms(in: "don't l'", language: "fr").contains { $0.contains("'") }, "only a listed article goes, and not alone")
        #expect(analyzer.terms(in: "l'image", language: "en") != analyzer.terms(in: "image", language: "en"), "English has no elision")
    }

    @Test func aLanguageWithoutAStemmerIsNotAnalysedAsEnglish() {
        // "running" keeps its ending: no English stemmer runs on a Japanese or unknown page.
        #expect(Analyzer().terms(in: "running", language: "ja") == ["running"])
        #expect(Analyzer().terms(in: "running", language: "en") == ["run"])
    }
}
