public import Selection
import Synchronization

/// The engine the service answers with, swapped atomically on reload: a request in flight keeps
/// the engine it started with, the next one gets the new one, and no request waits for a reload.
public final class EngineHolder: Sendable {
    private let current: Mutex<(engine: SelectionEngine, version: Int)>

    public init(_ engine: SelectionEngine) { current = Mutex((engine, 1)) }

    public var engine: SelectionEngine { current.withLock { $0.engine } }
    /// Increases by one on every reload.
    public var version: Int { current.withLock { $0.version } }

    public func replace(with engine: SelectionEngine) {
        current.withLock { $0 = (engine, $0.version + 1) }
    }
}
