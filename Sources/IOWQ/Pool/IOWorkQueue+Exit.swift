/// The result of `IOWorkQueue.exit(deadline:)`.
public enum ExitResult: Sendable, Equatable {
    /// Every worker and in-flight creation let go; what was still pending completed as cancelled.
    case clean
    /// The deadline passed with workers or creations still holding the pool: an exit hang.
    case hung
}

/// What `cancel(matching:)` did.
public struct CancelCount: Sendable, Equatable {
    /// Pending items removed and completed as cancelled.
    public var pending = 0
    /// Running items told to stop.
    public var running = 0
}

extension IOWorkQueue {
    /// io_wq_cancel_cb: pending items that match are removed and completed as cancelled; running
    /// ones are told to stop (their body sees `isCancelled`) and complete as they return.
    @discardableResult
    public func cancel(matching matches: (WorkItem) -> Bool) -> CancelCount {
        var count = CancelCount()
        lock.lock()
        for group in GroupKind.allCases {
            while let item = groups[group.rawValue].pending.removeFirst(where: matches) {
                lock.unlock()
                complete(item, .cancelled)
                count.pending += 1
                lock.lock()
            }
        }
        for worker in allList {
            if let item = worker.record.pointee.currentWork, matches(item) {
                item.cancelRequested.store(true, ordering: .relaxed)
                count.running += 1
            }
        }
        lock.unlock()
        return count
    }

    /// io_wq_exit_workers then io_wq_destroy, on the task: set the exit bit, take back the create
    /// requests still queued as task_work, wake every worker, drop the pool's own reference and wait
    /// for the workers and creations to let go; then cancel whatever is still pending.
    ///
    /// The wait does not run task_work (the kernel's wait_for_completion does not either): a create
    /// request that exit failed to take back holds a reference nobody will drop, and exit hangs.
    /// With `givingUpWhenCertain`, exit stops waiting as soon as that is certain (`exitEndedEarly`),
    /// rather than at the deadline.
    public func exit(deadline: Deadline, givingUpWhenCertain: Bool = false) -> ExitResult {
        // set_bit(IO_WQ_BIT_EXIT): without the pool's lock, as the kernel sets it, so a create
        // request tested before this store may be queued after the cancel below
        exitFlag.store(true, ordering: .sequentiallyConsistent)
        strategy.cancelQueuedCreations(of: self)
        raceHooks.afterExitCancel?()
        lock.withLock {
            exiting = true
            for worker in allList {
                worker.record.pointee.sleeping = false
                worker.unpark()
            }
            holdsOwnReference = false
            putWorkerRefLocked()
        }
        var certainOnce = false
        while lock.withLock({ workerRefs > 0 }) {
            if deadline.hasPassed { return .hung }
            if givingUpWhenCertain {
                // twice, a slice apart: a kworker that has just queued a request may still be
                // about to take it back again (the 5.16 re-check)
                let certain = exitCannotFinish
                if certain && certainOnce {
                    exitEndedEarly = true
                    return .hung
                }
                certainOnce = certain
            }
            workersDone.park(until: givingUpWhenCertain ? min(deadline, .after(.milliseconds(2))) : deadline)
        }
        lock.lock()
        for group in GroupKind.allCases { cancelAllPendingLocked(in: group) }
        lock.unlock()
        return .clean
    }

    /// Every reference still held is a create request queued on the task, which exit's wait never
    /// runs, and no worker is left: nothing can drop them.
    var exitCannotFinish: Bool {
        let (references, workers) = lock.withLock { (workerRefs, allList.count) }
        guard references > 0, workers == 0 else { return false }
        return kernel.task.countTaskWork { Worker(argument: $0.argument).pool === self } == references
    }

    /// task_work_cancel_match for this pool's create requests: removes each queued request whose
    /// callback is one of `callbacks` (or none, when `matchNever`), then `undo`es it with the lock
    /// held. The shared half of every strategy's exit cancel.
    func cancelQueuedCreateRequests(_ callbacks: [Callback], matchNever: Bool = false, undo: (Worker, Callback) -> Void) {
        while let queued = kernel.task.cancelTaskWork(matching: { queued in
            guard !matchNever, callbacks.contains(where: { $0 === queued.callback }) else { return false }
            return Worker(argument: queued.argument).pool === self
        }) {
            let worker = Worker(argument: queued.argument)
            lock.withLock {
                giveBackCreateRequestLocked(in: worker.record.pointee.createGroup)
                clearCreatePendingLocked(worker)
                undo(worker, queued.callback)
            }
        }
    }
}
