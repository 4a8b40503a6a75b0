#if canImport(Glibc)
import Glibc
#endif
@testable import IOWQ

/// What a test pool left behind once it was torn down.
struct PoolReport: Sendable {
    var counters: CounterSnapshot
    var exit: ExitResult
    var leakedBytes: Int
}

/// Generous: only reached when something is wrong, so tests never depend on it being short.
let completionDeadline = Duration.seconds(20)
/// Used where an item is expected to hang: any length gives the same outcome.
let hangDeadline = Duration.milliseconds(300)

/// Runs `body` on a fresh task with a fresh pool (a `PoolSession`, as trials use), then tears it
/// down with an exit deadline. A pool that does not exit is abandoned, never waited for.
func withPool<R: Sendable>(
    _ strategy: any WorkerCreationStrategy,
    kernel: StandInKernelConfiguration = StandInKernelConfiguration(),
    pool configuration: PoolConfiguration = PoolConfiguration(maxBoundWorkers: 4, maxUnboundWorkers: 4, idleTimeout: .milliseconds(200)),
    exitDeadline: Duration = .seconds(10),
    _ body: @escaping @Sendable (IOWorkQueue, SubmitterTask) throws -> R
) throws -> (R, PoolReport) {
    let outcome: Result<(R, PoolReport), any Error> = SubmitterTask.run { task in
        Result {
            let session = try PoolSession(task: task, strategy: strategy, kernel: kernel, pool: configuration)
            let result = try body(session.pool, task)
            let teardown = session.tearDown(exitDeadline: exitDeadline)
            return (result, PoolReport(counters: teardown.counters, exit: teardown.exit ?? .hung, leakedBytes: teardown.leakedBytes))
        }
    }
    return try outcome.get()
}

/// Builds the pool's kernel and pool on a task and returns the setup error, if any.
func setupError(
    _ strategy: any WorkerCreationStrategy,
    kernel: StandInKernelConfiguration = StandInKernelConfiguration(),
    pool configuration: PoolConfiguration = PoolConfiguration()
) -> String? {
    SubmitterTask.run { task -> String? in
        do {
            _ = try PoolSession(task: task, strategy: strategy, kernel: kernel, pool: configuration)
                .tearDown(exitDeadline: .seconds(5))
            return nil
        } catch {
            return "\(error)"
        }
    }
}

/// An item that blocks briefly inside `blocking { }`, as a read from a slow device would.
func blockingItem(flags: WorkItem.Flags = [], tag: Int = 0, micros: UInt32 = 500) -> WorkItem {
    WorkItem(flags: flags, tag: tag) { context in
        context.blocking { _ = usleep(micros) }
        return .ok
    }
}

func noopItem(flags: WorkItem.Flags = [], hashKey: Int? = nil, tag: Int = 0) -> WorkItem {
    WorkItem(flags: flags, hashKey: hashKey, tag: tag) { _ in .ok }
}

/// Polls `condition` without running task_work or delivering signals (a plain sleep), until it
/// holds or `deadline`.
func poll(until deadline: Deadline, _ condition: () -> Bool) -> Bool {
    while !condition() {
        if deadline.hasPassed { return false }
        usleep(200)
    }
    return true
}

/// A small lock-protected box for what bodies record from worker threads.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = Lock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func update<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
    var current: Value { lock.withLock { value } }
}
