import Testing
@testable import IOWQ

/// The seed's situation: a signal is pending when the first worker of a group is created.
@Suite struct FirstWorkerTests {
    @Test func prePatchHangsWhenTheFirstCreationMeetsASignal() throws {
        let ((completed, workers, outcome), report) = try withPool(PrePatch(), kernel: .init(signals: .oneShot)) { pool, task in
            let item = blockingItem()
            pool.enqueue(item)
            let completed = task.waitForCompletions(1, deadline: .after(hangDeadline))
            return (completed, pool.workerCount(.bound), item.outcome)
        }
        #expect(!completed)
        #expect(outcome == nil)
        #expect(workers == 0)
        #expect(report.counters[.createFailuresERESTART] == 1)
        #expect(report.counters.threadsCreated == 0)
    }

    @Test func retryViaWorkqueueCompletesAfterTheSignalIsDelivered() throws {
        let ((completed, outcome), report) = try withPool(RetryViaWorkqueue.seed, kernel: .init(signals: .oneShot)) { pool, task in
            let item = blockingItem()
            pool.enqueue(item)
            let completed = task.waitForCompletions(1, deadline: .after(completionDeadline))
            return (completed, item.outcome)
        }
        #expect(completed)
        #expect(outcome == .ok)
        #expect(report.counters[.createRetries] >= 1)
        #expect(report.counters[.kworkerHops] >= 1)
        #expect(report.counters[.signalsDelivered] == 1)
        #expect(report.counters[.threadsCreatedOnDemand] == 1)
        #expect(report.exit == .clean)
    }

    @Test func naiveFailsTheItemAfterItsInlineRetries() throws {
        let (outcome, report) = try withPool(Naive(), kernel: .init(signals: .oneShot)) { pool, task in
            let item = blockingItem()
            pool.enqueue(item)
            task.waitForCompletions(1, deadline: .after(completionDeadline))
            return item.outcome
        }
        #expect(outcome == .failed(.ERESTARTNOINTR))
        #expect(report.counters[.createAttempts] == 8)
        #expect(report.counters[.createRetries] == 7)
        #expect(report.counters.threadsCreated == 0)
    }

    @Test func naiveCreatesOneThreadPerItemWithoutSignals() throws {
        let (outcomes, report) = try withPool(Naive(), pool: .init(maxBoundWorkers: 16, maxUnboundWorkers: 16)) { pool, task in
            let items = (0..<8).map { blockingItem(tag: $0) }
            for item in items { pool.enqueue(item) }
            task.waitForCompletions(items.count, deadline: .after(completionDeadline))
            return items.map(\.outcome)
        }
        #expect(outcomes.allSatisfy { $0 == .ok })
        #expect(report.counters[.threadsCreatedOnDemand] == 8)
        #expect(report.counters.createFailures == 0)
    }
}
