#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import CURing
import IOWQ
import Synchronization

/// Submitting the plan's requests (closed loop, or open loop at their arrival times) and reaping
/// their completions, on the trial thread.
extension KernelTrial {
    func drive(_ ring: KernelRing, _ resources: KernelResources, _ injector: KernelSignalInjector) {
        let count = plan.requests.count
        var releasesByRequest: [Int: [KernelRequestPlan.Release]] = [:]
        for release in plan.releases { releasesByRequest[release.after, default: []].append(release) }
        var dueReleases: [(due: UInt64, pipe: Int, bytes: Int)] = []

        let start = monotonicNanoseconds()
        var stopAt = start &+ plan.deadline.nanoseconds
        if let window = plan.exitAfter { stopAt = min(stopAt, start &+ window.nanoseconds) }
        let batches = plan.batches(capacity: ring.submissionEntries)
        var nextBatch = 0
        var next: Int { nextBatch < batches.count ? batches[nextBatch].lowerBound : count }

        while true {
            var now = monotonicNanoseconds()
            while let first = dueReleases.first, first.due <= now {
                resources.fill(pipe: first.pipe, bytes: first.bytes)
                dueReleases.removeFirst()
            }
            if next < count, now < stopAt {
                let due = plan.requests[next].arrival.map { start &+ $0 } ?? now
                if due <= now {
                    let batch = batches[nextBatch]
                    injector.beforeSubmission()
                    let submitted = submit(batch, ring, resources, giveUpAt: stopAt)
                    for index in batch {
                        submittedAt[index] = plan.isOpenLoop ? due : submitted
                        for release in releasesByRequest[index] ?? [] {
                            let item = (due: submitted &+ release.delay.nanoseconds, pipe: release.pipe, bytes: release.bytes)
                            let position = dueReleases.firstIndex { $0.due > item.due } ?? dueReleases.endIndex
                            dueReleases.insert(item, at: position)
                        }
                    }
                    nextBatch += 1
                    reap(ring)
                    continue
                }
            }
            reap(ring)
            if completed == count && next == count { return }
            now = monotonicNanoseconds()
            if now >= stopAt { return }
            var until = stopAt
            if next < count, let arrival = plan.requests[next].arrival { until = min(until, start &+ arrival) }
            if let first = dueReleases.first { until = min(until, first.due) }
            if until > now {
                if ring.wait(nanoseconds: min(until - now, 2_000_000)) == -EINTR { result.waitInterruptions += 1 }
            }
        }
    }

    /// Prepares requests `batch` and submits them in one io_uring_enter, entering again while one
    /// is interrupted or refused for the moment; returns when they were first tried. Requests that
    /// never get in fail with the submission's errno.
    private func submit(_ batch: Range<Int>, _ ring: KernelRing, _ resources: KernelResources, giveUpAt: UInt64) -> UInt64 {
        let at = monotonicNanoseconds()
        for index in batch {
            let prepared = ring.prepare(tag: UInt64(index)) { sqe in prepare(sqe, plan.requests[index].operation, index, resources) }
            precondition(prepared, "a batch is never larger than the submission queue")
        }
        var taken = 0
        var rc: Int32 = 0
        repeat {
            rc = ring.flush()
            if rc > 0 { taken += Int(rc) }
            if rc == -EINTR { result.waitInterruptions += 1 }
            if rc == 0 { break }  // nothing was left to submit
        } while taken < batch.count && (rc > 0 || rc == -EINTR || rc == -EAGAIN || rc == -EBUSY) && monotonicNanoseconds() < giveUpAt
        if taken < batch.count {
            for index in batch.dropFirst(taken) {
                outcomes[index] = rc < 0 ? rc : -ETIME
                completedAt[index] = monotonicNanoseconds()
                completed += 1
            }
        }
        return at
    }

    private func prepare(_ sqe: UnsafeMutablePointer<io_uring_sqe>, _ operation: KernelRequestPlan.Operation, _ index: Int,
                         _ resources: KernelResources) {
        switch operation {
        case .nop:
            io_uring_prep_nop(sqe)
        case .splice(let from, let to):
            let output = to.map { resources.pipes[$0].write } ?? resources.devNull
            io_uring_prep_splice(sqe, resources.pipes[from].read, -1, output, -1, 1, 0)
        case .appendToFile(let file):
            io_uring_prep_write(sqe, resources.files[file], resources.buffer(index), 8, UInt64.max)
        }
    }

    /// Takes every posted completion (not the ring's own cancel requests).
    func reap(_ ring: KernelRing) {
        let now = monotonicNanoseconds()
        ring.drain { tag, res in
            guard tag != iou_cancel_tag, let index = Int(exactly: tag), index < outcomes.count else { return }
            if outcomes[index] != nil {
                completedTwice += 1
                return
            }
            outcomes[index] = res
            completedAt[index] = now
            completed += 1
        }
    }

    var pendingCount: Int { outcomes.count - completed }
}
