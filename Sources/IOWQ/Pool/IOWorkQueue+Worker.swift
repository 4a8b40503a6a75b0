#if canImport(Glibc)
import Glibc
#endif
import CPoolShims

/// Entry point of every worker thread: a plain function, as thread entry points must be.
func workerThreadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let worker = Worker(argument: argument!)
    worker.pool.runWorker(worker)
    return nil
}

extension IOWorkQueue {
    /// io_wqe_worker: the worker loop.
    func runWorker(_ worker: Worker) {
        iowq_block_all_signals()
        let group = worker.group.rawValue
        let idlePolicy = strategy.idlePolicy
        lock.lock()
        // wake_up_new_task: run only once the creator has put the record on the lists
        while !worker.record.pointee.started {
            lock.unlock()
            worker.park(until: .never)
            lock.lock()
        }
        counters.workerStarted()
        if firstCreationAt != 0 {
            let elapsed = monotonicNanoseconds() &- firstCreationAt
            counters.recordFirstWorker(nanoseconds: elapsed)
        }
        worker.record.pointee.flags.formUnion([.up, .running])
        if let hold = raceHooks.beforeFirstWork {
            lock.unlock()
            hold()
            lock.lock()
        }

        while !exiting {
            if groups[group].hasRunnableWork, let first = takeNextWorkLocked(group) {
                markBusyLocked(worker)
                runChainLocked(first, on: worker)
                continue
            }
            if idlePolicy == .exit { break }
            // __io_worker_idle, then sleep (the scheduler's io_wq_worker_sleeping drops running)
            if !worker.record.pointee.flags.contains(.free) {
                worker.record.pointee.flags.insert(.free)
                freeList.append(worker)
            }
            worker.record.pointee.flags.remove(.running)
            groups[group].running -= 1
            worker.record.pointee.sleeping = true
            let deadline: Deadline = idlePolicy == .waitWithTimeout ? .after(configuration.idleTimeout) : .never
            lock.unlock()
            let notified = worker.park(until: deadline)
            lock.lock()
            let woken = notified || !worker.record.pointee.sleeping
            worker.record.pointee.sleeping = false
            worker.record.pointee.flags.insert(.running)
            groups[group].running += 1
            if !woken && !exiting && groups[group].workers > 1 {
                break  // timed out, and not the last worker of the group
            }
        }
        exitWorkerLocked(worker)
    }

    /// io_get_next_work: the next runnable item of `group` and, for hashed work, its whole chain,
    /// removed from the list. Items of a busy hash are skipped; if nothing else is left the group is
    /// marked stalled until a chain finishes.
    func takeNextWorkLocked(_ group: Int) -> WorkItem? {
        var previous: WorkItem?
        var node = groups[group].pending.head
        var skippedBusyHash = false
        while let item = node {
            guard let bucket = item.hashBucket else {
                groups[group].pending.remove(item, after: previous)
                return item
            }
            let bit: UInt64 = 1 << UInt64(bucket)
            if busyHashes & bit == 0 {
                busyHashes |= bit
                _ = groups[group].pending.removeChain(startingAt: item, after: previous)
                return item
            }
            skippedBusyHash = true
            previous = groups[group].pending.lastPending(inBucket: bucket)
            node = previous?.next
        }
        if skippedBusyHash { groups[group].stalled = true }
        return nil
    }

    private func markBusyLocked(_ worker: Worker) {
        guard worker.record.pointee.flags.contains(.free) else { return }
        worker.record.pointee.flags.remove(.free)
        removeFromFreeListLocked(worker)
    }

    private func removeFromFreeListLocked(_ worker: Worker) {
        if let index = freeList.lastIndex(of: worker) { freeList.remove(at: index) }
    }

    /// io_worker_handle_work: runs `first` and the rest of its chain, completing each item. Enters
    /// and returns with the lock held; drops it around every body.
    private func runChainLocked(_ first: WorkItem, on worker: Worker) {
        var next: WorkItem? = first
        while let item = next {
            next = item.next
            item.next = nil
            worker.record.pointee.currentWork = item
            lock.unlock()
            let outcome = item.body(WorkContext(worker: worker, item: item))
            complete(item, outcome)
            lock.lock()
            worker.record.pointee.currentWork = nil
        }
        if let bucket = first.hashBucket {
            busyHashes &= ~(1 << UInt64(bucket))
            let group = worker.group
            if groups[group.rawValue].stalled {
                // io_wqe_hash_wake: the chain that stalled the group is done
                groups[group.rawValue].stalled = false
                _ = activateFreeWorkerLocked(group)
            }
        }
    }

    /// io_worker_exit: leaves the lists and the counts, waits for its own create request to finish
    /// (the kernel's ref_done), frees the record and drops its pool reference. Enters with the lock.
    private func exitWorkerLocked(_ worker: Worker) {
        let group = worker.group.rawValue
        if worker.record.pointee.flags.contains(.free) { removeFromFreeListLocked(worker) }
        if let index = allList.firstIndex(of: worker) { allList.remove(at: index) }
        if worker.record.pointee.flags.contains(.running) { groups[group].running -= 1 }
        groups[group].workers -= 1
        worker.record.pointee.flags = []
        while worker.record.pointee.createPending {
            lock.unlock()
            worker.park(until: .never)
            lock.lock()
        }
        lock.unlock()
        // off every list, so no new wake can claim it; wait out the wakes already claimed (RCU)
        while wakesInFlight.load(ordering: .acquiring) > 0 { sched_yield() }
        counters.workerExited()
        freeWorker(worker)
        lock.withLock { putWorkerRefLocked() }
    }

    // MARK: the sleep hooks

    /// io_wq_worker_sleeping: the worker is about to block inside `blocking { }`. If that leaves its
    /// group with nobody running while work is pending, the strategy is asked for a worker; the
    /// request is accounted as running at once, as the kernel's atomic_dec_and_test + inc does.
    func workerSleeping(_ worker: Worker, onOtherWork: Bool = false) {
        let group = worker.group.rawValue
        lock.lock()
        // in the same critical section as the creation decision below, so that a pool seen with
        // every worker waiting on other work has already asked for any worker it will ask for
        worker.record.pointee.waitsOnOtherWork = onOtherWork
        defer {
            // this worker may have been the last that could move: the task may look again
            if onOtherWork { kernel.task.wake() }
        }
        guard worker.record.pointee.flags.contains(.running) else {
            lock.unlock()
            return
        }
        worker.record.pointee.flags.remove(.running)
        groups[group].running -= 1
        if groups[group].running == 0 && groups[group].hasRunnableWork {
            strategy.lastRunningWorkerSleepsLocked(worker, in: self)
        }
        lock.unlock()
    }

    /// io_wq_worker_running: the worker is back from `blocking { }`.
    func workerRunning(_ worker: Worker) {
        lock.withLock {
            worker.record.pointee.waitsOnOtherWork = false
            guard !worker.record.pointee.flags.contains(.running) else { return }
            worker.record.pointee.flags.insert(.running)
            groups[worker.group.rawValue].running += 1
        }
    }
}
