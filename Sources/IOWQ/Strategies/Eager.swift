/// Every worker of both groups is created at pool setup, before any work; none is ever created on
/// demand and none exits on idle. Setup retries retryable failures after returning to user space
/// (so a pending signal is delivered first), with a bounded backoff.
public struct Eager: WorkerCreationStrategy {
    public let name = "eager"
    public let idlePolicy = IdlePolicy.neverExit
    /// Attempts per worker at setup.
    public var setupAttempts: Int
    /// Backoff before retry n is n times this.
    public var backoffStep: Duration

    public init(setupAttempts: Int = 8, backoffStep: Duration = .milliseconds(1)) {
        self.setupAttempts = setupAttempts
        self.backoffStep = backoffStep
    }

    public func validate() throws {
        guard setupAttempts >= 1 else { throw ConfigurationError.invalid("eager needs at least 1 setup attempt, not \(setupAttempts)") }
        guard backoffStep >= .zero else { throw ConfigurationError.invalid("eager backoff must not be negative") }
    }

    public func poolDidStart(_ pool: IOWorkQueue) throws {
        var lastError: Errno?
        for group in GroupKind.allCases {
            for _ in 0..<pool.configuration.maxWorkers(group) where pool.reserveWorker(in: group) {
                if let error = createWithRetries(in: group, of: pool) {
                    lastError = error
                    pool.releaseReservation(in: group)
                }
            }
        }
        if pool.liveWorkers == 0 {
            throw PoolSetupError.noWorkers(lastError: lastError ?? .EAGAIN)
        }
    }

    /// Makes one worker, retrying what may succeed later; returns the error that ended it otherwise.
    private func createWithRetries(in group: GroupKind, of pool: IOWorkQueue) -> Errno? {
        var attempt = 1
        while true {
            guard let worker = pool.allocateWorker(for: group) else { return .ENOMEM }
            guard let error = pool.startWorker(worker) else { return nil }
            pool.freeWorker(worker)
            guard error == .EAGAIN || error.isRestartable, attempt < setupAttempts else { return error }
            pool.counters.bump(.createRetries)
            // back to user space: the signal that failed the creation is delivered there
            pool.kernel.task.wait(until: { false }, deadline: .after(backoffStep * attempt))
            attempt += 1
        }
    }

    public func noFreeWorker(for item: WorkItem, in group: GroupKind, of pool: IOWorkQueue) {}
}

