#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import Synchronization

/// task_work: callbacks queued on the task (create requests), run on its way back to user space.
///
/// LIFO, as the kernel's: task_work_add pushes at the head (6.1.192 kernel/task_work.c:54, "The
/// task_work list is LIFO", :37) and task_work_run runs the list it took from the head (:204).
/// `taskWork` keeps the head last: appended to, run and searched from the end.
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

    /// Removes and returns the queued task_work nearest the head that `matches`, the one queued
    /// last (task_work_cancel_match walks from the head, task_work.c:91).
    func cancelTaskWork(matching matches: (QueuedCallback) -> Bool) -> QueuedCallback? {
        lock.withLock {
            guard let index = taskWork.lastIndex(where: matches) else { return nil }
            defer { taskWorkQueued.store(!taskWork.isEmpty, ordering: .releasing) }
            return taskWork.remove(at: index)
        }
    }

    public var hasTaskWork: Bool { taskWorkQueued.load(ordering: .acquiring) }
    public var queuedTaskWorkCount: Int { lock.withLock { taskWork.count } }

    /// Runs everything queued, including what the callbacks queue meanwhile (task_work_run): the
    /// whole list is taken and run from the head, the last queued first; what its callbacks queue
    /// is a new list, run after it.
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
            for work in batch.reversed() { work.run() }
        }
    }
}
