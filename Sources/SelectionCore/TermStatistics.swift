import Foundation

/// Document frequencies of terms in some collection: what IDF is computed from.
///
/// The index implements it for the catalog; tests write a ten-line fake.
public protocol TermStatistics: Sendable {
    /// Documents in the collection.
    var documentCount: Int { get }
    /// Documents containing `term` (an analysed term).
    func documentFrequency(of term: String) -> Int
    /// A number no other statistics in this process share, for callers that remember document
    /// frequencies between pages; nil (the default) when they may change or must not be remembered.
    var cacheKey: UInt64? { get }
}

extension TermStatistics {
    public var cacheKey: UInt64? { nil }
}

/// Numbers unique within the process, for ``TermStatistics/cacheKey``: an object's address would
/// be reused once it is freed (an engine reloaded), a serial number never is.
public enum StatisticsSerial {
    private static let counter = SerialCounter()

    public static func next() -> UInt64 { counter.next() }

    private final class SerialCounter: @unchecked Sendable {
        // Guarded by `lock`.
        private var last: UInt64 = 0
        private let lock = NSLock()
        func next() -> UInt64 {
            lock.lock()
            defer { lock.unlock() }
            last += 1
            return last
        }
    }
}

/// Statistics of several collections added together (e.g. the catalog and a page corpus).
public struct CombinedStatistics: TermStatistics {
    public var parts: [any TermStatistics]
    public var cacheKey: UInt64?

    /// - Parameter cacheKey: set only by an owner that never changes `parts` afterwards.
    public init(_ parts: [any TermStatistics], cacheKey: UInt64? = nil) {
        self.parts = parts
        self.cacheKey = cacheKey
    }

    public var documentCount: Int { parts.reduce(0) { $0 + $1.documentCount } }

    public func documentFrequency(of term: String) -> Int {
        parts.reduce(0) { $0 + $1.documentFrequency(of: term) }
    }
}
