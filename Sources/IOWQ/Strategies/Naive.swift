/// No reuse: every enqueue creates a worker inline on the task while the group is below its cap,
/// and a worker exits as soon as it finds nothing to run. A failed creation is retried inline at
/// once; a pending signal is still pending, so under signals the retries fail too and the item
/// completes as failed with the last error.
public struct Naive: WorkerCreationStrategy {
    public let name = "naive"
    public let idlePolicy = IdlePolicy.exit
    /// Creation attempts per enqueue.
    public var inlineAttempts: Int

    public init(inlineAttempts: Int = 8) {
        self.inlineAttempts = inlineAttempts
    }

    public func validate() throws {
        guard inlineAttempts >= 1 else { throw ConfigurationError.invalid("naive needs at least 1 creation attempt, not \(inlineAttempts)") }
    }

    public func noFreeWorker(for item: WorkItem, in group: GroupKind, of pool: IOWorkQueue) {
        var lastError = Errno.EAGAIN
        for attempt in 1...inlineAttempts {
            // at the cap the workers alive will take the item
            guard pool.reserveWorker(in: group) else { return }
            if attempt > 1 { pool.counters.bump(.createRetries) }
            guard let worker = pool.allocateWorker(for: group) else {
                pool.releaseReservation(in: group)
                lastError = .ENOMEM
                continue
            }
            guard let error = pool.startWorker(worker) else { return }
            pool.freeWorker(worker)
            pool.releaseReservation(in: group)
            lastError = error
        }
        let removed = pool.lock.withLock { pool.removePendingLocked(item) }
        if removed { pool.complete(item, .failed(lastError)) }
    }
}
