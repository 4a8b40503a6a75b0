/// What a work body may do with the worker running it.
public struct WorkContext: ~Copyable {
    let worker: Worker
    public let item: WorkItem

    /// A cancel has asked this running item to stop; a body that sees it should return soon.
    public var isCancelled: Bool { item.cancelRequested.load(ordering: .relaxed) }

    /// Marks the span in which the worker would sleep in the kernel (io_wq_worker_sleeping, then
    /// io_wq_worker_running). If this leaves the worker's group with nobody running while work is
    /// pending, the strategy is asked for another worker, through the task.
    public func blocking<T>(_ body: () throws -> T) rethrows -> T {
        worker.pool.workerSleeping(worker)
        defer { worker.pool.workerRunning(worker) }
        return try body()
    }

    /// `blocking` for a wait that only other work of this pool can end (a pipe that another item
    /// writes). The pool uses it to know when nothing can ever move again
    /// (`IOWorkQueue.isCertainlyStuck`); a wait that time or the outside world ends is `blocking`.
    public func blockingOnOtherWork<T>(_ body: () throws -> T) rethrows -> T {
        worker.pool.workerSleeping(worker, onOtherWork: true)
        defer { worker.pool.workerRunning(worker) }
        return try body()
    }
}
