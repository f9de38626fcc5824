public import SelectionCore
import TextAnalysis

/// The slot kinds of the request.
public struct KindFilter: EligibilityFilter {
    public init() {}
    public var name: String { "kind" }
    public func admitsEveryItem(in context: EligibilityContext) -> Bool { context.kinds == nil }
    public func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
        context.kinds.map { $0.contains(item.kind) } ?? true
    }
}

/// The item's schedule at the request's `now`.
public struct ScheduleFilter: EligibilityFilter {
    /// Whether any item of the catalog has a schedule (unknown: true).
    let anyScheduled: Bool
    public init() { anyScheduled = true }
    /// For the catalog of `items`: with no schedule among them, no request asks item by item.
    public init(items: [CatalogItem]) { anyScheduled = items.contains { $0.schedule != nil } }
    public var name: String { "schedule" }
    public func admitsEveryItem(in context: EligibilityContext) -> Bool { !anyScheduled }
    public func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
        item.schedule?.isActive(at: context.now) ?? true
    }
}

/// The item's languages against the page's.
public struct LanguageFilter: EligibilityFilter {
    /// Whether any item of the catalog is limited to some languages (unknown: true).
    let anyLimited: Bool
    public init() { anyLimited = true }
    /// For the catalog of `items`: with no item limited to languages, no request asks item by item.
    public init(items: [CatalogItem]) { anyLimited = items.contains { !$0.languages.isEmpty } }
    public var name: String { "language" }
    public func admitsEveryItem(in context: EligibilityContext) -> Bool { !anyLimited }
    public func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
        item.languages.isEmpty || item.languages.contains(context.language)
    }
}

/// The item's keyword targeting rule (AND / OR / NOT) against the page's terms.
public struct KeywordRuleFilter: EligibilityFilter {
    let rules: [ItemID: CompiledTargetingRule]
    public var name: String { "keyword_rules" }
    public func admitsEveryItem(in context: EligibilityContext) -> Bool { rules.isEmpty }

    /// Compiles the rules of `items` (rules are validated when the catalog loads; an invalid
    /// rule here matches nothing).
    public init(items: [CatalogItem], analyzer: Analyzer) {
        let scratch = AnalysisScratch()
        var rules: [ItemID: CompiledTargetingRule] = [:]
        for item in items {
            guard let text = item.targeting else { continue }
            rules[item.id] = (try? TargetingRule.parse(text))?.compiled(with: analyzer, scratch: scratch) ?? .any([])
        }
        self.rules = rules
    }

    public func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
        // Most items carry no rule: say so without hashing the id.
        guard item.targeting != nil else { return true }
        return rules[item.id]?.matches(context.pageTerms) ?? true
    }
}

/// The item's negative keywords: none of them may be on the page (every word of one).
public struct NegativeKeywordFilter: EligibilityFilter {
    let negatives: [ItemID: [[String]]]
    public var name: String { "negative_keywords" }
    public func admitsEveryItem(in context: EligibilityContext) -> Bool { negatives.isEmpty }

    public init(items: [CatalogItem], analyzer: Analyzer) {
        let scratch = AnalysisScratch()
        var negatives: [ItemID: [[String]]] = [:]
        for item in items where !item.negativeKeywords.isEmpty {
            negatives[item.id] = item.negativeKeywords
                .map { analyzer.tokens(in: $0, language: item.languages.first, scratch: scratch).map(\.term) }
                .filter { !$0.isEmpty }
        }
        self.negatives = negatives
    }

    public func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
        guard !item.negativeKeywords.isEmpty, let lists = negatives[item.id] else { return true }
        return !lists.contains { $0.allSatisfy(context.pageTerms.contains) }
    }
}

/// The page categories the item refuses to appear on.
public struct BlockedPageCategoryFilter: EligibilityFilter {
    public init() {}
    public var name: String { "blocked_page_categories" }
    public func admitsEveryItem(in context: EligibilityContext) -> Bool { context.pageCategories.isEmpty }
    public func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
        !item.blockedPageCategories.contains(where: context.pageCategories.contains)
    }
}

/// The publisher's blocks in the request: categories and advertisers.
public struct PublisherBlockFilter: EligibilityFilter {
    public init() {}
    public var name: String { "publisher_blocks" }
    public func admitsEveryItem(in context: EligibilityContext) -> Bool {
        context.blockedAdvertisers.isEmpty && context.blockedCategories.isEmpty
    }
    public func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
        if let advertiser = item.advertiser, context.blockedAdvertisers.contains(advertiser) { return false }
        return !item.categories.contains(where: context.blockedCategories.contains)
    }
}

/// Sensitive pages show only items that say they may (`sensitive_ok`).
public struct SensitivePageFilter: EligibilityFilter {
    public init() {}
    public var name: String { "sensitive_page" }
    public func admitsEveryItem(in context: EligibilityContext) -> Bool { !context.pageIsSensitive }
    public func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
        !context.pageIsSensitive || item.sensitiveOK
    }
}

/// Items targeting a sensitive category need the deployer's allowance for that category.
public struct SensitiveTargetingFilter: EligibilityFilter {
    let sensitive: Set<String>
    public var name: String { "sensitive_targeting" }
    public func admitsEveryItem(in context: EligibilityContext) -> Bool { sensitive.isEmpty }
    /// - Parameter sensitive: the sensitive category ids not allowed by the deployer.
    public init(disallowed sensitive: Set<String>) { self.sensitive = sensitive }
    public func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
        !item.categories.contains(where: sensitive.contains)
    }
}

/// The visitor's exclude_topics.
public struct VisitorExclusionFilter: EligibilityFilter {
    public init() {}
    public var name: String { "visitor_exclusions" }
    public func admitsEveryItem(in context: EligibilityContext) -> Bool { context.excludedByVisitor == nil }
    public func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
        !(context.excludedByVisitor?(item) ?? false)
    }
}

/// Per-visit frequency caps and `no_repeat` (with session consent).
public struct FrequencyCapFilter: EligibilityFilter {
    /// Whether any item of the catalog has a cap of zero, refused even when nothing was shown
    /// (unknown: true).
    let anyCappedAtZero: Bool
    public init() { anyCappedAtZero = true }
    /// For the catalog of `items`: a request whose visit was shown nothing asks no item.
    public init(items: [CatalogItem]) { anyCappedAtZero = items.contains { ($0.frequencyCap ?? 1) <= 0 } }
    public var name: String { "frequency_cap" }
    public func admitsEveryItem(in context: EligibilityContext) -> Bool { context.timesShown.isEmpty && !anyCappedAtZero }
    public func admits(_ item: CatalogItem, in context: EligibilityContext) -> Bool {
        // Without session consent nothing was shown: no id to hash.
        let count = context.timesShown.isEmpty ? 0 : context.timesShown[item.id] ?? 0
        if count > 0, context.noRepeat { return false }
        if let cap = item.frequencyCap, count >= cap { return false }
        return true
    }
}
