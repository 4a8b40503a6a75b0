#if canImport(Glibc)
import Glibc
#endif
import PropertyBased
import Testing
@testable import IOWQ

@Suite struct CancellationTests {
    /// One bound worker: a running item that stops when told, and three items queued behind it.
    @Test func cancelReachesPendingAndRunningWork() throws {
        let started = Recorder(false)
        let ((count, outcomes), report) = try withPool(Eager(), pool: .init(maxBoundWorkers: 1, maxUnboundWorkers: 1)) { pool, task in
            let deadline = Deadline.after(completionDeadline)
            let running = WorkItem(tag: 0) { context in
                started.update { $0 = true }
                let stopped = context.blocking { poll(until: deadline) { context.isCancelled } }
                return stopped ? .cancelled : .ok
            }
            let queued = (1...3).map { noopItem(tag: $0) }
            pool.enqueue(running)
            _ = poll(until: deadline) { started.current }
            for item in queued { pool.enqueue(item) }
            let count = pool.cancel(matching: { _ in true })
            task.waitForCompletions(4, deadline: deadline)
            return (count, ([running] + queued).map(\.outcome))
        }
        #expect(count == CancelCount(pending: 3, running: 1))
        #expect(outcomes == [.cancelled, .cancelled, .cancelled, .cancelled])
        #expect(report.counters[.completedTwice] == 0)
    }

    @Test func cancelByMatchLeavesTheRest() throws {
        let (outcomes, _) = try withPool(Eager(), pool: .init(maxBoundWorkers: 1, maxUnboundWorkers: 1)) { pool, task in
            let gate = Recorder(false)
            let deadline = Deadline.after(completionDeadline)
            let first = WorkItem(tag: 0) { context in
                _ = context.blocking { poll(until: deadline) { gate.current } }
                return .ok
            }
            let rest = (1...4).map { noopItem(tag: $0) }
            pool.enqueue(first)
            for item in rest { pool.enqueue(item) }
            pool.cancel(matching: { $0.tag % 2 == 0 && $0.tag > 0 })
            gate.update { $0 = true }
            task.waitForCompletions(5, deadline: deadline)
            return ([first] + rest).map(\.outcome)
        }
        #expect(outcomes == [.ok, .ok, .cancelled, .ok, .cancelled])
    }

    @Test func exitCompletesQueuedItemsAsCancelled() throws {
        let ((queued, exit), report) = try withPool(Eager(), pool: .init(maxBoundWorkers: 1, maxUnboundWorkers: 1)) { pool, _ in
            let started = Recorder(false)
            let running = WorkItem(tag: 0) { context in
                started.update { $0 = true }
                _ = context.blocking { poll(until: .after(completionDeadline)) { pool.isExiting } }
                return .ok
            }
            let queued = (1...5).map { noopItem(tag: $0) }
            pool.enqueue(running)
            _ = poll(until: .after(completionDeadline)) { started.current }
            for item in queued { pool.enqueue(item) }
            let exit = pool.exit(deadline: .after(completionDeadline))
            return (queued.map(\.outcome), exit)
        }
        #expect(exit == .clean)
        #expect(queued.allSatisfy { $0 == .cancelled })
        #expect(report.counters[.itemsOK] == 1)
    }

    @Test func enqueueAfterExitIsCancelledAtOnce() throws {
        let (outcome, _) = try withPool(PrePatch()) { pool, _ in
            _ = pool.exit(deadline: .after(completionDeadline))
            let item = noopItem()
            pool.enqueue(item)
            return item.outcome
        }
        #expect(outcome == .cancelled)
    }

    /// Conservation under random faults: every submitted item is ok, cancelled, failed or still
    /// pending, never two of them, and after a clean exit nothing is pending.
    @Test(arguments: [Naive(), PrePatch(), Eager()] as [any WorkerCreationStrategy])
    func everyItemCompletesExactlyOnce(strategy: any WorkerCreationStrategy) async {
        let plans = Gen.int(in: 0...5)
        await propertyCheck(count: 12, input: plans, Gen.int(in: 1...1_000_000), Gen.int(in: 1...24)) { planIndex, seed, itemCount in
            let kernel: StandInKernelConfiguration = switch planIndex {
            case 0: .init(seed: UInt64(seed))
            case 1: .init(faults: .eagain(0.3), seed: UInt64(seed))
            case 2: .init(faults: .enomem(0.3), seed: UInt64(seed))
            case 3: .init(faults: .failNth(1 + seed % 4, .EAGAIN), seed: UInt64(seed))
            case 4: .init(signals: .oneShot, seed: UInt64(seed))
            default: .init(faults: FaultPlan(eagainProbability: 0.2, enomemProbability: 0.2), signals: .oneShot, seed: UInt64(seed))
            }
            var random = SeededRandom(seed: UInt64(seed))
            let shapes = (0..<itemCount).map { _ in (random.next() % 4, random.next() % 3) }
            guard let ((atDeadline, afterExit), report) = try? withPool(strategy, kernel: kernel, { pool, task in
                let items = shapes.enumerated().map { index, shape in
                    let flags: WorkItem.Flags = shape.0 == 1 ? .unbound : []
                    return shape.1 == 0 ? noopItem(flags: flags, hashKey: Int(shape.0), tag: index) : blockingItem(flags: flags, tag: index, micros: 100)
                }
                for item in items { pool.enqueue(item) }
                pool.cancel(matching: { $0.tag % 5 == 4 })
                task.waitForCompletions(items.count, deadline: .after(.milliseconds(200)))
                let atDeadline = Tally(items)
                pool.cancel(matching: { _ in true })
                _ = pool.exit(deadline: .after(completionDeadline))
                return (atDeadline, Tally(items))
            }) else {
                #expect(strategy is Eager, "only eager may refuse to start")
                return
            }
            #expect(atDeadline.total == itemCount)
            #expect(atDeadline.twice == 0)
            #expect(afterExit.pending == 0)
            #expect(afterExit.twice == 0)
            #expect(afterExit.total == itemCount)
            #expect(report.counters[.completedTwice] == 0)
            #expect(report.exit == .clean)
        }
    }
}

/// Items counted by outcome, by reading each item.
struct Tally: Sendable {
    var ok = 0, cancelled = 0, failed = 0, pending = 0, twice = 0

    init(_ items: [WorkItem]) {
        for item in items {
            if item.completionCount > 1 { twice += 1 }
            switch item.outcome {
            case .ok: ok += 1
            case .cancelled: cancelled += 1
            case .failed: failed += 1
            case nil: pending += 1
            }
        }
    }

    var total: Int { ok + cancelled + failed + pending }
}
