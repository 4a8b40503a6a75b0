import Testing
@testable import IOWQ

@Suite struct FaultPlanTests {
    /// Every allocation fails with ENOMEM: nothing can ever run the items.
    let enomem = StandInKernelConfiguration(faults: .enomem(1))

    @Test func prePatchHangsWhenTheFirstAllocationFails() throws {
        let ((completed, workers), report) = try withPool(PrePatch(), kernel: enomem) { pool, task in
            let items = (0..<3).map { blockingItem(tag: $0) }
            for item in items { pool.enqueue(item) }
            let completed = task.waitForCompletions(1, deadline: .after(hangDeadline))
            return (completed, pool.workerCount(.bound))
        }
        #expect(!completed)
        #expect(workers == 0)
        #expect(report.counters[.createFailuresENOMEM] >= 1)
    }

    @Test func retryViaWorkqueueCancelsThePendingItemsOfTheEmptyGroup() throws {
        let ((outcomes, pending), _) = try withPool(RetryViaWorkqueue.seed, kernel: enomem) { pool, task in
            let items = (0..<3).map { blockingItem(tag: $0) }
            for item in items { pool.enqueue(item) }
            task.waitForCompletions(items.count, deadline: .after(completionDeadline))
            return (items.map(\.outcome), pool.workerCount(.bound))
        }
        #expect(outcomes == [.cancelled, .cancelled, .cancelled])
        #expect(pending == 0)
    }

    @Test func failNthFailsExactlyThatAttempt() throws {
        let (outcomes, report) = try withPool(Naive(), kernel: .init(faults: .failNth(2, .EAGAIN)), pool: .init(maxBoundWorkers: 8, maxUnboundWorkers: 8)) { pool, task in
            let items = (0..<3).map { blockingItem(tag: $0) }
            for item in items { pool.enqueue(item) }
            task.waitForCompletions(items.count, deadline: .after(completionDeadline))
            return items.map(\.outcome)
        }
        #expect(outcomes == [.ok, .ok, .ok])
        #expect(report.counters[.createFailuresEAGAIN] == 1)
        #expect(report.counters[.createAttempts] == 4)
    }

    /// fail-after:2: the first two creations succeed and every later one fails with EAGAIN (naive
    /// creates on every enqueue, so the third item's creation and its inline retries all fail).
    @Test func failAfterFailsEveryAttemptAfterTheFirstN() throws {
        let (outcomes, report) = try withPool(Naive(), kernel: .init(faults: .failAfter(2)), pool: .init(maxBoundWorkers: 8, maxUnboundWorkers: 8)) { pool, task in
            let items = (0..<3).map { blockingItem(tag: $0) }
            for item in items { pool.enqueue(item) }
            task.waitForCompletions(items.count, deadline: .after(completionDeadline))
            return items.map(\.outcome)
        }
        #expect(outcomes.allSatisfy { if case .failed = $0 { true } else { $0 == .ok } })
        #expect(report.counters[.threadsCreatedOnDemand] == 2)
        #expect(report.counters[.createAttempts] > 2)
        #expect(report.counters[.createFailuresEAGAIN] == report.counters[.createAttempts] - 2)
    }

    @Test func theSameSeedGivesTheSameFaults() throws {
        func run() throws -> CounterSnapshot {
            let (_, report) = try withPool(Naive(), kernel: .init(faults: .eagain(0.4), seed: 42), pool: .init(maxBoundWorkers: 64, maxUnboundWorkers: 64)) { pool, task in
                let items = (0..<20).map { blockingItem(tag: $0) }
                for item in items {
                    pool.enqueue(item)
                    task.waitForCompletions(item.tag + 1, deadline: .after(completionDeadline))
                }
                return 0
            }
            return report.counters
        }
        let first = try run()
        let second = try run()
        #expect(first[.createAttempts] == second[.createAttempts])
        #expect(first[.createFailuresEAGAIN] == second[.createFailuresEAGAIN])
        #expect(first[.itemsFailed] == second[.itemsFailed])
        #expect(first[.createFailuresEAGAIN] > 0)
    }
}
