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
    private(set) var submittedAt: [UInt64]
    private(set) var completedAt: [UInt64]
    private(set) var outcomes: [Int32?]
    private var completed = 0
    private var completedTwice = 0

    init(spec: ConfigurationSpec, trial: Int, seed: UInt64, profile: Profile, plan: KernelRequestPlan, forcedSetupError: Int32?) {
        self.spec = spec
        self.plan = plan
        self.profile = profile
        self.forcedSetupError = forcedSetupError
        restartsSystemCalls = trial % 2 == 0
        result = TrialResult(spec: spec, trial: trial, seed: seed)
        result.saRestart = restartsSystemCalls
        result.itemsSubmitted = plan.requests.count
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
        let injector = KernelSignalInjector(schedule: spec.signals, seed: result.seed, restart: restartsSystemCalls)
        let deliveredBefore = KernelSignalInjector.delivered

        drive(ring, resources, injector)

        injector.stop(deadline: .after(profile.exitDeadline))
        census.stop(deadline: .after(profile.exitDeadline))
        var counters = CounterSnapshot.zero
        let workers = census.counts
        counters.threadsCreatedOnDemand = workers.created
        counters.workersPeak = workers.peak
        counters.workersLive = workers.live
        counters.signalsSent = injector.sent
        counters.signalsDelivered = KernelSignalInjector.delivered - deliveredBefore
        result.counters = counters
        teardownStart = monotonicNanoseconds()

        if plan.exitAfter != nil {
            // exit-under-fire: leave with the requests in flight; the kernel's exit path for this
            // task cancels them, and the caller reads the outcomes once the thread has gone
            handedOver = (ring, resources)
            return
        }
        tally(resources)
        tearDown(ring, resources)
    }

    /// Submits the plan's requests in order (at their arrival times, open loop), writes the pipes
    /// that release them, and reaps completions until all completed, the deadline passed, or (exit
    /// under fire) the exit window closed. Waits never exceed 2 ms, so a due event is never missed.
    private func drive(_ ring: KernelRing, _ resources: KernelResources, _ injector: KernelSignalInjector) {
        let count = plan.requests.count
        var releasesByRequest: [Int: [KernelRequestPlan.Release]] = [:]
        for release in plan.releases { releasesByRequest[release.after, default: []].append(release) }
        var dueReleases: [(due: UInt64, pipe: Int, bytes: Int)] = []

        let start = monotonicNanoseconds()
        var stopAt = start &+ plan.deadline.nanoseconds
        if let window = plan.exitAfter { stopAt = min(stopAt, start &+ window.nanoseconds) }
        var next = 0

        while true {
            var now = monotonicNanoseconds()
            while let first = dueReleases.first, first.due <= now {
                resources.fill(pipe: first.pipe, bytes: first.bytes)
                dueReleases.removeFirst()
            }
            if next < count, now < stopAt {
                let due = plan.requests[next].arrival.map { start &+ $0 } ?? now
                if due <= now {
                    injector.beforeSubmission()
                    let submitted = submit(next, ring, resources, giveUpAt: stopAt)
                    submittedAt[next] = plan.isOpenLoop ? due : submitted
                    for release in releasesByRequest[next] ?? [] {
                        let item = (due: submitted &+ release.delay.nanoseconds, pipe: release.pipe, bytes: release.bytes)
                        let position = dueReleases.firstIndex { $0.due > item.due } ?? dueReleases.endIndex
                        dueReleases.insert(item, at: position)
                    }
                    next += 1
                    reap(ring)
                    continue
                }
            }
            reap(ring)
            if completed == count && next == count { return }
            now = monotonicNanoseconds()
            if now >= stopAt { return }
            var until = stopAt
            if next < count, let arrival = plan.requests[next].arrival { until = min(until, start &+ arrival) }
            if let first = dueReleases.first { until = min(until, first.due) }
            if until > now {
                if ring.wait(nanoseconds: min(until - now, 2_000_000)) == -EINTR { result.waitInterruptions += 1 }
            }
        }
    }

    /// Prepares and submits request `index`, retrying a submission interrupted or refused for
    /// the moment; returns when it was first tried. A request that never gets in fails with the
    /// submission's errno.
    private func submit(_ index: Int, _ ring: KernelRing, _ resources: KernelResources, giveUpAt: UInt64) -> UInt64 {
        let at = monotonicNanoseconds()
        var rc = ring.submit(tag: UInt64(index)) { sqe in
            prepare(sqe, plan.requests[index].operation, index, resources)
        }
        while rc <= 0 && (rc == -EINTR || rc == -EAGAIN || rc == -EBUSY || rc == 0) && monotonicNanoseconds() < giveUpAt {
            if rc == -EINTR { result.waitInterruptions += 1 }
            rc = ring.flush()
            if rc == 0 { break }  // the request is in; nothing was left to submit
        }
        if rc < 0 {
            outcomes[index] = rc
            completedAt[index] = monotonicNanoseconds()
            completed += 1
        }
        return at
    }

    private func prepare(_ sqe: UnsafeMutablePointer<io_uring_sqe>, _ operation: KernelRequestPlan.Operation, _ index: Int,
                         _ resources: KernelResources) {
        switch operation {
        case .nop:
            io_uring_prep_nop(sqe)
        case .readPipe(let pipe):
            io_uring_prep_read(sqe, resources.pipes[pipe].read, resources.buffer(index), 1, 0)
        case .splice(let from, let to):
            let output = to.map { resources.pipes[$0].write } ?? resources.devNull
            io_uring_prep_splice(sqe, resources.pipes[from].read, -1, output, -1, 1, 0)
        case .appendToFile(let file):
            io_uring_prep_write(sqe, resources.files[file], resources.buffer(index), 8, UInt64.max)
        }
    }

    /// Takes every posted completion (not the ring's own cancel requests).
    func reap(_ ring: KernelRing) {
        let now = monotonicNanoseconds()
        ring.drain { tag, res in
            guard tag != iou_cancel_tag, let index = Int(exactly: tag), index < outcomes.count else { return }
            if outcomes[index] != nil {
                completedTwice += 1
                return
            }
            outcomes[index] = res
            completedAt[index] = now
            completed += 1
        }
    }

    var pendingCount: Int { outcomes.count - completed }

    /// Outcomes as they stand (nothing yet: hung), latency of the ok ones, and hashed order.
    func tally(_ resources: KernelResources) {
        var histogram = LatencyHistogram()
        var firstSubmit = UInt64.max
        var lastCompletion: UInt64 = 0
        result.itemsOK = 0
        result.itemsCancelled = 0
        result.itemsFailed = 0
        result.itemsHung = 0
        for index in outcomes.indices {
            switch outcomes[index] {
            case nil:
                result.itemsHung += 1
            case let res? where res >= 0:
                result.itemsOK += 1
                histogram.record(completedAt[index] &- submittedAt[index])
                firstSubmit = min(firstSubmit, submittedAt[index])
                lastCompletion = max(lastCompletion, completedAt[index])
            case .some(-ECANCELED):
                result.itemsCancelled += 1
            default:
                result.itemsFailed += 1
            }
        }
        // each request is in exactly one bucket, so the gate need not check that they add up
        precondition(result.itemsOK + result.itemsCancelled + result.itemsFailed + result.itemsHung == result.itemsSubmitted,
                     "the tally lost or double-counted a request")
        result.latencies = histogram.pairs
        result.elapsedNanoseconds = lastCompletion > firstSubmit ? lastCompletion - firstSubmit : 0
        result.itemsCompletedTwice = completedTwice
        result.orderViolations = (0..<plan.files).reduce(0) { $0 + orderViolations(file: $1, resources) }
        if var counters = result.counters {
            counters.itemsOK = result.itemsOK
            counters.itemsCancelled = result.itemsCancelled
            counters.itemsFailed = result.itemsFailed
            counters.completedTwice = completedTwice
            result.counters = counters
        }
    }

    /// Positions of a hashed file that do not hold the write submitted in that place.
    private func orderViolations(file: Int, _ resources: KernelResources) -> Int {
        let expected = plan.hashedOrder(file: file).filter { outcomes[$0].map { $0 >= 0 } ?? false }.map(UInt64.init)
        let written = resources.tags(inFile: file)
        let mismatched = zip(expected, written).filter { $0 != $1 }.count
        return mismatched + abs(expected.count - written.count)
    }

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
