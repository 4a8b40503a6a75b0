/// io_wqe_acct: one accounting group's limits, counts and pending work. Guarded by the pool's lock.
struct AccountingGroup {
    let kind: GroupKind
    let maxWorkers: Int
    /// Workers alive plus creations in flight.
    var workers = 0
    /// Workers not sleeping, plus creations in flight: a creation counts as running before its
    /// thread exists, which is what stops a second creation for the same need.
    var running = 0
    var pending = WorkList()
    /// Only items of busy hashes are pending: nobody can take work until a chain finishes.
    var stalled = false

    init(kind: GroupKind, maxWorkers: Int) {
        self.kind = kind
        self.maxWorkers = maxWorkers
    }

    /// io_acct_run_queue: there is work a worker could take now.
    var hasRunnableWork: Bool { !pending.isEmpty && !stalled }
}
