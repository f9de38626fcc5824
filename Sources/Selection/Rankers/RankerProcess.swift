import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running external ranker: a child process in its own process group, with a pipe to its
/// stdin and one from its stdout, both non-blocking on our side.
///
/// The child starts with an empty signal mask and default signal actions, whatever the parent
/// blocks or ignores, so that SIGTERM reaches it. ``exchange(_:deadline:)`` writes a request
/// and reads one answer line concurrently under one deadline: a child that never reads, never
/// writes, or writes while it reads cannot block the caller past the deadline.
/// ``terminate()`` sends SIGTERM to the whole group, SIGKILL to what is left after a grace
/// period, and reaps the child; a child forked by the ranker dies with it (unless it left the
/// group on purpose).
final class RankerProcess {
    let pid: pid_t
    private let input: Int32
    private let output: Int32
    /// Bytes read past the last answer line.
    private var pending: [UInt8] = []
    private var terminated = false

    private static let spawning = NSLock()

    /// How long a terminated group has to exit before SIGKILL.
    static let gracePeriod: Duration = .milliseconds(200)

    /// Starts `executable` with no arguments, its stderr shared with ours.
    init(executable: String) throws(RankerProcessError) {
        // Pipes are made and marked close-on-exec under one lock with the spawn, so that no
        // ranker started on another thread inherits this one's pipe ends.
        Self.spawning.lock()
        defer { Self.spawning.unlock() }
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0 else { throw .cannotStart("pipe: \(Self.lastError())") }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            throw .cannotStart("pipe: \(Self.lastError())")
        }
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), everySignal = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        var child: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup(executable), nil]
        defer { for argument in arguments { free(argument) } }
        let status = posix_spawn(&child, executable, &actions, &attributes, arguments, environ)
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw .cannotStart(String(cString: strerror(status)))
        }
        pid = child
        input = toChild[1]
        output = fromChild[0]
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) | O_NONBLOCK)
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
        LiveRankerGroups.shared.insert(pid)
    }

    deinit { terminate() }

    /// Writes `request` (one line, newline included) and returns the next line the child
    /// writes, without its newline, or throws when `deadline` passes first.
    func exchange(_ request: [UInt8], deadline: ContinuousClock.Instant, maximumAnswerBytes: Int)
        throws(RankerProcessError) -> [UInt8] {
        // A whole line before anything was asked answers no request of ours.
        guard !pending.contains(0x0A) else { throw .extraLine }
        var written = 0
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                guard written == request.count else { throw .answeredEarly }
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                return line
            }
            guard pending.count <= maximumAnswerBytes else { throw .answerTooLong(maximumAnswerBytes) }
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { throw written < request.count ? .didNotRead : .didNotAnswer }
            var watched = [pollfd(fd: output, events: Int16(POLLIN), revents: 0)]
            if written < request.count { watched.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            let milliseconds = Int32(clamping: remaining.components.seconds * 1000
                                     + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&watched, nfds_t(watched.count), min(milliseconds, 60_000))
            if ready < 0 {
                if errno == EINTR { continue }
                throw .io("poll: \(Self.lastError())")
            }
            if watched.count > 1, watched[1].revents != 0 {
                let count = request.withUnsafeBytes { bytes in
                    write(input, bytes.baseAddress! + written, bytes.count - written)
                }
                if count > 0 {
                    written += count
                } else if count < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
                    throw errno == EPIPE ? .closedInput : .io("write: \(Self.lastError())")
                }
            }
            if watched[0].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
                if count > 0 {
                    pending.append(contentsOf: chunk[0..<count])
                } else if count == 0 {
                    throw .closedOutput
                } else if errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
                    throw .io("read: \(Self.lastError())")
                }
            }
        }
    }

    /// Stops the child's process group (SIGTERM, then SIGKILL after ``gracePeriod``), reaps the
    /// child and closes the pipes. Safe to call more than once.
    func terminate() {
        guard !terminated else { return }
        terminated = true
        close(input)
        close(output)
        Self.stopGroup(pid)
        LiveRankerGroups.shared.remove(pid)
    }

    /// SIGTERM to group `pid`, SIGKILL to what is left of it after the grace period, and the
    /// leader reaped.
    static func stopGroup(_ pid: pid_t) {
        _ = kill(-pid, SIGTERM)
        let limit = ContinuousClock.now.advanced(by: gracePeriod)
        var status: Int32 = 0
        var reaped = false
        while ContinuousClock.now < limit {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) { reaped = true; break }
            usleep(2_000)
        }
        // Members of the group may outlive its leader: the group is killed either way.
        _ = kill(-pid, SIGKILL)
        if !reaped {
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}

/// What went wrong talking to a ranker process.
enum RankerProcessError: Error, Equatable {
    case cannotStart(String)
    case didNotRead, didNotAnswer, answeredEarly, extraLine, closedInput, closedOutput
    case answerTooLong(Int)
    case io(String)

    func message(timeout: Double) -> String {
        switch self {
        case .cannotStart(let reason): "cannot start: \(reason)"
        case .didNotRead: "did not read the whole request within \(timeout) s"
        case .didNotAnswer: "no answer within \(timeout) s"
        case .answeredEarly: "answered before reading the whole request"
        case .extraLine: "wrote a line before this request was sent: an extra answer to an earlier one"
        case .closedInput: "the process exited or closed its input before reading the request"
        case .closedOutput: "the process exited or closed its output before answering"
        case .answerTooLong(let bytes): "answer longer than \(bytes) bytes"
        case .io(let reason): "the process could not be reached: \(reason)"
        }
    }
}

/// The process groups of the rankers running now, stopped when this process exits normally,
/// so that no ranker outlives the tool that started it.
final class LiveRankerGroups: @unchecked Sendable {
    static let shared = LiveRankerGroups()
    private let lock = NSLock()
    private var groups: Set<pid_t> = []

    private init() {
        atexit { LiveRankerGroups.shared.stopAll() }
    }

    func insert(_ pid: pid_t) { lock.withLock { _ = groups.insert(pid) } }

    func remove(_ pid: pid_t) { lock.withLock { _ = groups.remove(pid) } }

    func stopAll() {
        let all = lock.withLock {
            defer { groups = [] }
            return groups
        }
        for pid in all { RankerProcess.stopGroup(pid) }
    }
}
