/// How and when a pool creates its workers: the one thing the strategies differ in. The pool calls
/// these hooks at the creation points of docs/model.md §3; a strategy composes the pool's creation
/// steps (`reserveWorker`, `allocateWorker`, `startWorker`, `queueCreateRequestLocked`, ...).
public protocol WorkerCreationStrategy: Sendable {
    /// The name used on the command line and in the CSV.
    var name: String { get }

    /// What an idle worker does.
    var idlePolicy: IdlePolicy { get }

    /// What thread creation returns while a fatal signal is pending, for the kernel this strategy
    /// models (see `KernelConfiguration.fatalSignalError`).
    var fatalSignalError: Errno { get }

    /// Rejects a configuration that cannot run.
    func validate() throws

    /// Runs once on the task while the pool is built.
    func poolDidStart(_ pool: IOWorkQueue) throws

    /// Enqueue queued `item` in `group` and found no idle worker to wake. On the task, no lock held.
    func noFreeWorker(for item: WorkItem, in group: GroupKind, of pool: IOWorkQueue)

    /// `worker` is about to block and leaves its group with nobody running while work is pending.
    /// On the worker's thread with the pool lock held: a strategy may only queue a request to the
    /// task from here (workers never create threads).
    func lastRunningWorkerSleepsLocked(_ worker: Worker, in pool: IOWorkQueue)

    /// The pool is exiting: take back the create requests this strategy queued on the task.
    func cancelQueuedCreations(of pool: IOWorkQueue)
}

extension WorkerCreationStrategy {
    public var fatalSignalError: Errno { .EINTR }
    public func validate() throws {}
    public func poolDidStart(_ pool: IOWorkQueue) throws {}
    public func lastRunningWorkerSleepsLocked(_ worker: Worker, in pool: IOWorkQueue) {}
    public func cancelQueuedCreations(of pool: IOWorkQueue) {}
}
