/// The two creation paths that pre-patch io-wq and the seed share: inline on the task when enqueue
/// finds no worker, and from a worker about to sleep, which asks the task through task_work
/// (create_worker_cb). They differ only in `createWorker`, the kernel's create_io_worker.
protocol InlineCreating: WorkerCreationStrategy {
    /// create_io_worker: on the task, holding a reserved slot in `group`. Returns false when the
    /// creation failed and gave up (having given the slot back).
    func createWorker(in group: GroupKind, of pool: IOWorkQueue) -> Bool

    /// Whether a create request tests the exit bit again after it was queued (5.15, 71a85387546e).
    var rechecksExitAfterQueueing: Bool { get }

    /// Whether create_worker_cb first wakes a worker that went free since the request was made,
    /// and creates none then (6.17: 9d83e1f05c98, with cd4ea81be3eb's fix of its max_workers
    /// accounting).
    var sleepPathWakesFreeWorker: Bool { get }
}

extension InlineCreating {
    var sleepPathWakesFreeWorker: Bool { false }
}

extension InlineCreating {
    /// The enqueue side of io_wqe_enqueue: create when the item may run concurrently or nobody in
    /// the group is running. Returns whether creation failed for good.
    func createIfNeeded(for item: WorkItem, in group: GroupKind, of pool: IOWorkQueue) -> Bool {
        guard item.flags.contains(.concurrent) || pool.groupCounts(group).running == 0 else { return false }
        guard pool.reserveWorker(in: group) else { return false }
        return !createWorker(in: group, of: pool)
    }

    /// io_wqe_dec_running: the request is accounted as running at once and queued on the task,
    /// with the lock dropped around the queueing as the kernel drops wqe->lock (d800c65c2d4e).
    public func lastRunningWorkerSleepsLocked(_ worker: Worker, in pool: IOWorkQueue) {
        pool.accountCreateRequestLocked(in: worker.group)
        pool.lock.unlock()
        _ = pool.queueCreateRequest(worker, for: worker.group, .sleepPath, recheckExit: rechecksExitAfterQueueing)
        pool.lock.lock()
    }

    public func run(_ request: CreateRequest, for worker: Worker, in pool: IOWorkQueue) {
        precondition(request == .sleepPath, "\(name) queues no \(request) request")
        createWorkerFromSleepPath(worker, in: pool)
    }

    /// create_worker_cb: the task's half of a sleep-path request. The request's running count and
    /// reference become the new slot's if the group is below its cap; otherwise they are given back.
    func createWorkerFromSleepPath(_ worker: Worker, in pool: IOWorkQueue) {
        let group = pool.lock.withLock { worker.record.pointee.createGroup }
        // from 6.17 a free worker takes the work instead: the request's count and reference go back
        if sleepPathWakesFreeWorker && pool.lock.withLock({ pool.activateFreeWorkerLocked(group) }) {
            pool.lock.withLock {
                pool.giveBackCreateRequestLocked(in: group)
                pool.clearCreatePendingLocked(worker)
            }
            return
        }
        if pool.reserveWorker(in: group, accounted: true) {
            _ = createWorker(in: group, of: pool)
        } else {
            pool.lock.withLock { pool.giveBackCreateRequestLocked(in: group) }
        }
        pool.lock.withLock { pool.clearCreatePendingLocked(worker) }
    }
}
