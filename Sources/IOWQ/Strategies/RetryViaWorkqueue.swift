/// The seed (Linux 3146cba99aa2): a creation that fails with a retryable error is punted to the
/// system workqueue, whose kworker queues task_work to the task, which creates from there, after
/// the signal has been delivered. A non-retryable failure that leaves the group with no worker
/// cancels its pending work, so nobody waits for ever.
///
/// The seed's own defects are kept, each behind a switch, and the later upstream fixes are options,
/// so the lineage presets are this strategy configured, not copies of it.
public struct RetryViaWorkqueue: InlineCreating {
    /// The seed's defects as committed; each upstream fix turns one off.
    public struct Defects: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// io_task_work_match tests `func != a || func != b`: always true, so exit never takes a
        /// queued create request back and waits for it for ever. Fixed in 3b33e3f4a6c0.
        public static let exitCancelNeverMatches = Defects(rawValue: 1 << 0)
        /// Enqueue cancels the item that failed to get a first worker while it is still on the
        /// pending list, so it completes again later. Fixed in 713b9825a4c4.
        public static let cancelWhileQueued = Defects(rawValue: 1 << 1)
        /// Failure paths after the record was allocated never free it. Fixed in 66e70be72288.
        public static let leaksWorkerOnFailure = Defects(rawValue: 1 << 2)
        /// The exit bit is not tested again after a create request is queued, so one queued just
        /// after exit's cancel stays queued and exit waits for it. Fixed in 71a85387546e (5.15).
        public static let exitNotRecheckedAfterQueueing = Defects(rawValue: 1 << 3)
        /// Retries go on while a fatal signal is pending: the kworker and the dying task pass the
        /// request back and forth for ever. Fixed in a226abcd5d42 (5.16).
        public static let retriesDespiteFatalSignal = Defects(rawValue: 1 << 4)

        public static let all: Defects = [.exitCancelNeverMatches, .cancelWhileQueued, .leaksWorkerOnFailure,
                                          .exitNotRecheckedAfterQueueing, .retriesDespiteFatalSignal]
    }

    public let name: String
    public let idlePolicy = IdlePolicy.waitWithTimeout
    /// The seed's kernels failed fork with ERESTARTNOINTR while SIGKILL was pending (a226abcd5d42).
    public let fatalSignalError = Errno.ERESTARTNOINTR
    public var defects: Defects
    /// At most this many retries per worker (WORKER_INIT_LIMIT, 0453aad676ff, 6.11).
    public var retryLimit: Int?
    /// Retry n waits n times this on the workqueue (13918315c5dc, 6.14), in whole jiffies.
    public var backoffStep: Duration?
    /// ERESTART* errors are always retried; only EAGAIN counts towards the limit (34c78b8610a9, 6.19).
    public var boundsOnlyEAGAIN: Bool
    /// Which free worker lets enqueue skip a creation: `.anyOnFreeList` from 6.6 (22f7fb80e6d9).
    public var freeWorkerActivation: FreeWorkerActivation
    /// create_worker_cb first wakes a free worker, if one went free meanwhile (6.17, 9d83e1f05c98).
    public var sleepPathWakesFreeWorker: Bool
    /// CONFIG_HZ of the modelled kernel: delayed work waits whole jiffies (msecs_to_jiffies rounds
    /// up), so at Debian's 250 a 5 ms step waits 8, 12, 16 ms.
    public var hz: Int

    public init(name: String = "retry-via-workqueue", defects: Defects = .all, retryLimit: Int? = nil,
                backoffStep: Duration? = nil, boundsOnlyEAGAIN: Bool = false,
                activation: FreeWorkerActivation = .wokenOnly, sleepPathWakesFreeWorker: Bool = false, hz: Int = 250) {
        self.name = name
        self.defects = defects
        self.retryLimit = retryLimit
        self.backoffStep = backoffStep
        self.boundsOnlyEAGAIN = boundsOnlyEAGAIN
        freeWorkerActivation = activation
        self.sleepPathWakesFreeWorker = sleepPathWakesFreeWorker
        self.hz = hz
    }

    /// The seed as committed.
    public static let seed = RetryViaWorkqueue()

    public func validate() throws {
        if let retryLimit, retryLimit < 0 { throw ConfigurationError.invalid("retry limit must not be negative") }
        if let backoffStep, backoffStep < .zero { throw ConfigurationError.invalid("retry backoff must not be negative") }
        if hz < 1 { throw ConfigurationError.invalid("HZ must be at least 1") }
    }

    // MARK: enqueue

    public func noFreeWorker(for item: WorkItem, in group: GroupKind, of pool: IOWorkQueue) {
        guard createIfNeeded(for: item, in: group, of: pool) else { return }
        pool.lock.lock()
        // fatal condition: failed to create the first worker
        guard pool.groups[group.rawValue].workers == 0 else {
            pool.lock.unlock()
            return
        }
        if defects.contains(.cancelWhileQueued) {
            pool.lock.unlock()
            pool.complete(item, .cancelled)  // the item stays on the list
        } else {
            let removed = pool.removePendingLocked(item)
            pool.lock.unlock()
            if removed { pool.complete(item, .cancelled) }
        }
    }

    /// create_io_worker as the seed has it: a retryable failure goes to the workqueue.
    func createWorker(in group: GroupKind, of pool: IOWorkQueue) -> Bool {
        guard let worker = pool.allocateWorker(for: group) else {
            pool.releaseReservation(in: group)
            return false
        }
        guard let error = pool.startWorker(worker) else { return true }
        if shouldRetry(error, worker, pool) {
            scheduleRetry(worker, pool)
            return true
        }
        if !defects.contains(.leaksWorkerOnFailure) { pool.freeWorker(worker) }
        pool.releaseReservation(in: group)
        return false
    }

    /// io_should_retry_thread, with the later fixes where they are turned on. On the task.
    /// From 6.11 every failure counts (`init_retries++`), whatever the error; 6.19 still counts an
    /// ERESTART* failure, so its backoff keeps growing, but retries it past the limit.
    private func shouldRetry(_ error: Errno, _ worker: Worker, _ pool: IOWorkQueue) -> Bool {
        if !defects.contains(.retriesDespiteFatalSignal) && pool.kernel.task.fatalSignalPending { return false }
        guard error == .EAGAIN || error.isRestartable else { return false }
        guard let retryLimit else { return true }
        let retries = pool.lock.withLock {
            worker.record.pointee.initRetries += 1
            return worker.record.pointee.initRetries
        }
        if boundsOnlyEAGAIN && error.isRestartable { return true }
        return retries <= retryLimit
    }

    /// The kernel's tick at this preset's HZ, which delayed work waits on.
    public var jiffyGrid: JiffyGrid { JiffyGrid(hz: hz) }

    /// How many jiffies retry `retry` (from 1) waits on the workqueue: queue_create_worker_retry's
    /// msecs_to_jiffies(init_retries * 5) (6.12.118 io_uring/io-wq.c:850), rounded up to whole
    /// jiffies; 0 without a backoff (schedule_work).
    public func backoffJiffies(forRetry retry: Int) -> Int {
        guard let backoffStep else { return 0 }
        let milliseconds = Int((backoffStep * retry).nanoseconds / 1_000_000)
        return jiffyGrid.jiffies(milliseconds: milliseconds)
    }

    /// The nominal wait of retry `retry`: its jiffies. The timer fires on the tick, between this
    /// and one jiffy more after it was armed (`JiffyGrid.dueTick`).
    public func backoff(forRetry retry: Int) -> Duration {
        .nanoseconds(UInt64(backoffJiffies(forRetry: retry)) * jiffyGrid.tickNanoseconds)
    }

    /// schedule_work, or schedule_delayed_work with the 6.14 backoff, due on the tick.
    private func scheduleRetry(_ worker: Worker, _ pool: IOWorkQueue) {
        pool.counters.bump(.createRetries)
        let jiffies = backoffJiffies(forRetry: pool.lock.withLock { worker.record.pointee.initRetries })
        pool.kernel.workqueue.schedule(CreateRequest.workqueueHop.callback, worker.argument, afterJiffies: jiffies, on: jiffyGrid)
    }

    // MARK: the retry path

    public func run(_ request: CreateRequest, for worker: Worker, in pool: IOWorkQueue) {
        switch request {
        case .sleepPath: createWorkerFromSleepPath(worker, in: pool)
        case .workqueueHop: workqueueCreate(worker, pool)
        case .continuation: createWorkerContinue(worker, pool)
        }
    }

    var rechecksExitAfterQueueing: Bool { !defects.contains(.exitNotRecheckedAfterQueueing) }

    /// io_workqueue_create: on a kworker, queue the new worker's creation on the task.
    private func workqueueCreate(_ worker: Worker, _ pool: IOWorkQueue) {
        pool.counters.bump(.kworkerHops)
        let queued = pool.queueCreateRequest(worker, for: worker.group, .continuation, recheckExit: rechecksExitAfterQueueing)
        // the slot's worker count is never given back, in the seed and after it
        if !queued && !defects.contains(.leaksWorkerOnFailure) { pool.freeWorker(worker) }
    }

    /// create_worker_cont: on the task, after the hop; retry again or give up for good, giving the
    /// slot back and cancelling the group's work if it was the group's last hope.
    private func createWorkerContinue(_ worker: Worker, _ pool: IOWorkQueue) {
        pool.lock.withLock { pool.clearCreatePendingLocked(worker) }
        guard let error = pool.startWorker(worker) else { return }
        if shouldRetry(error, worker, pool) {
            scheduleRetry(worker, pool)
            return
        }
        let group = worker.group
        if !defects.contains(.leaksWorkerOnFailure) { pool.freeWorker(worker) }
        pool.lock.withLock {
            pool.releaseReservationLocked(in: group)
            if pool.groups[group.rawValue].workers == 0 { pool.cancelAllPendingLocked(in: group) }
        }
    }

    // MARK: exit

    /// io_wq_exit_workers' cancel loop (io_wq_cancel_tw_create after 5.15).
    public func cancelQueuedCreations(of pool: IOWorkQueue) {
        pool.cancelQueuedCreateRequests(
            [CreateRequest.sleepPath.callback, CreateRequest.continuation.callback],
            matchNever: defects.contains(.exitCancelNeverMatches)
        ) { worker, callback in
            // only the continuation owns a record that is not a worker yet
            guard callback === CreateRequest.continuation.callback else { return }
            pool.groups[worker.group.rawValue].workers -= 1
            if !defects.contains(.leaksWorkerOnFailure) { pool.freeWorker(worker) }
        }
    }
}
