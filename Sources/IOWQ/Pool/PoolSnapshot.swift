/// The pool at one instant, as a hang diagnosis needs it: for each accounting group, the work
/// waiting, the workers alive and how many of them are inside an item; and the creations that are
/// neither a worker yet nor given up. Taken under the pool's lock, so the counts agree.
public struct PoolSnapshot: Sendable, Equatable, Codable {
    public struct Group: Sendable, Equatable, Codable {
        /// Items queued and not taken by a worker.
        public var pending = 0
        /// Worker threads alive.
        public var workers = 0
        /// Workers running an item; at a deadline, blocked inside it.
        public var busy = 0

        public init(pending: Int = 0, workers: Int = 0, busy: Int = 0) {
            self.pending = pending
            self.workers = workers
            self.busy = busy
        }
    }

    public var groups: [Group]
    /// Create requests queued on the task or a kworker, or being passed between them: each holds a
    /// pool reference (worker_refs) that no live worker accounts for.
    public var creationsInFlight: Int
    /// Exit has begun.
    public var exiting: Bool

    public init(groups: [Group], creationsInFlight: Int, exiting: Bool) {
        self.groups = groups
        self.creationsInFlight = creationsInFlight
        self.exiting = exiting
    }
}

extension IOWorkQueue {
    /// The pool as it stands now, from any thread.
    public func snapshot() -> PoolSnapshot {
        lock.withLock {
            var snapshot = PoolSnapshot(groups: GroupKind.allCases.map { _ in PoolSnapshot.Group() },
                                        creationsInFlight: 0, exiting: exiting)
            for kind in GroupKind.allCases {
                snapshot.groups[kind.rawValue].pending = groups[kind.rawValue].pending.count
            }
            for worker in allList {
                snapshot.groups[worker.group.rawValue].workers += 1
                if worker.record.pointee.currentWork != nil { snapshot.groups[worker.group.rawValue].busy += 1 }
            }
            snapshot.creationsInFlight = creationsInFlightLocked
            return snapshot
        }
    }

    /// Creations neither a worker yet nor given up: worker_refs counts live workers, creations in
    /// flight and the pool's own reference until exit drops it. A worker leaving the list before it
    /// drops its reference counts here for that moment, which errs on the side of "in flight".
    var creationsInFlightLocked: Int { max(0, workerRefs - allList.count - (holdsOwnReference ? 1 : 0)) }
}
