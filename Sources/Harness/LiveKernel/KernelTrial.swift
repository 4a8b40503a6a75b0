#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import CURing
import IOWQ
import Synchronization

/// One trial on the kernel's io-wq. `run` executes on a thread of its own, so the ring it sets up
/// gets a fresh io-wq (io-wq belongs to the submitting task) and the signals have one target. The
/// thread publishes its result before it exits; the caller reads it with a deadline.
final class KernelTrial: @unchecked Sendable {
    let spec: ConfigurationSpec
    let plan: KernelRequestPlan
    let profile: Profile
    let forcedSetupError: Int32?
    /// Where tracefs is (tests point it elsewhere to see the path without it).
    let traceRoot: String
    /// Odd trials install the handler without SA_RESTART, even ones with it: a sweep sees both.
    let restartsSystemCalls: Bool

    /// Written by the trial thread until `published`, then by the caller only.
    var result: TrialResult
    var setupError: KernelRingSetupError?
    /// When teardown started (after the deadline, or when all completed), for the exit time.
    var teardownStart: UInt64 = 0
    /// exit-under-fire: the ring and requests left for the caller to read after the thread exits.
    var handedOver: (ring: KernelRing, resources: KernelResources)?
    private let published = Atomic<Bool>(false)
    private let publishedSignal = Parker()

    /// Per request: when it was submitted (or due, open loop), its completion time and result.
    /// The trial thread's own: written by submission and reaping, read by the tally.
    var submittedAt: [UInt64]
    var completedAt: [UInt64]
    var outcomes: [Int32?]
    var completed = 0
    var completedTwice = 0
    /// What the census and the trace saw, for tests that compare them.
    private(set) var censusCounts: (created: Int, peak: Int, live: Int)?
    private(set) var censusTIDs: Set<Int32> = []
    private(set) var trace: Result<KernelTraceObservation, KernelTraceUnavailable>?
    /// When the timed sender took its clock's origin (SignalClockStart), nil without one.
    private(set) var signalClockOrigin: UInt64?

    init(spec: ConfigurationSpec, trial: Int, seed: UInt64, profile: Profile, plan: KernelRequestPlan, forcedSetupError: Int32?,
         traceRoot: String = KernelTrace.defaultRoot) {
        self.spec = spec
        self.plan = plan
        self.profile = profile
        self.forcedSetupError = forcedSetupError
        self.traceRoot = traceRoot
        restartsSystemCalls = trial % 2 == 0
        result = TrialResult(spec: spec, trial: trial, seed: seed)
        result.saRestart = restartsSystemCalls
        result.items.submitted = plan.requests.count
        submittedAt = Array(repeating: 0, count: plan.requests.count)
        completedAt = Array(repeating: 0, count: plan.requests.count)
        outcomes = Array(repeating: nil, count: plan.requests.count)
    }

    var isPublished: Bool { published.load(ordering: .acquiring) }

    /// Waits until the trial thread has published, or `deadline`.
    func awaitPublished(until deadline: Deadline) -> Bool {
        while !isPublished {
            if deadline.hasPassed { return false }
            publishedSignal.park(until: deadline)
        }
        return true
    }

    private func publish() {
        published.store(true, ordering: .releasing)
        publishedSignal.unpark()
    }

    // MARK: the trial thread

    fileprivate func run() {
        defer { publish() }
        let resources: KernelResources
        let ring: KernelRing
        do throws(KernelRingSetupError) {
            resources = try KernelResources(plan)
            do throws(KernelRingSetupError) {
                ring = try KernelRing(submissionEntries: 64, completionEntries: 4096, forcedError: forcedSetupError)
            } catch {
                resources.release()
                throw error
            }
            do throws(KernelRingSetupError) {
                try ring.limitWorkers(bound: plan.boundWorkers, unbound: plan.unboundWorkers)
            } catch {
                ring.close()
                resources.release()
                throw error
            }
        } catch {
            setupError = error
            return
        }

        let taskTID = iowq_gettid()
        let census = WorkerCensus(taskTID: taskTID)
        // the private trace runs before the injector and the first submission, so it sees the
        // first punt, the first signal and every creation of this task's fresh io-wq
        let tracing = KernelTrace.start(submitter: taskTID, root: traceRoot)
        let injector = KernelSignalInjector(schedule: spec.signals, seed: result.seed, restart: restartsSystemCalls)
        let deliveredBefore = KernelSignalInjector.delivered
        let inEnterBefore = KernelSignalInjector.deliveredInEnter

        let workStart = monotonicNanoseconds()
        drive(ring, resources, injector)
        result.workWindowNanoseconds = monotonicNanoseconds() - workStart
        // the deadline's view of the workers, before anything is cancelled
        let workersAtDeadline = pendingCount > 0 ? census.waits() : nil

        injector.stop(deadline: .after(profile.exitDeadline))
        if spec.signals.hasTimedPart { result.scheduleActed = injector.timedSent > 0 }
        signalClockOrigin = injector.clockStart.origin
        census.stop(deadline: .after(profile.exitDeadline))
        trace = tracing.flatMap { $0.finish() }
        // what the kernel does not tell user space (its creation attempts and their failures,
        // the task_work behind them, when its first worker ran) stays empty; its creations,
        // retries, hops and punts are there when its tracepoints could be read
        let observed = (try? trace?.get()) ?? nil
        var counters = CounterSnapshot.zero(observedBy: observed == nil ? .liveKernel : [.liveKernel, .kernelTrace])
        let workers = census.counts
        censusCounts = workers
        censusTIDs = census.tids
        counters[.threadsCreatedOnDemand] = workers.created
        counters[.workersPeak] = workers.peak
        counters[.workersLive] = workers.live
        counters[.signalsSent] = injector.sent
        counters[.signalsDelivered] = KernelSignalInjector.delivered - deliveredBefore
        counters[.signalsInEnter] = KernelSignalInjector.deliveredInEnter - inEnterBefore
        if let firstSignal = injector.firstSentAt { counters[.firstSignalAt] = Int(firstSignal) } else { counters.markUnobserved([.firstSignalAt]) }
        // the trace counts every creation; the census can miss a worker that lived < 1 ms
        observed?.fill(&counters)
        result.counters = counters
        teardownStart = monotonicNanoseconds()

        if plan.exitAfter != nil {
            // exit-under-fire: leave with the requests in flight; the kernel's exit path for this
            // task cancels them, and the caller reads the outcomes once the thread has gone
            handedOver = (ring, resources)
            return
        }
        tally(resources)
        if result.hung { result.hangKind = HangKind(workersAtDeadline) }
        tearDown(ring, resources)
        if result.exitHung && !result.hung { result.hangKind = .unknown }
    }

    /// Submits the plan's requests in order (at their arrival times, open loop), writes the pipes
    /// that release them, and reaps completions until all completed, the deadline passed, or (exit
    /// under fire) the exit window closed. Waits never exceed 2 ms, so a due event is never missed.
    /// Cancels whatever is still pending and waits (until the exit deadline) for it to complete;
    /// then closes the ring. A ring with requests still pending is left open, with its resources,
    /// and counts as an exit hang.
    func tearDown(_ ring: KernelRing, _ resources: KernelResources) {
        let deadline = Deadline.after(profile.exitDeadline)
        if pendingCount > 0 {
            _ = ring.cancelEverything()
            while pendingCount > 0 && !deadline.hasPassed {
                reap(ring)
                if pendingCount > 0 { _ = ring.wait(nanoseconds: 2_000_000) }
            }
        }
        guard pendingCount == 0 else {
            result.exitHung = true
            return
        }
        ring.close()
        resources.release()
    }
}

/// Entry point of a kernel trial's thread.
func kernelTrialEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<KernelTrial>.fromOpaque(argument!).takeRetainedValue().run()
    return nil
}
