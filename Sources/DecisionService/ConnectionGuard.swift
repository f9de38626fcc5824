import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Deadlines for reading each request of one connection, and its place in the
/// ``ConnectionRegistry``. Sits in the channel pipeline after HTTP decoding.
///
/// - A request head must arrive within ``ServiceLimits/headerTimeout`` of the connection's start
///   or of the end of its previous response; a keep-alive connection waiting for its next
///   request is in this phase too.
/// - A body may not pause for more than ``ServiceLimits/bodyTimeout``, and after that long it must
///   keep up with ``ServiceLimits/minimumBodyBytesPerSecond`` on average.
///
/// A connection that misses a deadline is closed. While it waits for a head it may also be
/// closed by the registry to make room for a new connection.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let limits: ServiceLimits
    let registry: ConnectionRegistry
    private var timer: Scheduled<Void>?
    /// While a request is read: when its head came, when its last body byte came, and its bytes.
    private var bodyStarted: NIODeadline?
    private var lastBodyByte = NIODeadline.now()
    private var bodyBytes = 0
    private var channel: (any Channel)?

    init(limits: ServiceLimits, registry: ConnectionRegistry) {
        self.limits = limits
        self.registry = registry
    }

    func handlerAdded(context: ChannelHandlerContext) {
        channel = context.channel
        registry.opened(context.channel)
        awaitHead(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        registry.closed(context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        registry.closed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            registry.started(context.channel)
            bodyStarted = .now()
            lastBodyByte = .now()
            bodyBytes = 0
            arm(context, at: .now() + seconds(limits.bodyTimeout))
        case .body(let buffer):
            // The timer armed at the head checks the pause and the rate when it fires.
            bodyBytes += buffer.readableBytes
            lastBodyByte = .now()
        case .end:
            timer?.cancel()
            timer = nil
            bodyStarted = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            let promise = promise ?? context.eventLoop.makePromise()
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess {
                let (handler, context) = loopBound.value
                handler.registry.finished(context.channel)
                handler.awaitHead(context)
            }
            context.write(data, promise: promise)
        } else {
            context.write(data, promise: promise)
        }
    }

    /// Starts the wait for a request head.
    private func awaitHead(_ context: ChannelHandlerContext) {
        bodyStarted = nil
        arm(context, at: .now() + seconds(limits.headerTimeout))
    }

    /// Closes the connection at `deadline` unless it moves on before. In a body, the timer
    /// checks when it fires whether the body paused for ``ServiceLimits/bodyTimeout`` or fell
    /// behind the minimum rate, and if neither, waits for the earlier of the two to be possible.
    private func arm(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        timer?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            if let next = handler.bodyCheckAgain() {
                handler.arm(context, at: next)
            } else {
                context.close(promise: nil)
            }
        }
    }

    /// For a body being read: when to check again, or nil when it paused too long or fell
    /// behind the minimum rate (and for a head that did not come).
    private func bodyCheckAgain() -> NIODeadline? {
        guard let started = bodyStarted else { return nil }
        let pauseEnds = lastBodyByte + seconds(limits.bodyTimeout)
        let rate = Double(max(1, limits.minimumBodyBytesPerSecond))
        let behindAt = started + seconds(limits.bodyTimeout + Double(bodyBytes) / rate)
        let now = NIODeadline.now()
        guard now < pauseEnds, now < behindAt else { return nil }
        return min(pauseEnds, behindAt)
    }

    private func seconds(_ value: Double) -> TimeAmount { .nanoseconds(Int64(value * 1e9)) }
}

/// The service's open connections. At ``ServiceLimits/maximumConnections``, a new connection
/// closes the one that has waited longest for a request head (a slow client or an idle
/// keep-alive), or, when every connection is mid-request, is closed itself.
final class ConnectionRegistry: Sendable {
    let maximum: Int
    private struct Entry {
        var channel: any Channel
        /// Since when it waits for a request head; nil while a request is read or answered.
        var waitingSince: NIODeadline?
    }
    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    init(maximum: Int) { self.maximum = maximum }

    var count: Int { entries.withLock { $0.count } }

    func opened(_ channel: any Channel) {
        let victim: (any Channel)? = entries.withLock { entries in
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, waitingSince: .now())
            guard entries.count > maximum else { return nil }
            let idle = entries.filter { $0.value.waitingSince != nil && $0.key != ObjectIdentifier(channel) }
            let oldest = idle.min { $0.value.waitingSince! < $1.value.waitingSince! }
            let chosen = oldest?.value.channel ?? channel
            entries[ObjectIdentifier(chosen)] = nil
            return chosen
        }
        victim?.close(promise: nil)
    }

    func started(_ channel: any Channel) { set(channel, waitingSince: nil) }

    func finished(_ channel: any Channel) { set(channel, waitingSince: .now()) }

    func closed(_ channel: any Channel) {
        _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    private func set(_ channel: any Channel, waitingSince: NIODeadline?) {
        entries.withLock { entries in
            if entries[ObjectIdentifier(channel)] != nil { entries[ObjectIdentifier(channel)]!.waitingSince = waitingSince }
        }
    }
}
