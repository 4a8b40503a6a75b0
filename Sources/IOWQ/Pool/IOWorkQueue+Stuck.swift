extension IOWorkQueue {
    /// Nothing can ever complete the queued work: work is queued, no creation is in flight (no
    /// request on the task or a kworker, no retry waiting for its delay), and every live worker is
    /// blocked on work that only queued items could release, or there is none. New workers come
    /// only from an enqueue, a worker going to sleep, or a request in flight; so once the caller
    /// has submitted all it will, the pool stays as it is until a cancel. A hang that is certain
    /// can end its trial at once instead of waiting out the deadline.
    public var isCertainlyStuck: Bool {
        lock.withLock {
            guard !exiting, groups.contains(where: { !$0.pending.isEmpty }) else { return false }
            guard creationsInFlightLocked == 0 else { return false }
            return allList.allSatisfy { $0.record.pointee.waitsOnOtherWork }
        }
    }
}
