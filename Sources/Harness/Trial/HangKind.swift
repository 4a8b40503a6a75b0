import IOWQ

/// Why a stuck trial was stuck, read from the pool at the deadline. Each kind is one of the ways
/// io-wq has hung upstream; docs/csv.md and the README tell their stories.
public enum HangKind: String, CaseIterable, Codable, Sendable {
    /// Work queued, no worker in its group, no creation in flight: nothing will ever run it. The
    /// pre-patch hang, when the only creation failed on a pending signal.
    case noWorker = "no-worker"
    /// Every worker of a group with hung work is blocked inside an item and nobody creates another:
    /// the chain hang, once creation has given up (the retry limit of 6.11 and later).
    case workersBlocked = "workers-blocked"
    /// A creation still bouncing between the kworker and the task: a livelock, not a wait.
    case retrying
    /// Exit waits for a create request that nobody will cancel: the seed's exit hang.
    case exitWaiting = "exit-waiting"
    /// A peer pool (whose state cannot be read) with items that never ran, a creation failed, and
    /// creations still being attempted through the trial's last part: retried (libdispatch, once a
    /// second).
    case creationRetrying = "creation-retrying"
    /// A peer pool with items that never ran after a creation failed and nothing tried again: the
    /// failure was dropped (Foundation's Thread.start()).
    case creationDropped = "creation-dropped"
    /// Stuck, but the pool's state fits none of the above (or, on the kernel, could not be read).
    case unknown

    /// The summary.csv column that counts this kind.
    var summaryColumn: String { "hangs_" + rawValue.replacingOccurrences(of: "-", with: "_") }

    /// What a peer pool shows from outside, from the interposer's counts over the trial's last
    /// part (nothing is submitted then): after a failure, attempts still growing (the failed
    /// creation tried again, whether the next try fails or not) or not (dropped); with no failure,
    /// items blocked inside the threads the pool made. A pool that still adds threads, slowly and
    /// successfully, beside blocked items is `workers-blocked`.
    static func peer(attemptsGrew: Bool, failures: UInt64, itemsBlocked: Bool) -> HangKind {
        if failures > 0 { return attemptsGrew ? .creationRetrying : .creationDropped }
        return itemsBlocked ? .workersBlocked : .unknown
    }

    /// The kind that `pool` shows. Creations in flight come first: while one is, nothing else is
    /// final. Then a group with work and no worker, then one whose every worker is inside an item.
    init(_ pool: PoolSnapshot) {
        if pool.creationsInFlight > 0 {
            self = pool.exiting ? .exitWaiting : .retrying
        } else if pool.groups.contains(where: { $0.pending > 0 && $0.workers == 0 }) {
            self = .noWorker
        } else if pool.groups.contains(where: { $0.workers > 0 && $0.busy == $0.workers }) {
            self = .workersBlocked
        } else {
            self = .unknown
        }
    }
}
