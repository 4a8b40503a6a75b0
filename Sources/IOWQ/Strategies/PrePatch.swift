/// Linux 5.14 before the seed: creation inline on enqueue, and from the sleep path through
/// task_work; any failure gives the slot back and gives up. If that leaves the group without a
/// worker, the queued item sits there until more work arrives: a hang.
public struct PrePatch: InlineCreating {
    public let name = "pre-patch"
    public let idlePolicy = IdlePolicy.waitWithTimeout
    /// Added with the seed's fixes in 5.15.
    let rechecksExitAfterQueueing = false

    public init() {}

    public func noFreeWorker(for item: WorkItem, in group: GroupKind, of pool: IOWorkQueue) {
        _ = createIfNeeded(for: item, in: group, of: pool)
    }

    func createWorker(in group: GroupKind, of pool: IOWorkQueue) -> Bool {
        guard let worker = pool.allocateWorker(for: group) else {
            pool.releaseReservation(in: group)
            return false
        }
        guard pool.startWorker(worker) != nil else { return true }
        pool.freeWorker(worker)
        pool.releaseReservation(in: group)
        return false
    }

    public func cancelQueuedCreations(of pool: IOWorkQueue) {
        pool.cancelQueuedCreateRequests([CreateRequest.sleepPath.callback]) { _, _ in }
    }
}
