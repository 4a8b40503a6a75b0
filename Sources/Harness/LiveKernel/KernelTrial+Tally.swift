#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import CURing
import IOWQ
import Synchronization

/// What the requests became: outcomes, latencies and the hashed files' order, once reaping stops.
extension KernelTrial {
    /// Outcomes as they stand (nothing yet: hung), latency of the ok ones, and hashed order.
    func tally(_ resources: KernelResources) {
        var histogram = LatencyHistogram()
        var firstSubmit = UInt64.max
        var lastCompletion: UInt64 = 0
        result.items.ok = 0
        result.items.cancelled = 0
        result.items.failed = 0
        result.items.hung = 0
        for index in outcomes.indices {
            switch outcomes[index] {
            case nil:
                result.items.hung += 1
            case let res? where res >= 0:
                result.items.ok += 1
                histogram.record(completedAt[index] &- submittedAt[index])
                firstSubmit = min(firstSubmit, submittedAt[index])
                lastCompletion = max(lastCompletion, completedAt[index])
            case .some(-ECANCELED):
                result.items.cancelled += 1
            default:
                result.items.failed += 1
            }
        }
        // each request is in exactly one bucket, so the gate need not check that they add up
        precondition(result.items.addsUp, "the tally lost or double-counted a request")
        result.latencies = histogram.pairs
        result.elapsedNanoseconds = lastCompletion > firstSubmit ? lastCompletion - firstSubmit : 0
        result.items.completedTwice = completedTwice
        result.orderViolations = (0..<plan.files).reduce(0) { $0 + orderViolations(file: $1, resources) }
        if var counters = result.counters {
            counters[.itemsOK] = result.items.ok
            counters[.itemsCancelled] = result.items.cancelled
            counters[.itemsFailed] = result.items.failed
            counters[.completedTwice] = completedTwice
            result.counters = counters
        }
    }

    /// Positions of a hashed file that do not hold the write submitted in that place.
    private func orderViolations(file: Int, _ resources: KernelResources) -> Int {
        let expected = plan.hashedOrder(file: file).filter { outcomes[$0].map { $0 >= 0 } ?? false }.map(UInt64.init)
        let written = resources.tags(inFile: file)
        let mismatched = zip(expected, written).filter { $0 != $1 }.count
        return mismatched + abs(expected.count - written.count)
    }
}
