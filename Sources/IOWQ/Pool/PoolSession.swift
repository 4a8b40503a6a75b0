/// One pool's whole life on its task, written once for trials, tests and benchmarks: kernel
/// services, then the pool, then (the caller's part) the work, then teardown in the kernel's order:
/// a dying task waits for its work, everything still queued or running is cancelled, the pool exits
/// with a deadline, the services stop, and the record arena is released only after a clean exit.
///
/// The services take the strategy's own `fatalSignalError`, so every caller meets a fatal signal
/// the way the strategy's kernel did.
public final class PoolSession {
    public let task: SubmitterTask
    public let services: StandInKernel
    public let pool: IOWorkQueue

    /// Why a session could not start: the pool's setup failed (eager created no worker, say). The
    /// services were already stopped and released.
    public struct SetupFailure: Error, CustomStringConvertible {
        public let error: any Error
        public var description: String { "\(error)" }
    }

    /// Builds the services and the pool on `task`. Throws `ConfigurationError` for a configuration
    /// that cannot run, `SetupFailure` when the strategy's setup failed.
    public init(task: SubmitterTask, strategy: any WorkerCreationStrategy, kernel: StandInKernelConfiguration = StandInKernelConfiguration(),
                pool configuration: PoolConfiguration = PoolConfiguration()) throws {
        self.task = task
        services = try StandInKernel(task: task, configuration: kernel, fatalSignalError: strategy.fatalSignalError)
        do {
            pool = try IOWorkQueue(kernel: services, strategy: strategy, configuration: configuration)
        } catch {
            services.shutdown(deadline: .after(.seconds(5)))
            services.releaseRecordMemory()
            throw (error as? ConfigurationError) ?? SetupFailure(error: error)
        }
    }

    /// What teardown found.
    public struct Teardown: Sendable {
        /// The pool's exit; nil when a dying task's work never finished, so exit was not tried.
        public var exit: ExitResult?
        public var exitNanoseconds: UInt64
        /// Worker records still allocated after the exit: leaked ones, or those of a hung exit.
        public var leakedBytes: Int
        public var counters: CounterSnapshot
        /// The pool as the exit deadline found it, when teardown did not finish: what it waited on.
        public var stuckPool: PoolSnapshot?
        /// The exit could never finish and was given up before its deadline.
        public var exitEndedEarly = false

        public var exitHung: Bool { exit != .clean }
    }

    /// Tears the session down within `deadline` of the exit's start. `items` are what a dying task
    /// waits for first (the kernel's exit path runs task_work but never returns to user space).
    /// A pool that does not exit is abandoned with its records, never waited for beyond the deadline.
    public func tearDown(exitDeadline: Duration, items: [WorkItem] = [], givingUpWhenCertain: Bool = false) -> Teardown {
        let start = monotonicNanoseconds()
        let deadline = Deadline.after(exitDeadline)
        var exit: ExitResult?
        let dyingWorkDone = !task.isDying || items.isEmpty
            || task.wait(until: { items.allSatisfy { $0.completionCount > 0 } }, deadline: deadline)
        if dyingWorkDone {
            pool.cancel(matching: { _ in true })
            exit = pool.exit(deadline: deadline, givingUpWhenCertain: givingUpWhenCertain)
        }
        let exitNanoseconds = monotonicNanoseconds() - start
        let stuckPool = exit == .clean ? nil : pool.snapshot()
        services.shutdown(deadline: .after(exitDeadline))
        let teardown = Teardown(exit: exit, exitNanoseconds: exitNanoseconds, leakedBytes: services.liveRecordBytes,
                                counters: services.counters.snapshot(), stuckPool: stuckPool, exitEndedEarly: pool.exitEndedEarly)
        if exit == .clean { services.releaseRecordMemory() }
        return teardown
    }
}
