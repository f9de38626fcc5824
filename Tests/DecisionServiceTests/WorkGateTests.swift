import Dispatch
import Foundation
import Testing
@testable import DecisionService

@Suite struct WorkGateTests {
    @Test func runsAtMostTheLimitQueuesTheNextAndRefusesBeyond() async throws {
        let gate = WorkGate(maximumRunning: 1, maximumQueued: 1, memory: MemoryBudget(bytes: 0))
        let release = DispatchSemaphore(value: 0)
        let first = Task { try await gate.run { release.wait(); return 1 } }
        while gate.load.running < 1 { try await Task.sleep(for: .milliseconds(5)) }
        let second = Task { try await gate.run { 2 } }
        while gate.load.queued < 1 { try await Task.sleep(for: .milliseconds(5)) }
        do {
            _ = try await gate.run { 3 }
            Issue.record("a third selection must be refused while one runs and one waits")
        } catch {
            #expect(error == .busy(running: 1, queued: 1))
            #expect(error.description.contains("busy"))
        }
        release.signal()
        #expect(try await first.value == 1)
        #expect(try await second.value == 2, "the queued selection runs once the first is done")
        #expect(gate.load == (0, 0))
    }

    @Test func selectionsDoNotRunOnTheCallersThread() async throws {
        let gate = WorkGate(maximumRunning: 2, maximumQueued: 0, memory: MemoryBudget(bytes: 0))
        #expect(try await gate.run { DispatchQueue.getSpecific(key: WorkGate.onSelectionQueue) } == true)
        #expect(DispatchQueue.getSpecific(key: WorkGate.onSelectionQueue) == nil)
    }

    @Test func aBudgetBelowResidentMemoryRefusesWorkAndReservationsCount() throws {
        let tiny = MemoryBudget(bytes: 1)
        #expect(throws: WorkGate.Refusal.self) { try tiny.check() }
        let resident = MemoryBudget.residentBytes()
        #expect(resident > 0, "resident memory is read from /proc/self/statm")
        let budget = MemoryBudget(bytes: resident + (64 << 20))
        try budget.reserve(32 << 20)
        #expect(throws: WorkGate.Refusal.self) { try budget.reserve(48 << 20) }
        budget.release(32 << 20)
        try budget.reserve(48 << 20)
        let none = MemoryBudget(bytes: 0)
        try none.reserve(1 << 40)
    }
}
