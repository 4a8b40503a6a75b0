#if canImport(Glibc)
import Glibc
#endif
import IOWQ
import Synchronization

/// One item handed to a peer pool, with the times the trial reads back.
final class PeerItem: Sendable {
    /// When it was due: its submission, or in `steady` its scheduled arrival.
    let dueAt = Atomic<UInt64>(0)
    let startedAt = Atomic<UInt64>(0)
    let completedAt = Atomic<UInt64>(0)
}

/// The chain's latch: every item waits until all N are running at once, so the chain completes
/// only when the pool runs N threads together (not a pipe between neighbours: no item can finish
/// early and free its thread for the next).
final class ChainLatch: Sendable {
    let count: Int
    let arrived = Atomic<Int>(0)
    /// A blocked item gives up here, long after its trial has been read, so no thread spins for ever.
    let giveUpAt: UInt64

    init(count: Int, giveUpAt: UInt64) {
        self.count = count
        self.giveUpAt = giveUpAt
    }

    func arriveAndWait() {
        arrived.wrappingAdd(1, ordering: .acquiringAndReleasing)
        while arrived.load(ordering: .acquiring) < count && monotonicNanoseconds() < giveUpAt {
            ItemBodies.sleepMicros(50)
        }
    }
}

/// A scenario made concrete for a peer pool: the scenarios that need nothing of io-wq (first-worker,
/// burst, chain, steady), their items, and when each is submitted.
struct PeerWorkload {
    var items: [PeerItem]
    /// Offsets from the start at which items are submitted (steady); nil: all at once.
    var arrivals: [UInt64]?
    /// How long the items may take before the pending ones count as hung.
    var deadline: Duration
    var block: Duration
    var latch: ChainLatch?

    /// Why a peer cannot run `scenario`, or nil.
    static func unsupported(_ scenario: Scenario) -> String? {
        switch scenario {
        case .firstWorker, .burst, .chain, .steady: nil
        case .sleepers: "a peer pool has no sleep hook: an item that blocks is just a busy thread (burst shows it)"
        case .hashed: "a peer pool has no hashed work (a serial queue per hash would measure the queue, not thread creation)"
        case .mixed: "a peer pool has no bound and unbound groups"
        case .exitUnderFire: "a peer pool has no exit that meets a queued creation; its threads live as long as the process"
        }
    }

    static func make(_ scenario: Scenario, profile: Profile, seed: UInt64) -> PeerWorkload {
        let shape = scenario.shape
        var workload = PeerWorkload(items: [], arrivals: nil, deadline: profile.itemDeadline, block: shape.block, latch: nil)
        switch scenario {
        case .steady(let rate):
            let steady = SteadyArrivals(rate: rate, duration: profile.steadyDuration, seed: seed)
            workload.arrivals = steady.arrivals
            workload.deadline = .nanoseconds(Int64(steady.arrivals.last ?? 0)) + profile.itemDeadline
        case .chain(let n):
            workload.latch = ChainLatch(count: n, giveUpAt: monotonicNanoseconds() &+ (profile.itemDeadline + .seconds(30)).nanoseconds)
        default:
            break
        }
        workload.items = (0..<Workload.itemCount(scenario, profile: profile, seed: seed)).map { _ in PeerItem() }
        return workload
    }

    /// The body of `item`: it blocks for the shape's time, or at the chain's latch.
    func body(_ item: PeerItem, progress: PeerProgress) -> @Sendable () -> Void {
        let micros = UInt32(block.nanoseconds / 1000)
        let latch = latch
        return {
            item.startedAt.store(monotonicNanoseconds(), ordering: .releasing)
            progress.add(.started)
            if let latch { latch.arriveAndWait() } else { ItemBodies.sleepMicros(micros) }
            item.completedAt.store(monotonicNanoseconds(), ordering: .releasing)
            progress.add(.completed)
        }
    }
}
