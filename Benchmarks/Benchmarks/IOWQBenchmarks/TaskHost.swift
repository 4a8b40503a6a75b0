#if canImport(Glibc)
import Glibc
#endif
import IOWQ
import Synchronization

/// Work that a `TaskHost` runs on its task's thread, a batch of iterations at a time.
/// Created, run and finished on the task thread only, as every pool must be.
protocol HostedWork: AnyObject {
    /// Runs `iterations` iterations; traps if the pool does not complete in time.
    func run(_ iterations: Int)
    /// Exits the pool and stops the kernel services.
    func finish()
}

/// A `SubmitterTask` kept alive for the length of one benchmark, so that a pool can be created in
/// the benchmark's setup and driven from the benchmark's own thread.
///
/// Pools must be created, used and exited on their task's thread, while package-benchmark calls
/// the measured closure on a thread of its own. `perform(_:)` therefore hands a batch of
/// iterations to the task and waits for it: two futex wakes per call, with no allocation (a
/// generation counter and two `Parker`s). The `round trip` benchmark measures exactly that cost.
final class TaskHost: @unchecked Sendable {
    /// The task's counters: `KernelServices` uses its task's, so they can be read from here.
    let counters = Counters()

    private let make: @Sendable (SubmitterTask) -> any HostedWork
    private let wake = Parker()
    private let done = Parker()
    private let built = Atomic<Bool>(false)
    private let requested = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let iterations = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
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
    func perform(_ count: Int) {
        let generation = requested.load(ordering: .relaxed) + 1
        iterations.store(count, ordering: .relaxed)
        requested.store(generation, ordering: .releasing)
        wake.unpark()
        while finished.load(ordering: .acquiring) < generation { done.park() }
    }

    /// Finishes the work on the task (pool exit, services shutdown) and joins the task.
    func stop() {
        stopping.store(true, ordering: .releasing)
        perform(0)
        pthread_join(launcher, nil)
    }

    /// The launcher thread's body: SubmitterTask.run makes the task thread and returns with it.
    fileprivate func launch() {
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
            // stop() sets `stopping` before it makes its request: read it for this request only
            let stop = stopping.load(ordering: .acquiring)
            if stop {
                work.finish()
            } else {
                work.run(iterations.load(ordering: .relaxed))
            }
            finished.store(served, ordering: .releasing)
            done.unpark()
            if stop { return }
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
func quietServices(_ task: SubmitterTask) -> KernelServices {
    try! KernelServices(task: task, configuration: KernelConfiguration())
}

/// A long-lived pool: each iteration enqueues `items` (reused, reset first) and waits for all of
/// them. With one item and one worker this is the handoff to an idle worker; with 64 a burst.
final class SteadyStateWork: HostedWork {
    private let task: SubmitterTask
    private let services: KernelServices
    private let pool: IOWorkQueue
    private let items: [WorkItem]
    private var expected = 0

    init(task: SubmitterTask, strategy: any WorkerCreationStrategy, configuration: PoolConfiguration, items count: Int,
         body: @escaping WorkItem.Body = { _ in .ok }) {
        self.task = task
        services = quietServices(task)
        pool = try! IOWorkQueue(kernel: services, strategy: strategy, configuration: configuration)
        items = (0..<count).map { WorkItem(tag: $0, body: body) }
        expected = task.completedCount
    }

    func run(_ iterations: Int) {
        for _ in 0..<iterations {
            for item in items { item.reset() }
            for item in items { pool.enqueue(item) }
            expected += items.count
            guard task.waitForCompletions(expected, deadline: .after(completionTimeout)) else {
                fatalError("\(items.count) item(s) did not complete within \(completionTimeout)")
            }
        }
    }

    func finish() {
        precondition(pool.exit(deadline: .after(completionTimeout)) == .clean, "the pool did not exit")
        services.shutdown(deadline: .after(completionTimeout))
    }
}

/// The first-worker path: each iteration builds a fresh pool on the same kernel services,
/// enqueues one item, waits for it and exits the pool. The services (kworker thread, record
/// arena) are built once, in setup: they are the kernel's, not the strategy's.
final class FirstWorkerWork: HostedWork {
    private let task: SubmitterTask
    private let services: KernelServices
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

/// No pool work at all: what one `TaskHost.perform` costs.
final class EmptyWork: HostedWork {
    func run(_ iterations: Int) {}
    func finish() {}
}
