import Synchronization

/// The io-wq pool (io_wq with its single io_wqe): two accounting groups, their pending work, the
/// workers, and the worker-creation strategy that decides when threads are made.
///
/// All pool state is guarded by one lock (`wqe->lock`), including the running counts that the
/// kernel keeps in atomics: simpler to reason about, and the handoff still costs one lock and one
/// futex wake. Strategies are called without the lock unless their documentation says otherwise.
public final class IOWorkQueue: @unchecked Sendable {
    public let configuration: PoolConfiguration
    public let kernel: StandInKernel
    public let strategy: any WorkerCreationStrategy
    /// Which free worker enqueue counts on: the strategy's, for the kernel it models.
    let activation: FreeWorkerActivation

    /// wqe->lock: guards everything below that is not atomic.
    let lock = Lock()
    var groups: [AccountingGroup]
    /// Idle workers; the most recently idle last.
    var freeList: [Worker] = []
    var allList: [Worker] = []
    /// One bit per hash bucket with a chain running.
    var busyHashes: UInt64 = 0
    var exiting = false
    /// IO_WQ_BIT_EXIT: set by exit first, without the lock, then mirrored in `exiting`.
    let exitFlag = Atomic<Bool>(false)
    /// Exit gave up before its deadline because it could never finish (see `exit`). Task only.
    public internal(set) var exitEndedEarly = false
    /// Where a test may widen a race window; empty in the product.
    var raceHooks = RaceHooks()
    /// worker_refs: live workers plus creations in flight, plus one held until exit.
    var workerRefs = 1
    /// The one reference in `workerRefs` that the pool holds until exit drops it.
    var holdsOwnReference = true
    /// Wakes of a claimed worker made after the lock was dropped and not yet finished. A worker's
    /// record is freed only once this is zero: the grace period the kernel gets from RCU
    /// (io_wqe_activate_free_worker runs under rcu_read_lock, workers are freed with kfree_rcu).
    let wakesInFlight = Atomic<Int>(0)
    let workersDone = Parker()
    /// True while the strategy's setup runs: threads made then count as created at setup.
    var settingUp = true
    /// When the first creation was attempted (for time-to-first-worker).
    var firstCreationAt: UInt64 = 0

    /// Builds the pool on its task and runs the strategy's setup (eager creates its workers here).
    public init(kernel: StandInKernel, strategy: any WorkerCreationStrategy, configuration: PoolConfiguration = PoolConfiguration()) throws {
        try configuration.validate()
        try strategy.validate()
        precondition(kernel.task.isCurrentThread, "a pool is created on its task")
        self.configuration = configuration
        self.kernel = kernel
        self.strategy = strategy
        activation = strategy.freeWorkerActivation
        groups = GroupKind.allCases.map { AccountingGroup(kind: $0, maxWorkers: configuration.maxWorkers($0)) }
        let capacity = configuration.maxBoundWorkers + configuration.maxUnboundWorkers
        freeList.reserveCapacity(capacity)
        allList.reserveCapacity(capacity)
        defer { settingUp = false }
        try strategy.poolDidStart(self)
    }

    var counters: Counters { kernel.counters }

    // MARK: submission

    /// One submission from user space (an io_uring_enter that submits `items`): the task comes
    /// from its own code, where a signal sent to it was handled at once, so what is pending is
    /// delivered before anything is queued (`SubmitterTask.enterFromUserSpace`); then the items
    /// go in with no delivery between them, as io_submit_sqes queues a whole batch in one syscall,
    /// so a signal that arrives inside the batch meets every creation after it. Called on the task.
    public func submit<Items: Sequence<WorkItem>>(_ items: Items) {
        kernel.beginWork()
        kernel.task.enterFromUserSpace()
        for item in items { enqueue(item) }
    }

    /// io_wq_enqueue: queue `item`, wake an idle worker of its group, or let the strategy decide
    /// whether to create one. Called on the task.
    public func enqueue(_ item: WorkItem) {
        // io_queue_iowq's trace point (io_uring_queue_async_work) fires before io_wq_enqueue, for
        // every request, whatever io-wq then does with it: the kernel row's items_punted
        counters.bump(.itemsPunted)
        kernel.beginWork()
        kernel.task.enterKernel()  // io_wq_enqueue is in the kernel, whoever called it
        if item.submittedAt == 0 { item.submittedAt = monotonicNanoseconds() }
        let group = item.group
        lock.lock()
        if exiting || item.flags.contains(.cancel) {
            lock.unlock()
            complete(item, .cancelled)
            return
        }
        groups[group.rawValue].pending.insert(item)
        groups[group.rawValue].stalled = false
        let idle = claimFreeWorkerLocked(group)
        if idle != nil { wakesInFlight.wrappingAdd(1, ordering: .relaxed) }
        lock.unlock()
        // The wake happens after the unlock, as the kernel's does (io_wqe_enqueue drops wqe->lock
        // before io_wqe_activate_free_worker): woken under the lock, the worker would run straight
        // into it and sleep again on the mutex, a second pair of context switches per item.
        guard let idle else {
            strategy.noFreeWorker(for: item, in: group, of: self)
            return
        }
        idle.unpark()
        wakesInFlight.wrappingSubtract(1, ordering: .releasing)
    }

    /// io_wq_activate_free_worker's choice: the most recently freed worker of `group` (the head of
    /// the kernel's free list) that counts under `activation`. A sleeping one is marked woken, so
    /// that its idle timeout does not end it and, before 6.6, nobody else counts on it. The caller
    /// unparks it; for a worker already awake that is a wake that finds it running.
    func claimFreeWorkerLocked(_ group: GroupKind) -> Worker? {
        for worker in freeList.reversed() where worker.group == group {
            if worker.record.pointee.sleeping {
                worker.record.pointee.sleeping = false
                return worker
            }
            // awake: just created, or woken and not yet at work; wake_up_process fails on it
            if activation == .anyOnFreeList { return worker }
        }
        return nil
    }

    /// io_wqe_activate_free_worker under the lock, for the rare callers off the submission path.
    func activateFreeWorkerLocked(_ group: GroupKind) -> Bool {
        guard let worker = claimFreeWorkerLocked(group) else { return false }
        worker.unpark()
        return true
    }

    /// Completes `item` once; a second completion is counted as a defect and changes nothing.
    func complete(_ item: WorkItem, _ outcome: Outcome) {
        guard item.recordCompletion(outcome) else {
            counters.bump(.completedTwice)
            return
        }
        switch outcome {
        case .ok: counters.bump(.itemsOK)
        case .cancelled: counters.bump(.itemsCancelled)
        case .failed: counters.bump(.itemsFailed)
        }
        kernel.task.postCompletion()
    }

    // MARK: observation

    /// Workers alive or being created in `group`.
    public func workerCount(_ group: GroupKind) -> Int { lock.withLock { groups[group.rawValue].workers } }

    /// Worker threads alive now, both groups.
    public var liveWorkers: Int { lock.withLock { allList.count } }

    public var isExiting: Bool { exitFlag.load(ordering: .acquiring) }
}

extension WorkItem {
    var group: GroupKind { flags.contains(.unbound) ? .unbound : .bound }
}

extension IOWorkQueue {
    /// What one worker's record really takes from jemalloc (its size class).
    public static var workerRecordBytes: Int { WorkerAllocator.recordBytes(WorkerSlot.self) }
    /// The stack reserved for each worker thread (virtual; touched pages only are resident).
    public static var workerStackBytes: Int { ThreadFactory.stackSize }
}

/// Points where a test may hold a thread to widen a race window that real timing makes rare.
/// Set before the pool runs any work; never set in the product.
struct RaceHooks {
    /// A create request passed its lock-free exit test and is about to be queued.
    var afterExitTest: (@Sendable () -> Void)?
    /// Exit has taken back the create requests it found queued.
    var afterExitCancel: (@Sendable () -> Void)?
    /// A new worker runs and is about to look for its first work (still on the free list): the
    /// window in which a batch's further enqueues find it there.
    var beforeFirstWork: (@Sendable () -> Void)?
}
