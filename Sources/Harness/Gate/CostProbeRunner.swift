#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import IOWQ
import Synchronization

/// Measures every `CostProbe` on one submitter task, in rounds: each round measures a block of the
/// pool path and then a block of its floor, for every kind, so that a burst of load from elsewhere
/// lands on both halves of a pair. The first round warms caches, thread stacks and the allocator and
/// is discarded.
public struct CostProbeRunner: Sendable {
    /// How many paired rounds, and how much work each block of a round does.
    public struct Plan: Sendable {
        public var rounds: Int
        /// Handoffs (and bare round trips) per block.
        public var handoffs: Int
        /// Pools created (and bare threads created) per block.
        public var pools: Int
        /// Bursts (and blocks of as many bare round trips as a burst has items) per block.
        public var bursts: Int

        public init(rounds: Int, handoffs: Int, pools: Int, bursts: Int) {
            self.rounds = rounds
            self.handoffs = handoffs
            self.pools = pools
            self.bursts = bursts
        }

        /// The gate's plan: 20,000 handoffs, 1,000 pools and 19,200 burst items on each side, in
        /// 100 paired rounds: each median sits on thousands of samples, and the whole plan takes
        /// about a second on this 2-core VM.
        public static let gate = Plan(rounds: 100, handoffs: 200, pools: 10, bursts: 3)
    }

    /// Items per burst, and the idle workers they go to.
    static let burstItems = 64
    static let burstWorkers = 8

    public var plan: Plan

    public init(plan: Plan = .gate) { self.plan = plan }

    /// Runs every probe; each kind's pool and floor come from the same rounds.
    public func run() -> [CostProbe] {
        let plan = self.plan
        return SubmitterTask.run { task in
            MeasurementPinning.pinCurrentThread()
            return CostProbeSession(task: task, plan: plan).measure()
        }
    }
}

/// One run of the probes on the task's thread: the pools, the bare responder thread, and the
/// rounds. Everything is built before the first round, so a round allocates nothing but what the
/// path it measures allocates.
private final class CostProbeSession {
    let task: SubmitterTask
    let plan: CostProbeRunner.Plan
    let responder = RoundTripResponder()
    let services: StandInKernel
    let handoffPool: IOWorkQueue
    let handoffItem = WorkItem { _ in .ok }
    let burstItems: [WorkItem]
    let firstWorkerItem: WorkItem
    let firstWorkerRanAt = Stamp()
    var expected: Int

    static let timeout = Duration.seconds(10)

    init(task: SubmitterTask, plan: CostProbeRunner.Plan) {
        self.task = task
        self.plan = plan
        services = try! StandInKernel(task: task, configuration: StandInKernelConfiguration())
        handoffPool = try! IOWorkQueue(kernel: services, strategy: Eager(),
                                       configuration: PoolConfiguration(maxBoundWorkers: 1, maxUnboundWorkers: 1))
        burstItems = (0..<CostProbeRunner.burstItems).map { WorkItem(tag: $0) { _ in .ok } }
        let stamp = firstWorkerRanAt
        firstWorkerItem = WorkItem { _ in
            stamp.value.store(monotonicNanoseconds(), ordering: .releasing)
            return .ok
        }
        expected = task.completedCount
    }

    func measure() -> [CostProbe] {
        var probes = CostProbe.Kind.allCases.map { CostProbe(kind: $0, pool: [], floor: [], perRound: perRound($0)) }
        for round in 0...plan.rounds {
            for index in probes.indices {
                let (pool, floor) = pair(probes[index].kind)
                guard round > 0 else { continue }  // warm-up
                probes[index].pool.append(pool)
                probes[index].floor.append(floor)
            }
        }
        finish()
        return probes
    }

    /// Operations behind one round's figure of `kind`, on each side.
    private func perRound(_ kind: CostProbe.Kind) -> Int {
        switch kind {
        case .handoff: plan.handoffs
        case .firstWorker: plan.pools
        case .burst: plan.bursts * CostProbeRunner.burstItems
        }
    }

    /// One round of `kind`: the pool's block, then its floor's, nanoseconds per operation.
    private func pair(_ kind: CostProbe.Kind) -> (pool: Double, floor: Double) {
        switch kind {
        case .handoff: (handoffs(plan.handoffs), bareRoundTrips(plan.handoffs))
        case .firstWorker: (firstWorkers(plan.pools), bareThreads(plan.pools))
        case .burst: (bursts(plan.bursts), bareRoundTrips(perRound(.burst)))
        }
    }

    private func finish() {
        responder.stop()
        let deadline = Deadline.after(Self.timeout)
        precondition(handoffPool.exit(deadline: deadline) == .clean, "the handoff pool did not exit")
        services.shutdown(deadline: deadline)
        services.releaseRecordMemory()
    }

    private func waitForCompletions(_ what: String) {
        guard task.waitForCompletions(expected, deadline: .after(Self.timeout)) else {
            fatalError("cost probe: \(what) did not complete within \(Self.timeout)")
        }
    }

    /// Nanoseconds per item: one no-op item at a time to the pool's only worker, idle and parked.
    private func handoffs(_ count: Int) -> Double {
        guard count > 0 else { return 0 }
        let start = monotonicNanoseconds()
        for _ in 0..<count {
            handoffItem.reset()
            handoffPool.enqueue(handoffItem)
            expected += 1
            waitForCompletions("a handoff")
        }
        return Double(monotonicNanoseconds() - start) / Double(count)
    }

    /// Nanoseconds per round trip: wake the parked responder, park until it wakes this thread.
    private func bareRoundTrips(_ count: Int) -> Double {
        guard count > 0 else { return 0 }
        let start = monotonicNanoseconds()
        for _ in 0..<count { responder.roundTrip(deadline: .after(Self.timeout)) }
        return Double(monotonicNanoseconds() - start) / Double(count)
    }

    /// Nanoseconds per item: bursts of no-op items to a pool's idle workers, each until its last
    /// completion. The pool is new each round, after one untimed burst: the order in which the
    /// scheduler first meets its eight workers can fix a slower pattern for the pool's whole life
    /// (seen in about one pool in six), and a pool per round keeps that from deciding the median.
    private func bursts(_ count: Int) -> Double {
        guard count > 0 else { return 0 }
        let workers = CostProbeRunner.burstWorkers
        let pool = try! IOWorkQueue(kernel: services, strategy: Eager(),
                                    configuration: PoolConfiguration(maxBoundWorkers: workers, maxUnboundWorkers: 1))
        burst(pool)
        let start = monotonicNanoseconds()
        for _ in 0..<count { burst(pool) }
        let elapsed = monotonicNanoseconds() - start
        precondition(pool.exit(deadline: .after(Self.timeout)) == .clean, "a burst pool did not exit")
        return Double(elapsed) / Double(count * burstItems.count)
    }

    private func burst(_ pool: IOWorkQueue) {
        for item in burstItems { item.reset() }
        for item in burstItems { pool.enqueue(item) }
        expected += burstItems.count
        waitForCompletions("a burst")
    }

    /// Median nanoseconds from the creation request (the first item's enqueue into a fresh pool of
    /// the seed's strategy, which creates its first worker inline) to the worker running it.
    private func firstWorkers(_ count: Int) -> Double {
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let pool = try! IOWorkQueue(kernel: services, strategy: RetryViaWorkqueue.seed)
            firstWorkerItem.reset()
            let start = monotonicNanoseconds()
            pool.enqueue(firstWorkerItem)
            expected += 1
            waitForCompletions("a first worker")
            samples.append(Double(firstWorkerRanAt.value.load(ordering: .acquiring) &- start))
            precondition(pool.exit(deadline: .after(Self.timeout)) == .clean, "a first-worker pool did not exit")
        }
        return CostProbe.median(samples)
    }

    /// Median nanoseconds from `pthread_create` to the new thread's first instruction.
    private func bareThreads(_ count: Int) -> Double {
        CostProbe.median((0..<count).map { _ in
            guard let nanoseconds = ThreadStart.measure(.likeWorkers, timeout: Self.timeout) else { fatalError("cost probe: pthread_create failed") }
            return Double(nanoseconds)
        })
    }
}

private final class Stamp: Sendable {
    let value = Atomic<UInt64>(0)
}
