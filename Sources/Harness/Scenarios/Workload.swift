import IOWQ

/// A scenario made concrete for one trial: its items, built before the clock starts, and how they
/// are submitted. Submission and waiting happen on the task, so the task returns to user space
/// (delivering signals, running task_work) wherever a real application would.
struct Workload {
    var items: [WorkItem]
    /// How long the items may take before the pending ones count as hung.
    var deadline: Duration
    /// Submits the items and waits for them until the deadline.
    var drive: (_ pool: IOWorkQueue, _ task: SubmitterTask, _ items: [WorkItem], _ deadline: Deadline) -> Void = submitAllThenWait
    /// Order or concurrency violations seen (hashed work).
    var violations: () -> Int = { 0 }
    /// Releases what the items used (pipes), once no worker can touch it.
    var cleanup: () -> Void = {}
    /// Outcomes are read at the deadline, except where the items are meant to meet the exit: then
    /// they are read after teardown, and only what exit never completed counts as hung.
    var outcomesAfterTeardown = false

    /// exit-under-fire: submit, then exit without returning to user space once a retried creation
    /// has been handed back to the task as task_work (or after 20ms, or when all are done): the exit
    /// meets the request queued, as a process that submits and exits would.
    static func exitWhileRetrying(_ pool: IOWorkQueue, _ task: SubmitterTask, _ items: [WorkItem], _ deadline: Deadline) {
        for item in items { pool.enqueue(item) }
        let window = min(deadline, Deadline.after(.milliseconds(20)))
        while !window.hasPassed && task.completedCount < items.count {
            if task.hasTaskWork && pool.kernel.counters.snapshot()[.createRetries] > 0 { return }
            ItemBodies.sleepMicros(100)
        }
    }

    static func submitAllThenWait(_ pool: IOWorkQueue, _ task: SubmitterTask, _ items: [WorkItem], _ deadline: Deadline) {
        for item in items { pool.enqueue(item) }
        task.waitForCompletions(items.count, deadline: deadline)
    }

    /// The biggest pool a scenario needs.
    static func poolConfiguration(for scenario: Scenario) -> PoolConfiguration {
        var configuration = PoolConfiguration(maxBoundWorkers: 8, maxUnboundWorkers: 8, idleTimeout: .milliseconds(200))
        if case .chain(let n) = scenario { configuration.maxUnboundWorkers = max(8, n) }
        return configuration
    }

    /// Items of `sleepers` and `mixed`.
    static let batchSize = 32
    /// Items per hash in `hashed:K`.
    static let itemsPerHash = 16
    /// Items of `exit-under-fire`.
    static let exitBatchSize = 8

    /// How many items `make` would build, without building them (no pipes are opened).
    static func itemCount(_ scenario: Scenario, profile: Profile, seed: UInt64) -> Int {
        switch scenario {
        case .firstWorker: 1
        case .burst(let n), .chain(let n): n
        case .sleepers, .mixed: batchSize
        case .hashed(let k): k * itemsPerHash
        case .steady(let rate): SteadyArrivals(rate: rate, duration: profile.steadyDuration, seed: seed).arrivals.count
        case .exitUnderFire: exitBatchSize
        }
    }

    static func make(_ scenario: Scenario, profile: Profile, seed: UInt64) -> Workload {
        switch scenario {
        case .firstWorker:
            return Workload(items: [ItemBodies.blocking(micros: 100)], deadline: profile.itemDeadline)
        case .burst(let n):
            return Workload(items: (0..<n).map { ItemBodies.blocking(flags: .concurrent, tag: $0, micros: 200) }, deadline: profile.itemDeadline)
        case .sleepers:
            return Workload(items: (0..<Self.batchSize).map { ItemBodies.blocking(tag: $0, micros: 1000) }, deadline: profile.itemDeadline)
        case .mixed:
            let items = (0..<Self.batchSize).map { ItemBodies.blocking(flags: $0 % 2 == 0 ? .concurrent : [.concurrent, .unbound], tag: $0, micros: 200) }
            return Workload(items: items, deadline: profile.itemDeadline)
        case .hashed(let k):
            return HashedWork(hashes: k, perHash: Self.itemsPerHash).workload(deadline: profile.itemDeadline)
        case .chain(let n):
            return PipeChain(length: n).workload(deadline: profile.itemDeadline)
        case .steady(let rate):
            return SteadyArrivals(rate: rate, duration: profile.steadyDuration, seed: seed).workload(itemDeadline: profile.itemDeadline)
        case .exitUnderFire:
            let items = (0..<Self.exitBatchSize).map { ItemBodies.blocking(flags: .concurrent, tag: $0, micros: 1000) }
            return Workload(items: items, deadline: profile.itemDeadline, drive: exitWhileRetrying, outcomesAfterTeardown: true)
        }
    }
}
