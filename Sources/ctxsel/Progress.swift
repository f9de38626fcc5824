import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Progress of long work (building an index, loading the classifier, evaluating, benchmarking,
/// rendering a site), written to stderr only when stderr is a terminal: a pipeline's stderr keeps
/// only diagnostics, and the one-line-per-request output on stdout is never touched.
final class Progress: @unchecked Sendable {
    static let enabled = isatty(STDERR_FILENO) == 1

    let task: String
    let started = Date()
    private let lock = NSLock()
    private var lastShown = Date.distantPast

    /// Starts `task` ("indexing 63,666 items") and shows it.
    init(_ task: String) {
        self.task = task
        show("\(task)…", final: false)
    }

    /// `done` of `total` steps, at most ten times a second.
    func update(_ done: Int, of total: Int) {
        lock.lock()
        defer { lock.unlock() }
        guard Date().timeIntervalSince(lastShown) >= 0.1 || done == total else { return }
        lastShown = Date()
        show("\(task): \(done)/\(total)", final: false)
    }

    /// Ends the task with how long it took.
    func finish(_ note: String = "done") {
        show("\(task): \(note) in " + String(format: "%.2f s", Date().timeIntervalSince(started)), final: true)
    }

    private func show(_ text: String, final: Bool) {
        guard Self.enabled else { return }
        // Carriage return and clear-line: each update rewrites the same line.
        FileHandle.standardError.write(Data(("\r\u{1B}[2Kctxsel: " + text + (final ? "\n" : "")).utf8))
    }

    /// Runs `body` as one task.
    static func run<T>(_ task: String, _ body: () throws -> T) rethrows -> T {
        let progress = Progress(task)
        let value = try body()
        progress.finish()
        return value
    }
}
