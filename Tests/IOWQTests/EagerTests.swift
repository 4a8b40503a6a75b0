import Testing
@testable import IOWQ

@Suite struct EagerTests {
    @Test func everyWorkerIsCreatedAtSetupAndABurstCreatesNone() throws {
        let config = PoolConfiguration(maxBoundWorkers: 4, maxUnboundWorkers: 3)
        let (outcomes, report) = try withPool(Eager(), pool: config) { pool, task in
            let items = (0..<64).map { blockingItem(flags: $0 % 2 == 0 ? [] : .unbound, tag: $0) }
            for item in items { pool.enqueue(item) }
            task.waitForCompletions(items.count, deadline: .after(completionDeadline))
            return items.map(\.outcome)
        }
        #expect(outcomes.allSatisfy { $0 == .ok })
        #expect(report.counters[.threadsCreatedAtSetup] == 7)
        #expect(report.counters[.threadsCreatedOnDemand] == 0)
        #expect(report.exit == .clean)
    }

    @Test func setupRetriesAfterDeliveringTheSignal() throws {
        let (_, report) = try withPool(Eager(), kernel: .init(signals: .oneShot), pool: .init(maxBoundWorkers: 2, maxUnboundWorkers: 2)) { _, _ in 0 }
        #expect(report.counters[.threadsCreatedAtSetup] == 4)
        #expect(report.counters[.createRetries] == 1)
        #expect(report.counters[.signalsDelivered] == 1)
    }

    @Test func setupWithNoWorkerIsAClearError() {
        let error = setupError(Eager(), kernel: .init(faults: .enomem(1)))
        #expect(error == "eager setup created no worker (last error ENOMEM)")
    }
}
