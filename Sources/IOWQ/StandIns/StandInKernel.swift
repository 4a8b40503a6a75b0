import Synchronization

/// How the kernel stand-ins behave for one pool: faults, signals and their seed.
public struct StandInKernelConfiguration: Sendable, Hashable {
    public var faults: FaultPlan
    public var signals: SignalSchedule
    public var seed: UInt64

    public init(faults: FaultPlan = .none, signals: SignalSchedule = .none, seed: UInt64 = 1) {
        self.faults = faults
        self.signals = signals
        self.seed = seed
    }

    public func validate() throws(ConfigurationError) {
        try faults.validate()
        try signals.validate()
    }
}

/// The stand-in kernel one pool runs on: its task, the system workqueue, thread creation, worker
/// allocation, the fault plan and the signal injector, with the counters they all share. ("Kernel"
/// alone, in Harness, means a real one: the live kernel row, the guests' kernels, their versions.)
public final class StandInKernel: Sendable {
    public let task: SubmitterTask
    public let configuration: StandInKernelConfiguration
    public let counters: Counters
    let workqueue: SystemWorkqueue
    let threads: ThreadFactory
    let allocator: WorkerAllocator
    let injector: SignalInjector
    private let kworkerStopped = Atomic<Bool>(false)
    /// When the first submission came (0: not yet); only the task touches it.
    private let workBeganAt = Atomic<UInt64>(0)

    /// Builds the services on the task's own thread. `fatalSignalError` is what thread creation
    /// returns while a fatal signal is pending. docs/model.md says EINTR (the check in
    /// copy_process); the kernels of the seed's era returned ERESTARTNOINTR first (a226abcd5d42's
    /// message: "each retry failing with -ERESTARTNOINTR because a signal is pending"), and the seed
    /// lineage selects that (`WorkerCreationStrategy.fatalSignalError`, passed by `PoolSession`),
    /// which is what makes its fatal-signal retry loop reproducible.
    public init(task: SubmitterTask, configuration: StandInKernelConfiguration = StandInKernelConfiguration(),
                fatalSignalError: Errno = .EINTR) throws(ConfigurationError) {
        try configuration.validate()
        precondition(task.isCurrentThread, "kernel services are set up on their task")
        self.task = task
        self.configuration = configuration
        counters = task.counters
        let faults = FaultInjector(plan: configuration.faults, seed: configuration.seed)
        injector = SignalInjector(schedule: configuration.signals, task: task, seed: configuration.seed)
        threads = ThreadFactory(task: task, faults: faults, injector: injector, counters: counters,
                                fatalSignalError: fatalSignalError)
        allocator = WorkerAllocator(faults: faults, counters: counters, warming: MemoryLayout<WorkerSlot>.stride)
        workqueue = SystemWorkqueue()
    }

    /// The first submission: the task returns to user space, delivering what setup left pending,
    /// and, when its schedule can send anything, takes its signals at user level from now on
    /// (`SubmitterTask.enterFromUserSpace`), as the kernel row's submitter does; then the timed
    /// signal schedule starts (the clock handshake runs in user space, in both rows). The
    /// submission's entry then blocks them: a signal sent during the handshake or still on its
    /// way is pending in the batch and fails its inline creations. Cheap after the first call:
    /// one atomic load per submission.
    @inline(__always) func beginWork() {
        guard workBeganAt.load(ordering: .relaxed) == 0 else { return }
        workBeganAt.store(monotonicNanoseconds(), ordering: .relaxed)
        if configuration.signals != .none { task.handlesSignalsInUserSpace = true }
        task.returnToUser()
        injector.beginWork()
    }

    /// The work is over (all completed, or its deadline passed): the timed schedule stops, so the
    /// signals counted are the ones sent while the work ran. Returns the work window, from the
    /// first submission to now (nil if nothing was submitted) and how many signals the timed
    /// schedule sent in it. On the task.
    public func endWork(deadline: Deadline) -> (windowNanoseconds: UInt64?, timedSignals: Int) {
        injector.stop(deadline: deadline)
        let began = workBeganAt.load(ordering: .relaxed)
        return (began == 0 ? nil : monotonicNanoseconds() - began, injector.timedSent)
    }

    /// Bytes of worker records still allocated.
    public var liveRecordBytes: Int { allocator.liveBytes }

    /// Stops the injector and the kworker. Call after the pool has exited (or was abandoned).
    public func shutdown(deadline: Deadline) {
        injector.stop(deadline: deadline)
        kworkerStopped.store(workqueue.shutdown(deadline: deadline), ordering: .releasing)
    }

    /// Returns the record arena to jemalloc, once `liveRecordBytes` has been read. Only after a
    /// clean exit (no worker can touch a record) and a stopped kworker; otherwise it does nothing.
    public func releaseRecordMemory() {
        if kworkerStopped.load(ordering: .acquiring) { allocator.destroy() }
    }
}
