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
/// - A response may not wait longer than ``ServiceLimits/writeTimeout`` for a client that has
///   stopped reading it (the channel stays unwritable).
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
    /// Armed while the channel is unwritable: the client is not reading what it was sent.
    private var writeTimer: Scheduled<Void>?
    /// While a request is read: when its head came, when its last body byte came, and its bytes.
    private var bodyStarted: NIODeadline?
    private var lastBodyByte = NIODeadline.uptimeNanoseconds(0)
    private var bodyBytes = 0

    init(limits: ServiceLimits, registry: ConnectionRegistry) {
        self.limits = limits
        self.registry = registry
    }

    func handlerAdded(context: ChannelHandlerContext) {
        registry.opened(context.channel)
        awaitHead(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        registry.closed(context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        registry.closed(context.channel)
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            writeTimer?.cancel()
            writeTimer = nil
        } else if writeTimer == nil {
            let channel = context.channel
            writeTimer = context.eventLoop.scheduleTask(in: seconds(limits.writeTimeout)) { channel.close(promise: nil) }
        }
        context.fireChannelWritabilityChanged()
    }

    private func cancelTimers() {
        timer?.cancel()
        timer = nil
        writeTimer?.cancel()
        writeTimer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            registry.started(context.channel)
            bodyStarted = context.eventLoop.now
            lastBodyByte = context.eventLoop.now
            bodyBytes = 0
            arm(context, at: context.eventLoop.now + seconds(limits.bodyTimeout))
        case .body(let buffer):
            // The timer armed at the head checks the pause and the rate when it fires.
            bodyBytes += buffer.readableBytes
            lastBodyByte = context.eventLoop.now
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
        arm(context, at: context.eventLoop.now + seconds(limits.headerTimeout))
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
            if let next = handler.bodyCheckAgain(now: context.eventLoop.now) {
                handler.arm(context, at: next)
            } else {
                context.close(promise: nil)
            }
        }
    }

    /// For a body being read: when to check again, or nil when it paused too long or fell
    /// behind the minimum rate (and for a head that did not come).
    private func bodyCheckAgain(now: NIODeadline) -> NIODeadline? {
        guard let started = bodyStarted else { return nil }
        let pauseEnds = lastBodyByte + seconds(limits.bodyTimeout)
        let rate = Double(max(1, limits.minimumBodyBytesPerSecond))
        let behindAt = started + seconds(limits.bodyTimeout + Double(bodyBytes) / rate)
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
        /// When it began to wait for a request head, as a number that grows with every wait
        /// begun (the smallest waited longest); nil while a request is read or answered.
        var waitingSince: UInt64?
    }
    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var ticket: UInt64 = 0
    }
    private let state = Mutex(State())

    init(maximum: Int) { self.maximum = maximum }

    var count: Int { state.withLock { $0.entries.count } }

    func opened(_ channel: any Channel) {
        let victim: (any Channel)? = state.withLock { state in
            state.ticket += 1
            state.entries[ObjectIdentifier(channel)] = Entry(channel: channel, waitingSince: state.ticket)
            guard state.entries.count > maximum else { return nil }
            let idle = state.entries.filter { $0.value.waitingSince != nil && $0.key != ObjectIdentifier(channel) }
            let oldest = idle.min { $0.value.waitingSince! < $1.value.waitingSince! }
            let chosen = oldest?.value.channel ?? channel
            state.entries[ObjectIdentifier(chosen)] = nil
            return chosen
        }
        victim?.close(promise: nil)
    }

    func started(_ channel: any Channel) { mark(channel, busy: true) }

    func finished(_ channel: any Channel) { mark(channel, busy: false) }

    func closed(_ channel: any Channel) {
        _ = state.withLock { $0.entries.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Marks `channel` as mid-request (`busy`) or waiting for its next head.
    private func mark(_ channel: any Channel, busy: Bool) {
        state.withLock { state in
            guard state.entries[ObjectIdentifier(channel)] != nil else { return }
            state.ticket += 1
            state.entries[ObjectIdentifier(channel)]!.waitingSince = busy ? nil : state.ticket
        }
    }
}
