#if canImport(Glibc)
import Glibc
#endif
import IOWQ

/// The model pool's rows: a fresh task, fresh kernel stand-ins and a fresh pool per trial, the
/// scenario's workload under the injector and fault plan, then teardown with an exit deadline. It
/// runs every configuration and sees every counter but the live kernel's own.
struct ModelBackend: SerialBackend {
    /// A new instance of the row's worker-creation strategy.
    let make: @Sendable () -> any WorkerCreationStrategy

    var observer: Counter.Observers { .model }

    func refusal(_ spec: ConfigurationSpec) -> String? { nil }

    func runTrial(_ spec: ConfigurationSpec, trial: Int, seed: UInt64, profile: Profile) -> TrialResult {
        SubmitterTask.run { task in
            Self.measure(task, strategy: make(), spec: spec, trial: trial, seed: seed, profile: profile)
        }
    }
}

extension ModelBackend {
    private static func measure(_ task: SubmitterTask, strategy: any WorkerCreationStrategy, spec: ConfigurationSpec,
                                trial: Int, seed: UInt64, profile: Profile) -> TrialResult {
        var result = TrialResult(spec: spec, trial: trial, seed: seed)
        let workload = Workload.make(spec.scenario, profile: profile, seed: seed)
        result.items.submitted = workload.items.count
        let session: PoolSession
        do {
            session = try PoolSession(task: task, strategy: strategy,
                                      kernel: StandInKernelConfiguration(faults: spec.faults, signals: spec.signals, seed: seed),
                                      pool: Workload.poolConfiguration(for: spec.scenario))
        } catch {
            // the configuration was validated when it was parsed: this is the strategy's setup
            result.setupFailed = true
            result.items.failed = workload.items.count
            result.counters = task.counters.snapshot()
            result.counters?.keepObserved(by: .model)
            workload.cleanup()
            return result
        }

        let deadline = Deadline.after(workload.deadline)
        workload.submit(session.pool, task, workload.items, deadline)
        if workload.waitsForCompletions {
            result.endedEarly = Workload.wait(for: workload.items.count, session.pool, task, until: deadline,
                                              stoppingWhenStuck: profile.stopsCertainHangs)
        }
        let work = session.services.endWork(deadline: .after(profile.exitDeadline))
        result.workWindowNanoseconds = work.windowNanoseconds
        if spec.signals.hasTimedPart { result.scheduleActed = work.timedSignals > 0 }
        // taken before the tally, so an item that completes in between is simply not hung
        let poolAtDeadline = session.pool.snapshot()
        if !workload.outcomesAfterTeardown { tally(workload, into: &result) }

        let teardown = session.tearDown(exitDeadline: profile.exitDeadline, items: workload.items,
                                        givingUpWhenCertain: profile.stopsCertainHangs)
        result.endedEarly = result.endedEarly || teardown.exitEndedEarly
        result.exitNanoseconds = teardown.exitNanoseconds
        result.exitHung = teardown.exitHung
        result.leakedBytes = teardown.leakedBytes
        result.counters = teardown.counters
        result.counters?.keepObserved(by: .model)
        result.items.completedTwice = workload.items.filter { $0.completionCount > 1 }.count
        if workload.outcomesAfterTeardown { tally(workload, into: &result) }
        result.hangKind = diagnose(result, atDeadline: poolAtDeadline, atExit: teardown.stuckPool,
                                   outcomesAfterTeardown: workload.outcomesAfterTeardown)
        if !teardown.exitHung { workload.cleanup() }
        return result
    }
}

extension ModelBackend {
    /// Why a stuck trial was stuck: hung items are read from the pool when their deadline passed
    /// (or, where outcomes are read after teardown, when the exit gave up); an exit hang alone
    /// from the pool when the exit gave up.
    static func diagnose(_ result: TrialResult, atDeadline: PoolSnapshot, atExit: PoolSnapshot?,
                         outcomesAfterTeardown: Bool) -> HangKind? {
        guard result.stuck else { return nil }
        if result.hung && !outcomesAfterTeardown { return HangKind(atDeadline) }
        return atExit.map(HangKind.init) ?? .unknown
    }

    /// Outcomes of the items as they stand, and the latency of those that completed ok.
    static func tally(_ workload: Workload, into result: inout TrialResult) {
        var histogram = LatencyHistogram()
        var firstSubmit = UInt64.max
        var lastCompletion: UInt64 = 0
        for item in workload.items {
            switch item.outcome {
            case .ok:
                result.items.ok += 1
                histogram.record(item.completedAt &- item.submittedAt)
                firstSubmit = min(firstSubmit, item.submittedAt)
                lastCompletion = max(lastCompletion, item.completedAt)
            case .cancelled: result.items.cancelled += 1
            case .failed: result.items.failed += 1
            case nil: result.items.hung += 1
            }
        }
        // each item is in exactly one bucket, so the gate need not check that they add up
        precondition(result.items.addsUp, "the tally lost or double-counted an item")
        result.latencies = histogram.pairs
        result.elapsedNanoseconds = lastCompletion > firstSubmit ? lastCompletion - firstSubmit : 0
        result.orderViolations = workload.violations()
    }
}

