import Testing
@testable import IOWQ

@Suite struct ExitTests {
    /// Exit while a create request of the retry path sits in the task's task_work queue.
    func exitWithQueuedCreateRequest(_ strategy: RetryViaWorkqueue) throws -> (queued: Bool, exit: ExitResult, outcome: Outcome?) {
        let result: (Bool, ExitResult, Outcome?) = SubmitterTask.run { task in
            let services = try! StandInKernel(task: task, configuration: .init(signals: .oneShot))
            let pool = try! IOWorkQueue(kernel: services, strategy: strategy)
            let item = blockingItem()
            pool.enqueue(item)
            // the kworker queues create_worker_cont on the task; the task does not run it
            let queued = poll(until: .after(completionDeadline)) { task.queuedTaskWorkCount > 0 }
            let exit = pool.exit(deadline: .after(hangDeadline))
            services.shutdown(deadline: .after(.seconds(5)))
            if exit == .clean { services.releaseRecordMemory() }
            return (queued, exit, item.outcome)
        }
        return result
    }

    /// Exit runs between a retry's lock-free exit test and its queueing (the test holds the kworker
    /// there until exit has taken the queued requests back): the request is queued after the
    /// cancel, holds its reference, and exit waits for it unless the bit is tested again after
    /// queueing (71a85387546e).
    func exitBetweenTheExitTestAndTheQueueing(_ strategy: RetryViaWorkqueue) -> (reachedWindow: Bool, exit: ExitResult) {
        SubmitterTask.run { task in
            let services = try! StandInKernel(task: task, configuration: .init(signals: .oneShot),
                                               fatalSignalError: strategy.fatalSignalError)
            let pool = try! IOWorkQueue(kernel: services, strategy: strategy)
            let inWindow = Recorder(false)
            let cancelled = Recorder(false)
            pool.raceHooks.afterExitTest = {
                inWindow.update { $0 = true }
                _ = poll(until: .after(completionDeadline)) { cancelled.current }
            }
            pool.raceHooks.afterExitCancel = { cancelled.update { $0 = true } }
            pool.enqueue(blockingItem())  // the one-shot signal fails the creation: a retry on the kworker
            let reached = poll(until: .after(completionDeadline)) { inWindow.current }
            let exit = pool.exit(deadline: .after(hangDeadline))
            services.shutdown(deadline: .after(.seconds(5)))
            if exit == .clean { services.releaseRecordMemory() }
            return (reached, exit)
        }
    }

    @Test func aRequestQueuedAfterExitsCancelHangsExitUntil5_16() {
        let before = exitBetweenTheExitTestAndTheQueueing(.linux5_15)
        #expect(before.reachedWindow)
        #expect(before.exit == .hung)
        let after = exitBetweenTheExitTestAndTheQueueing(.linux5_16)
        #expect(after.reachedWindow)
        #expect(after.exit == .clean)
    }

    @Test func theSeedsNeverMatchingExitCancelHangs() throws {
        let (queued, exit, outcome) = try exitWithQueuedCreateRequest(.seed)
        #expect(queued)
        #expect(exit == .hung)
        #expect(outcome == nil)
    }

    @Test func withTheMatchFixedExitFinishesAndCancelsThePendingItem() throws {
        var fixed = RetryViaWorkqueue.seed
        fixed.defects.remove(.exitCancelNeverMatches)
        let (queued, exit, outcome) = try exitWithQueuedCreateRequest(fixed)
        #expect(queued)
        #expect(exit == .clean)
        #expect(outcome == .cancelled)
    }
}
