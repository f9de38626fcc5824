import Dispatch
import Foundation
import Synchronization

/// Runs selections off the server's event loops and the cooperative thread pool, at most
/// `running` at once with at most `queued` waiting, and turns work away when memory runs short.
///
/// Selection is synchronous work that may block (an external ranker waits for its process up
/// to its timeout). Run on the cooperative pool, two blocked selections would stop every task of
/// the service on a two-core machine, `/healthz` included. Here each runs on a Dispatch thread,
/// and the caller awaits it.
public final class WorkGate: Sendable {
    public let maximumRunning: Int
    public let maximumQueued: Int
    public let memory: MemoryBudget

    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []

        /// Takes a running place when one of `maximum` is free.
        mutating func claimPlace(maximum: Int) -> Bool {
            guard running < maximum else { return false }
            running += 1
            return true
        }
    }
    private let state = Mutex(State())
    private static let queue: DispatchQueue = {
        let queue = DispatchQueue(label: "ctxsel.selection", attributes: .concurrent)
        queue.setSpecific(key: onSelectionQueue, value: true)
        return queue
    }()
    /// True on the selection threads (what the tests check).
    static let onSelectionQueue = DispatchSpecificKey<Bool>()

    public init(maximumRunning: Int, maximumQueued: Int, memory: MemoryBudget) {
        precondition(maximumRunning > 0 && maximumQueued >= 0)
        self.maximumRunning = maximumRunning
        self.maximumQueued = maximumQueued
        self.memory = memory
    }

    /// Why work was turned away.
    public enum Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        case busy(running: Int, queued: Int)
        case memory(resident: Int, budget: Int)

        public var description: String {
            switch self {
            case .busy(let running, let queued): "busy: \(running) selections running and \(queued) waiting; retry shortly"
            case .memory(let resident, let budget):
                "over the memory budget: \(resident >> 20) MiB resident of \(budget >> 20) MiB; retry shortly"
            }
        }
    }

    /// Selections running and waiting now.
    public var load: (running: Int, queued: Int) { state.withLock { ($0.running, $0.waiting.count) } }

    /// Runs `work` on a selection thread once one is free, or throws ``Refusal`` at once when
    /// the queue is full or memory is over budget.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(Refusal) -> T {
        try memory.check()
        // Running now, to be queued, or refused (with the counts that refused it).
        let admission: Result<Bool, Refusal> = state.withLock { state in
            if state.claimPlace(maximum: maximumRunning) { return .success(true) }
            guard state.waiting.count < maximumQueued else {
                return .failure(.busy(running: state.running, queued: state.waiting.count))
            }
            return .success(false)
        }
        if try !admission.get() {
            // Queued: a finishing selection hands its place over (``leave()``), unless one
            // freed up since the first look.
            await withCheckedContinuation { continuation in
                let startNow = state.withLock { state in
                    if state.claimPlace(maximum: maximumRunning) { return true }
                    state.waiting.append(continuation)
                    return false
                }
                if startNow { continuation.resume() }
            }
        }
        defer { leave() }
        return await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: work()) }
        }
    }

    /// Gives the place of a finished selection to the first waiting one, or frees it.
    private func leave() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}

/// The service's memory budget: resident memory (sampled from `/proc/self/statm` at most every
/// 20 ms) plus the bytes of bodies admitted but not yet read must stay under `bytes`.
public final class MemoryBudget: Sendable {
    public let bytes: Int
    private struct State {
        var reserved = 0
        var sampledResident = 0
        var sampledAt = ContinuousClock.Instant.now.advanced(by: .seconds(-1))
    }
    private let state = Mutex(State())

    /// - Parameter bytes: the budget; 0 for none.
    public init(bytes: Int) { self.bytes = bytes }

    /// Throws when resident memory and the reserved bodies already fill the budget.
    public func check(adding extra: Int = 0) throws(WorkGate.Refusal) {
        guard bytes > 0 else { return }
        let (resident, reserved) = sample()
        guard resident + reserved + extra <= bytes else { throw .memory(resident: resident + reserved, budget: bytes) }
    }

    /// Reserves `count` bytes for a body about to be read; ``release(_:)`` gives them back.
    public func reserve(_ count: Int) throws(WorkGate.Refusal) {
        guard bytes > 0 else { return }
        try check(adding: count)
        state.withLock { $0.reserved += count }
    }

    public func release(_ count: Int) {
        guard bytes > 0 else { return }
        state.withLock { $0.reserved -= count }
    }

    /// Resident bytes now (at most 20 ms old) and the bytes reserved.
    func sample() -> (resident: Int, reserved: Int) {
        let now = ContinuousClock.now
        if let fresh = state.withLock({ $0.sampledAt.duration(to: now) < .milliseconds(20) ? ($0.sampledResident, $0.reserved) : nil }) {
            return fresh
        }
        let resident = Self.residentBytes()
        return state.withLock { state in
            state.sampledResident = resident
            state.sampledAt = now
            return (resident, state.reserved)
        }
    }

    /// This process's resident set size, from `/proc/self/statm` (0 where there is none).
    public static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
