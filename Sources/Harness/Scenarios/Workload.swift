import IOWQ

/// A scenario made concrete for one trial: its items, built before the clock starts, and how they
/// are submitted. Submission and waiting happen on the task, so the task returns to user space
/// (delivering signals, running task_work) wherever a real application would.
struct Workload {
    var items: [WorkItem]
    /// How long the items may take before the pending ones count as hung.
    var deadline: Duration
    /// Submits the items (all at once, or at their arrival times), within the deadline.
    var submit: (_ pool: IOWorkQueue, _ task: SubmitterTask, _ items: [WorkItem], _ deadline: Deadline) -> Void = submitAll
    /// After submitting, the task waits for every item until the deadline (`wait`); exit under
    /// fire exits instead.
    var waitsForCompletions = true
    /// Order or concurrency violations seen (hashed work).
    var violations: () -> Int = { 0 }
    /// Releases what the items used (pipes), once no worker can touch it.
    var cleanup: () -> Void = {}
    /// Outcomes are read at the deadline, except where the items are meant to meet the exit: then
    /// they are read after teardown, and only what exit never completed counts as hung.
    var outcomesAfterTeardown = false

    /// exit-under-fire: submit, then exit without returning to user space once a retried creation
    /// has been handed back to the task as task_work (or after the shape's `exitAfter`, or when all are done): the exit
    /// meets the request queued, as a process that submits and exits would.
    static func exitWhileRetrying(_ pool: IOWorkQueue, _ task: SubmitterTask, _ items: [WorkItem], _ deadline: Deadline,
                                  window exitAfter: Duration) {
        pool.submit(items)
        let window = min(deadline, Deadline.after(exitAfter))
        while !window.hasPassed && task.completedCount < items.count {
            if task.hasTaskWork && pool.kernel.counters.snapshot()[.createRetries] > 0 { return }
            ItemBodies.sleepMicros(100)
        }
    }

    /// One submission of every item (one io_uring_enter, as the kernel row's batch).
    static func submitAll(_ pool: IOWorkQueue, _ task: SubmitterTask, _ items: [WorkItem], _ deadline: Deadline) {
        pool.submit(items)
    }

    /// Waits on the task for `count` completions until `deadline`. With `stoppingWhenStuck` it
    /// also returns as soon as the pool cannot make progress (`IOWorkQueue.isCertainlyStuck`,
    /// sound once everything is submitted): a certain hang costs its trial milliseconds, not the
    /// deadline. The pool wakes the task wherever it may have become stuck, so the task looks
    /// then, not on a clock. Returns whether it stopped early.
    static func wait(for count: Int, _ pool: IOWorkQueue, _ task: SubmitterTask, until deadline: Deadline,
                     stoppingWhenStuck: Bool) -> Bool {
        guard stoppingWhenStuck else {
            task.waitForCompletions(count, deadline: deadline)
            return false
        }
        task.wait(until: { task.completedCount >= count || pool.isCertainlyStuck }, deadline: deadline)
        return task.completedCount < count && pool.isCertainlyStuck
    }

    /// The biggest pool a scenario needs.
    static func poolConfiguration(for scenario: Scenario) -> PoolConfiguration {
        var configuration = PoolConfiguration(maxBoundWorkers: 8, maxUnboundWorkers: 8, idleTimeout: .milliseconds(200))
        if case .chain(let n) = scenario { configuration.maxUnboundWorkers = max(8, n) }
        return configuration
    }

    /// How many items `make` would build, without building them (no pipes are opened).
    static func itemCount(_ scenario: Scenario, profile: Profile, seed: UInt64) -> Int {
        if let items = scenario.shape.items { return items }
        guard case .steady(let rate) = scenario else { preconditionFailure("\(scenario) has no item count") }
        return SteadyArrivals(rate: rate, duration: profile.steadyDuration, seed: seed).arrivals.count
    }

    static func make(_ scenario: Scenario, profile: Profile, seed: UInt64) -> Workload {
        let shape = scenario.shape
        /// `count` items that each block for the shape's time.
        func blocking(_ count: Int, flags: (Int) -> WorkItem.Flags) -> [WorkItem] {
            (0..<count).map { ItemBodies.blocking(flags: flags($0), tag: $0, block: shape.block) }
        }
        switch scenario {
        case .firstWorker:
            return Workload(items: blocking(1) { _ in .concurrent }, deadline: profile.itemDeadline)
        case .burst(let n):
            return Workload(items: blocking(n) { _ in .concurrent }, deadline: profile.itemDeadline)
        case .sleepers:
            return Workload(items: blocking(shape.items!) { _ in .concurrent }, deadline: profile.itemDeadline)
        case .mixed:
            return Workload(items: blocking(shape.items!) { $0 % 2 == 0 ? .concurrent : [.concurrent, .unbound] },
                            deadline: profile.itemDeadline)
        case .hashed(let k):
            return HashedWork(hashes: k, perHash: Scenario.Shape.itemsPerHash).workload(deadline: profile.itemDeadline)
        case .chain(let n):
            return PipeChain(length: n).workload(deadline: profile.itemDeadline)
        case .steady(let rate):
            return SteadyArrivals(rate: rate, duration: profile.steadyDuration, seed: seed)
                .workload(itemDeadline: profile.itemDeadline, block: shape.block)
        case .exitUnderFire:
            return Workload(items: blocking(shape.items!) { _ in .concurrent }, deadline: profile.itemDeadline,
                            submit: { exitWhileRetrying($0, $1, $2, $3, window: shape.exitAfter!) }, waitsForCompletions: false,
                            outcomesAfterTeardown: true)
        }
    }
}
