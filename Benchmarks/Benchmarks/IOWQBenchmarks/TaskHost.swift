#if canImport(Glibc)
import Glibc
#endif
import IOWQ
import Synchronization

/// Work that a `TaskHost` runs on its task's thread, a batch of iterations at a time.
/// Created, run and finished on the task thread only, as every pool must be.
protocol HostedWork: AnyObject {
    /// Gets ready for the next sample, outside the measured region (a fresh pool, say).
    func prepare()
    /// Runs `iterations` iterations; traps if the pool does not complete in time.
    func run(_ iterations: Int)
    /// Exits the pool and stops the kernel services.
    func finish()
}

extension HostedWork {
    func prepare() {}
}

/// A `SubmitterTask` kept alive for the length of one benchmark, so that a pool can be created in
/// the benchmark's setup and driven from the benchmark's own thread. The task is pinned to one CPU
/// and runs `SCHED_BATCH` (`MeasurementPinning`), and so are the threads it makes: the figures are
/// the CPU's work on a fixed schedule, as the perf gate's are, not an idle vCPU's wake-up latency.
///
/// Pools must be created, used and exited on their task's thread, while package-benchmark calls
/// the measured closure on a thread of its own. `perform(_:)` therefore hands a batch of
/// iterations to the task and waits for it: two futex wakes per call, with no allocation (a
/// generation counter and two `Parker`s). The `round trip` benchmark measures exactly that cost.
final class TaskHost: @unchecked Sendable {
    /// The task's counters: `StandInKernel` uses its task's, so they can be read from here.
    let counters = Counters()

    private let make: @Sendable (SubmitterTask) -> any HostedWork
    private let wake = Parker()
    private let done = Parker()
    private let built = Atomic<Bool>(false)
    private let requested = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let iterations = Atomic<Int>(0)
    private let requestKind = Atomic<Int>(0)
    private var launcher = pthread_t()

    /// Starts the task; `make` builds the work on the task's thread. Returns once it is built.
    init(_ make: @escaping @Sendable (SubmitterTask) -> any HostedWork) {
        self.make = make
        let argument = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&launcher, nil, taskHostEntry, argument)
        precondition(rc == 0, "cannot start the task host thread: errno \(rc)")
        while !built.load(ordering: .acquiring) { done.park() }
    }

    /// Runs `count` iterations on the task and returns when they are done.
    func perform(_ count: Int) { request(.run, count) }

    /// Gets the work ready for the next sample, on the task.
    func prepare() { request(.prepare, 0) }

    /// Finishes the work on the task (pool exit, services shutdown) and joins the task.
    func stop() {
        request(.finish, 0)
        pthread_join(launcher, nil)
    }

    private enum Request: Int {
        case run, prepare, finish
    }

    private func request(_ kind: Request, _ count: Int) {
        let generation = requested.load(ordering: .relaxed) + 1
        iterations.store(count, ordering: .relaxed)
        requestKind.store(kind.rawValue, ordering: .relaxed)
        requested.store(generation, ordering: .releasing)
        wake.unpark()
        while finished.load(ordering: .acquiring) < generation { done.park() }
    }

    /// The launcher thread's body: pinned, it makes the task thread (which inherits the pin) and
    /// returns with it.
    fileprivate func launch() {
        MeasurementPinning.pinCurrentThread()
        SubmitterTask.run(counters: counters) { task in self.serve(task) }
    }

    private func serve(_ task: SubmitterTask) {
        let work = make(task)
        built.store(true, ordering: .releasing)
        done.unpark()
        var served = 0
        while true {
            while requested.load(ordering: .acquiring) == served { wake.park() }
            served += 1
            let kind = Request(rawValue: requestKind.load(ordering: .relaxed))!
            switch kind {
            case .run: work.run(iterations.load(ordering: .relaxed))
            case .prepare: work.prepare()
            case .finish: work.finish()
            }
            finished.store(served, ordering: .releasing)
            done.unpark()
            if kind == .finish { return }
        }
    }
}

private func taskHostEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<TaskHost>.fromOpaque(argument!).takeRetainedValue().launch()
    return nil
}

/// Generous: only reached when something is wrong.
let completionTimeout = Duration.seconds(5)

/// Kernel services with no faults and no signals, built on the task.
func quietServices(_ task: SubmitterTask) -> StandInKernel {
    try! StandInKernel(task: task, configuration: StandInKernelConfiguration())
}

/// A pool in steady state: each iteration enqueues `items` (reused, reset first) and waits for all
/// of them. With one item and one worker this is the handoff to an idle worker; with 64 a burst.
/// With `freshPoolPerSample` the session is replaced (outside the measured region) before every
/// sample and warmed by one untimed iteration: the order in which the scheduler first meets a
/// pool's eight workers can fix a slower pattern for that pool's whole life, and one pool per
/// benchmark would let that decide every sample.
final class SteadyStateWork: HostedWork {
    private let task: SubmitterTask
    private let strategy: any WorkerCreationStrategy
    private let configuration: PoolConfiguration
    private let freshPoolPerSample: Bool
    private var session: PoolSession
    private let items: [WorkItem]
    private var expected = 0

    init(task: SubmitterTask, strategy: any WorkerCreationStrategy, configuration: PoolConfiguration, items count: Int,
         freshPoolPerSample: Bool = false, body: @escaping WorkItem.Body = { _ in .ok }) {
        self.task = task
        self.strategy = strategy
        self.configuration = configuration
        self.freshPoolPerSample = freshPoolPerSample
        session = try! PoolSession(task: task, strategy: strategy, pool: configuration)
        items = (0..<count).map { WorkItem(tag: $0, body: body) }
        expected = task.completedCount
    }

    func prepare() {
        guard freshPoolPerSample else { return }
        finish()
        session = try! PoolSession(task: task, strategy: strategy, pool: configuration)
        run(1)
    }

    func run(_ iterations: Int) {
        for _ in 0..<iterations {
            for item in items { item.reset() }
            for item in items { session.pool.enqueue(item) }
            expected += items.count
            guard task.waitForCompletions(expected, deadline: .after(completionTimeout)) else {
                fatalError("\(items.count) item(s) did not complete within \(completionTimeout)")
            }
        }
    }

    func finish() {
        precondition(session.tearDown(exitDeadline: completionTimeout).exit == .clean, "the pool did not exit")
    }
}

/// The first-worker path: each iteration builds a fresh pool on the same kernel services,
/// enqueues one item, waits for it and exits the pool. The services (kworker thread, record
/// arena) are built once, in setup: they are the kernel's, not the strategy's, so this is the one
/// place that drives pools without a `PoolSession` (which would make a kworker per pool).
final class FirstWorkerWork: HostedWork {
    private let task: SubmitterTask
    private let services: StandInKernel
    private let strategy: any WorkerCreationStrategy
    private let configuration: PoolConfiguration
    private let item = WorkItem { _ in .ok }
    private var expected = 0

    init(task: SubmitterTask, strategy: any WorkerCreationStrategy, configuration: PoolConfiguration) {
        self.task = task
        self.strategy = strategy
        self.configuration = configuration
        services = quietServices(task)
        expected = task.completedCount
    }

    func run(_ iterations: Int) {
        for _ in 0..<iterations {
            let pool = try! IOWorkQueue(kernel: services, strategy: strategy, configuration: configuration)
            item.reset()
            pool.enqueue(item)
            expected += 1
            guard task.waitForCompletions(expected, deadline: .after(completionTimeout)) else {
                fatalError("\(strategy.name): the first item did not complete within \(completionTimeout)")
            }
            precondition(pool.exit(deadline: .after(completionTimeout)) == .clean, "\(strategy.name): the pool did not exit")
        }
    }

    func finish() {
        services.shutdown(deadline: .after(completionTimeout))
    }
}

/// Where `mallocOnce` puts its pointer, so the optimiser cannot drop the malloc/free pair.
let mallocSink = Atomic<Int>(0)

/// A body that makes exactly one malloc (and its free), on the worker thread.
let mallocOnce: WorkItem.Body = { _ in
    let pointer = malloc(64)
    mallocSink.store(Int(bitPattern: pointer), ordering: .relaxed)
    free(pointer)
    return .ok
}

/// The floor: a bare futex round trip between the task and a thread of its own (which inherits
/// the task's pin), the same two wakes a handoff makes, with no pool.
final class BareRoundTripWork: HostedWork {
    private let responder = RoundTripResponder()

    func run(_ iterations: Int) {
        for _ in 0..<iterations { responder.roundTrip(deadline: .after(completionTimeout)) }
    }

    func finish() { responder.stop() }
}
