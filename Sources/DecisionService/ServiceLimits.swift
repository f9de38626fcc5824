/// The bounds that keep the service answering when clients are slow, many or hostile.
///
/// Connections are cheap and work is not, so the two are limited apart: a connection that has
/// not yet sent a whole request takes no worker, and at ``maximumConnections`` the connection
/// that has waited longest for a request head is closed to make room for a new one, so slow
/// clients cannot lock others out. Work (one selection, one batch line) runs on at most
/// ``maximumConcurrentSelections`` threads off the server's event loops, with at most
/// ``maximumQueuedSelections`` waiting; beyond that, or past the memory budget, new work gets
/// 503 at once. `GET /healthz` and `GET /metrics` take no worker and always answer.
public struct ServiceLimits: Sendable, Hashable {
    /// Open connections at most; at the limit, the one waiting longest for a request head is closed.
    public var maximumConnections = 1024
    /// Seconds from a connection's start (or its previous response) to a complete request head.
    public var headerTimeout = 10.0
    /// Seconds a request body may go without a byte; a body must also keep up with
    /// ``minimumBodyBytesPerSecond`` after this long.
    public var bodyTimeout = 10.0
    /// Seconds a response may wait on a client that does not read it (the connection's send
    /// buffer full); then the connection is closed.
    public var writeTimeout = 30.0
    /// The slowest body accepted after its first ``bodyTimeout`` seconds.
    public var minimumBodyBytesPerSecond = 16 << 10
    /// Selections running at once, each on its own thread (a ranker may block one for its timeout).
    public var maximumConcurrentSelections = 16
    /// Selections waiting for a thread; more get 503.
    public var maximumQueuedSelections = 256
    /// Resident memory (bytes) past which new work gets 503; bodies being read count against it
    /// before they arrive. 0: no budget.
    public var memoryBudgetBytes = 2 << 30

    public init() {}
}
