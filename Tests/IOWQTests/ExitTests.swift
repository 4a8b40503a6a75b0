import Testing
@testable import IOWQ

@Suite struct ExitTests {
    /// Exit while a create request of the retry path sits in the task's task_work queue.
    func exitWithQueuedCreateRequest(_ strategy: RetryViaWorkqueue) throws -> (queued: Bool, exit: ExitResult, outcome: Outcome?) {
        let result: (Bool, ExitResult, Outcome?) = SubmitterTask.run { task in
            let services = try! KernelServices(task: task, configuration: .init(signals: .oneShot))
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
