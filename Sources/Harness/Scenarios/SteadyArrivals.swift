#if canImport(Glibc)
import Glibc
#endif
import IOWQ

/// Open-loop Poisson arrivals: each item has a scheduled arrival time drawn up front, is submitted
/// at that time (or as soon after as the task can), and its latency counts from the schedule, so a
/// stalled submitter cannot hide latency (no coordinated omission).
struct SteadyArrivals {
    let arrivals: [UInt64]  // nanoseconds after the start

    init(rate: Double, duration: Duration, seed: UInt64) {
        var random = SeededRandom(seed: seed ^ 0x57EAD)
        var arrivals: [UInt64] = []
        let end = Double(duration.nanoseconds)
        var t = 0.0
        while arrivals.count < 1_000_000 {
            t += random.poissonGapNanoseconds(perSecond: rate)
            if t >= end { break }
            arrivals.append(UInt64(t))
        }
        self.arrivals = arrivals
    }

    func workload(itemDeadline: Duration, block: Duration) -> Workload {
        let items = arrivals.indices.map { ItemBodies.blocking(flags: .concurrent, tag: $0, block: block) }
        let span = Duration.nanoseconds(Int64(arrivals.last ?? 0))
        return Workload(items: items, deadline: span + itemDeadline, submit: { pool, task, items, _ in
            let start = monotonicNanoseconds()
            for (item, offset) in zip(items, arrivals) {
                let due = start &+ offset
                if monotonicNanoseconds() < due {
                    task.wait(until: { false }, deadline: Deadline(nanoseconds: due))
                }
                item.submittedAt = due
                pool.submit(CollectionOfOne(item))
            }
        })
    }
}
