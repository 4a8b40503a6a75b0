/// How and when a pool creates its workers: the one thing the strategies differ in. The pool calls
/// these hooks at the creation points of docs/model.md §3; a strategy composes the pool's creation
/// steps (`reserveWorker`, `allocateWorker`, `startWorker`, `queueCreateRequest`, ...).
public protocol WorkerCreationStrategy: Sendable {
    /// The name used on the command line and in the CSV.
    var name: String { get }

    /// What an idle worker does.
    var idlePolicy: IdlePolicy { get }

    /// Which free worker lets enqueue skip a creation (io_wq_activate_free_worker). Default
    /// `.wokenOnly`, as every kernel before 6.6.
    var freeWorkerActivation: FreeWorkerActivation { get }

    /// What thread creation returns while a fatal signal is pending, for the kernel this strategy
    /// models (see `StandInKernelConfiguration.fatalSignalError`).
    var fatalSignalError: Errno { get }

    /// Rejects a configuration that cannot run.
    func validate() throws

    /// Runs once on the task while the pool is built.
    func poolDidStart(_ pool: IOWorkQueue) throws

    /// Enqueue queued `item` in `group` and found no idle worker to wake. On the task, no lock held.
    func noFreeWorker(for item: WorkItem, in group: GroupKind, of pool: IOWorkQueue)

    /// `worker` is about to block and leaves its group with nobody running while work is pending.
    /// On the worker's thread with the pool lock held: a strategy may only queue a request to the
    /// task from here (workers never create threads), dropping the lock to do so; it returns with
    /// the lock held.
    func lastRunningWorkerSleepsLocked(_ worker: Worker, in pool: IOWorkQueue)

    /// The pool is exiting: take back the create requests this strategy queued on the task.
    func cancelQueuedCreations(of pool: IOWorkQueue)

    /// A create request this strategy queued (as task_work or on the system workqueue) runs now,
    /// for `worker`'s record: the body of the kernel's callback_head func. The queued `Callback`s
    /// only name the request; the strategy that queued it does the work, so no callback needs to
    /// know which strategy it serves.
    func run(_ request: CreateRequest, for worker: Worker, in pool: IOWorkQueue)
}

/// The create requests strategies queue, by the kernel function that runs them.
public enum CreateRequest: Sendable, CustomStringConvertible {
    /// create_worker_cb: a worker about to sleep asked the task for a worker.
    case sleepPath
    /// io_workqueue_create: on a kworker, after a failed creation.
    case workqueueHop
    /// create_worker_cont: back on the task, after the hop.
    case continuation

    /// The callback that queues this request: static, so exit can find a pool's requests by
    /// identity in the task's queue.
    var callback: Callback {
        switch self {
        case .sleepPath: Self.sleepPathCallback
        case .workqueueHop: Self.workqueueHopCallback
        case .continuation: Self.continuationCallback
        }
    }

    public var description: String { callback.name }

    private static let sleepPathCallback = Callback("create_worker_cb") { dispatch(.sleepPath, $0) }
    private static let workqueueHopCallback = Callback("io_workqueue_create") { dispatch(.workqueueHop, $0) }
    private static let continuationCallback = Callback("create_worker_cont") { dispatch(.continuation, $0) }

    /// container_of: the record is the argument, its pool holds the strategy.
    private static func dispatch(_ request: CreateRequest, _ argument: UnsafeMutableRawPointer) {
        let worker = Worker(argument: argument)
        worker.pool.strategy.run(request, for: worker, in: worker.pool)
    }
}

extension WorkerCreationStrategy {
    public var fatalSignalError: Errno { .EINTR }
    public var freeWorkerActivation: FreeWorkerActivation { .wokenOnly }
    public func validate() throws {}
    public func poolDidStart(_ pool: IOWorkQueue) throws {}
    public func lastRunningWorkerSleepsLocked(_ worker: Worker, in pool: IOWorkQueue) {}
    public func cancelQueuedCreations(of pool: IOWorkQueue) {}
    public func run(_ request: CreateRequest, for worker: Worker, in pool: IOWorkQueue) {
        preconditionFailure("\(name) queues no \(request) request")
    }
}
