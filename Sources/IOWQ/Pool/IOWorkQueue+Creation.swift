/// The building blocks strategies compose: each is one step of the kernel's creation paths, with
/// its accounting, so a strategy reads as the sequence of steps it takes.
extension IOWorkQueue {
    /// io_wqe_create_worker's accounting: takes a worker slot in `group` if it is below its cap.
    /// The slot counts as a worker and as running until the creation succeeds or is given back.
    /// A create request that already holds a running count and a reference passes `accounted`.
    func reserveWorker(in group: GroupKind, accounted: Bool = false) -> Bool {
        lock.withLock {
            guard groups[group.rawValue].workers < groups[group.rawValue].maxWorkers else { return false }
            groups[group.rawValue].workers += 1
            if !accounted {
                groups[group.rawValue].running += 1
                workerRefs += 1
            }
            if firstCreationAt == 0 { firstCreationAt = monotonicNanoseconds() }
            return true
        }
    }

    /// create_io_worker's `fail:` path: gives a reserved slot back.
    func releaseReservation(in group: GroupKind) {
        lock.withLock { releaseReservationLocked(in: group) }
    }

    /// A create request that will not become a worker gives back what io_queue_worker_create took
    /// for it: the group's running count (atomic_dec(&acct->nr_running)) and the pool's reference
    /// (io_worker_ref_put). Lock held.
    func giveBackCreateRequestLocked(in group: GroupKind) {
        groups[group.rawValue].running -= 1
        putWorkerRefLocked()
    }

    func releaseReservationLocked(in group: GroupKind) {
        groups[group.rawValue].workers -= 1
        giveBackCreateRequestLocked(in: group)
    }

    /// kzalloc: a fresh worker record for `group`, or nil on ENOMEM.
    func allocateWorker(for group: GroupKind) -> Worker? {
        guard let slot = kernel.allocator.allocate(WorkerSlot.self) else { return nil }
        slot.initialize(to: WorkerSlot(group: group, pool: self, record: WorkerRecord(createGroup: group)))
        return Worker(slot)
    }

    /// kfree.
    func freeWorker(_ worker: Worker) {
        let slot = worker.slot
        slot.deinitialize(count: 1)
        kernel.allocator.free(slot)
    }

    /// create_io_thread then io_init_new_worker: makes the thread on the task and, if that worked,
    /// puts the worker on the lists and lets it run. Returns the error otherwise.
    func startWorker(_ worker: Worker) -> Errno? {
        if let error = kernel.threads.createThread(workerThreadEntry, worker.argument) { return error }
        counters.threadCreated(atSetup: settingUp)
        lock.withLock {
            worker.record.pointee.flags.insert(.free)
            freeList.append(worker)
            allList.append(worker)
            worker.record.pointee.started = true
        }
        worker.unpark()
        return nil
    }

    /// io_queue_worker_create: asks the task to create a worker for `group`, by queueing `request`
    /// with `worker`'s record as task_work. The caller holds a slot's running count and a pool
    /// reference; on failure both are given back here. Called without the lock.
    ///
    /// The exit bit is tested without the lock, as the kernel tests IO_WQ_BIT_EXIT: exit does not
    /// take the pool's lock to set it, so a request can be queued just after exit took the queued
    /// ones back, and then nobody drops its reference. `recheckExit` is the 5.15 fix (71a85387546e):
    /// test again after queueing and take back what exit missed. Returns whether it was queued.
    func queueCreateRequest(_ worker: Worker, for group: GroupKind, _ request: CreateRequest, recheckExit: Bool) -> Bool {
        var queued = false
        lock.lock()
        // raced with exit, or this record already owns a queued request
        if !exitFlag.load(ordering: .sequentiallyConsistent) && !worker.record.pointee.createPending {
            if let widen = raceHooks.afterExitTest {
                lock.unlock()
                widen()
                lock.lock()
            }
            worker.record.pointee.createPending = true
            worker.record.pointee.createGroup = group
            queued = kernel.task.addTaskWork(request.callback, worker.argument, notify: true)
            if queued { counters.bump(.createRequestsViaTaskWork) } else { clearCreatePendingLocked(worker) }
        }
        if !queued { giveBackCreateRequestLocked(in: group) }
        lock.unlock()
        // exit may have taken the queued requests back between the test and the queueing
        if queued && recheckExit && exitFlag.load(ordering: .sequentiallyConsistent) {
            strategy.cancelQueuedCreations(of: self)
        }
        return queued
    }

    /// Ends a record's create request; an exiting worker waiting for it may go on.
    func clearCreatePendingLocked(_ worker: Worker) {
        worker.record.pointee.createPending = false
        worker.unpark()
    }

    /// Raises `group`'s running count and the pool reference for a request about to be made.
    func accountCreateRequestLocked(in group: GroupKind) {
        groups[group.rawValue].running += 1
        workerRefs += 1
    }

    /// io_worker_ref_put: the last reference lets exit finish.
    func putWorkerRefLocked() {
        workerRefs -= 1
        if workerRefs == 0 { workersDone.unpark() }
        // a creation given up or a worker gone: the task may look again at `isCertainlyStuck`
        kernel.task.wake()
    }

    /// Cancels every pending item of `group`: removed from the list, then completed as cancelled.
    /// Enters and returns with the lock held; drops it around each completion.
    func cancelAllPendingLocked(in group: GroupKind) {
        while let item = groups[group.rawValue].pending.removeFirst(where: { _ in true }) {
            lock.unlock()
            complete(item, .cancelled)
            lock.lock()
        }
    }

    /// Removes `item` if it is still pending in its group; returns whether it was.
    func removePendingLocked(_ item: WorkItem) -> Bool {
        groups[item.group.rawValue].pending.removeFirst(where: { $0 === item }) != nil
    }

    /// Reads a group's counts under the lock.
    func groupCounts(_ group: GroupKind) -> (workers: Int, running: Int) {
        lock.withLock { (groups[group.rawValue].workers, groups[group.rawValue].running) }
    }
}
