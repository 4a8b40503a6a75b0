#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import Synchronization

/// task_work: callbacks queued on the task (create requests), run on its way back to user space.
extension SubmitterTask {
    /// Queues `callback` to run on the task (task_work_add). With `notify` the task is woken if it
    /// waits (TWA_SIGNAL). Fails once the task has exited.
    func addTaskWork(_ callback: Callback, _ argument: UnsafeMutableRawPointer, notify: Bool = true) -> Bool {
        let added = lock.withLock {
            guard !exited else { return false }
            taskWork.append(QueuedCallback(callback: callback, argument: argument))
            taskWorkQueued.store(true, ordering: .releasing)
            return true
        }
        if added && notify { parker.unpark() }
        return added
    }

    /// How many queued task_works match.
    func countTaskWork(matching matches: (QueuedCallback) -> Bool) -> Int {
        lock.withLock { taskWork.count(where: matches) }
    }

    /// Removes and returns the first queued task_work that `matches` (task_work_cancel_match).
    func cancelTaskWork(matching matches: (QueuedCallback) -> Bool) -> QueuedCallback? {
        lock.withLock {
            guard let index = taskWork.firstIndex(where: matches) else { return nil }
            defer { taskWorkQueued.store(!taskWork.isEmpty, ordering: .releasing) }
            return taskWork.remove(at: index)
        }
    }

    public var hasTaskWork: Bool { taskWorkQueued.load(ordering: .acquiring) }
    public var queuedTaskWorkCount: Int { lock.withLock { taskWork.count } }

    /// Runs everything queued, including what the callbacks queue meanwhile (task_work_run).
    public func runTaskWork() {
        assertOnTask()
        while true {
            let batch: [QueuedCallback] = lock.withLock {
                if taskWork.isEmpty { return [] }
                let batch = taskWork
                taskWork.removeAll(keepingCapacity: true)
                taskWorkQueued.store(false, ordering: .releasing)
                return batch
            }
            if batch.isEmpty { return }
            for work in batch { work.run() }
        }
    }
}
