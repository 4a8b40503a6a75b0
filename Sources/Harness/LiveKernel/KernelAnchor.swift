#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import CURing
import IOWQ
import Synchronization

/// The `kernel` strategy: the same workloads through io_uring with IOSQE_ASYNC, so the running
/// kernel's own io-wq does the work (docs/model.md §5, the live anchor). Each trial runs on a
/// thread of its own with a fresh ring; see KernelTrial for what it counts.
enum KernelAnchor {
    /// The unavailable message goes to standard error once per process, however many trials fail.
    private static let reportedUnavailable = Atomic<Bool>(false)

    /// `forcedSetupError`: make the ring's set-up fail with that errno (tests of the unavailable path).
    static func run(_ spec: ConfigurationSpec, trial: Int, seed: UInt64, profile: Profile,
                    forcedSetupError: Int32? = nil) -> TrialResult {
        let plan = KernelRequestPlan.make(spec.scenario, profile: profile, seed: seed)
        return run(spec, trial: trial, seed: seed, profile: profile, plan: plan, forcedSetupError: forcedSetupError)
    }

    /// Runs `plan` as the trial of `spec` (tests give plans of their own).
    /// `traceRoot`: where tracefs is; `inspect` sees the finished trial (tests compare the trace
    /// with the census).
    static func run(_ spec: ConfigurationSpec, trial: Int, seed: UInt64, profile: Profile, plan: KernelRequestPlan,
                    forcedSetupError: Int32? = nil, traceRoot: String = KernelTrace.defaultRoot,
                    inspect: (KernelTrial) -> Void = { _ in }) -> TrialResult {
        var result = TrialResult(spec: spec, trial: trial, seed: seed)
        let work = KernelTrial(spec: spec, trial: trial, seed: seed, profile: profile, plan: plan, forcedSetupError: forcedSetupError,
                               traceRoot: traceRoot)
        defer { if work.isPublished { inspect(work) } }

        KernelTrace.prepare(root: traceRoot)
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, kernelTrialEntry, Unmanaged.passRetained(work).toOpaque())
        guard rc == 0 else {
            Unmanaged.passUnretained(work).release()
            return unavailable(result, reason: "cannot start the submitting thread: \(Errno(rawValue: rc).name)")
        }

        // the thread honours the item and exit deadlines itself; this one only guards against a
        // thread stuck where no deadline reaches (set-up, a system call that never returns)
        let guardDeadline = Deadline.after(plan.deadline + profile.exitDeadline * 3 + .seconds(2))
        guard work.awaitPublished(until: guardDeadline) else {
            pthread_detach(thread)
            result.items.submitted = plan.requests.count
            result.items.hung = plan.requests.count
            result.exitHung = true
            result.hangKind = .unknown
            return result
        }
        if let error = work.setupError {
            _ = iowq_timed_join(thread, profile.exitDeadline.nanoseconds)
            return unavailable(result, reason: error.description)
        }

        // the submitting thread's exit is the kernel's io_uring teardown for that task: give it the
        // exit deadline, and leave it behind if it does not finish
        let joined = iowq_timed_join(thread, profile.exitDeadline.nanoseconds) == 0
        if !joined { pthread_detach(thread) }
        let exitEnd = monotonicNanoseconds()

        if let (ring, resources) = work.handedOver {
            // exit-under-fire: the outcomes are what the task's exit left in the completion queue
            work.reap(ring)
            work.tally(resources)
            if joined && work.pendingCount == 0 {
                ring.close()
                resources.release()
            } else {
                work.result.exitHung = true
            }
        }
        result = work.result
        result.exitNanoseconds = exitEnd &- work.teardownStart
        if !joined { result.exitHung = true }
        if result.stuck && result.hangKind == nil { result.hangKind = .unknown }
        return result
    }

    private static func unavailable(_ result: TrialResult, reason: String) -> TrialResult {
        var result = result
        result.note = "kernel anchor unavailable: \(reason)"
        if !reportedUnavailable.exchange(true, ordering: .relaxed) {
            writeStandardError(result.note + "\n")
        }
        return result
    }

    /// Whether the unavailable message has been written in this process.
    static var hasReportedUnavailable: Bool { reportedUnavailable.load(ordering: .relaxed) }
}
