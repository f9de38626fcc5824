import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing
@testable import DecisionService

/// The connection deadlines on an embedded channel, in virtual time: what each deadline closes,
/// and what it lets through.
@Suite struct ConnectionGuardTests {
    static var limits: ServiceLimits {
        var limits = ServiceLimits()
        limits.headerTimeout = 5
        limits.bodyTimeout = 2
        limits.minimumBodyBytesPerSecond = 100
        limits.writeTimeout = 3
        return limits
    }

    func guarded(_ registry: ConnectionRegistry = ConnectionRegistry(maximum: 8)) throws -> EmbeddedChannel {
        // Active first, as a server's child channel is when its handlers are added.
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.pipeline.syncOperations.addHandler(ConnectionGuard(limits: Self.limits, registry: registry))
        return channel
    }

    let head = HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: "test", path: "/v1/select"))

    func body(_ count: Int) -> HTTPRequestPart { .body(ByteBuffer(repeating: 0x20, count: count)) }

    /// Expects `channel` still open 100 ms before `seconds` from now, and closed 100 ms after.
    func expectClosed(_ channel: EmbeddedChannel, after seconds: Int64, _ why: Comment,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(seconds * 1000 - 100))
        #expect(channel.isActive, "open until then", sourceLocation: sourceLocation)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!channel.isActive, why, sourceLocation: sourceLocation)
    }

    @Test func aHeadMustArriveInTime() throws {
        expectClosed(try guarded(), after: 5, "closed at the header timeout")
    }

    @Test func aBodyMayNotPauseLongerThanTheBodyTimeout() throws {
        let channel = try guarded()
        try channel.writeInbound(head)
        for _ in 0..<3 {
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(1_500))
            try channel.writeInbound(body(1_000))
        }
        #expect(channel.isActive, "a body that keeps coming is read")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(2_100))
        #expect(!channel.isActive, "closed after a pause of the body timeout")
    }

    @Test func aBodyMustKeepUpWithTheMinimumRate() throws {
        let channel = try guarded()
        try channel.writeInbound(head)
        // Ten bytes a second: never a long pause, but far below 100 bytes a second.
        for second in 1...12 where channel.isActive {
            channel.embeddedEventLoop.advanceTime(by: .seconds(1))
            if channel.isActive { try channel.writeInbound(body(10)) }
            if second < 2 { #expect(channel.isActive) }
        }
        #expect(!channel.isActive, "closed once the body fell behind the minimum rate")
    }

    @Test func aCompleteRequestStopsTheClockUntilItsResponseEnds() throws {
        let channel = try guarded()
        try channel.writeInbound(head)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive, "a request being answered has no read deadline")
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        expectClosed(channel, after: 5, "the next head is due a header timeout after the response")
    }

    @Test func aClientThatStopsReadingIsClosedAfterTheWriteTimeout() throws {
        let channel = try guarded()
        try channel.writeInbound(head)
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(2_900))
        #expect(channel.isActive)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        #expect(channel.isActive, "a client that reads again resets the write deadline")
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        expectClosed(channel, after: 3, "closed after the write timeout")
    }

    @Test func atTheLimitTheConnectionWaitingLongestForAHeadIsClosed() throws {
        let registry = ConnectionRegistry(maximum: 2)
        let first = try guarded(registry), second = try guarded(registry)
        try second.writeInbound(head)
        let third = try guarded(registry)
        #expect(!first.isActive, "the one waiting for a head made room")
        #expect(second.isActive, "a connection mid-request is never evicted")
        #expect(third.isActive)
        try third.writeInbound(head)
        let fourth = try guarded(registry)
        #expect(!fourth.isActive, "with every connection mid-request, the new one is closed")
        #expect(second.isActive && third.isActive)
        #expect(registry.count == 2)
    }
}
