#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import IOWQ

/// Delayed work on the jiffy grid: __queue_delayed_work's `expires = jiffies + delay` (6.1.192
/// kernel/workqueue.c:1674) filed one tick later by calc_index (kernel/time/timer.c:528), so a
/// timer armed in tick k with d jiffies fires at the start of tick k + d + 1.
@Suite struct SystemWorkqueueTests {
    @Test func aDelayIsWholeJiffiesAndFiresOnATickBoundary() {
        let grid = JiffyGrid(hz: 250)
        #expect(grid.tickNanoseconds == 4_000_000)
        #expect(grid.dueTick(armedAt: 0, delay: 2) == 3, "armed on a boundary: 3 ticks on")
        #expect(grid.dueTick(armedAt: 3_999_999, delay: 2) == 3, "armed at the end of tick 0: the same boundary")
        #expect(grid.dueTick(armedAt: 4_000_000, delay: 2) == 4)
        #expect(grid.start(of: 3) == 12_000_000)
        // msecs_to_jiffies(n * 5), the 6.14 backoff
        #expect([5, 10, 15, 20].map { grid.jiffies(milliseconds: $0) } == [2, 3, 4, 5])
        #expect([5, 10, 15, 20].map { JiffyGrid(hz: 1000).jiffies(milliseconds: $0) } == [5, 10, 15, 20])
        #expect([5, 10, 15, 20].map { JiffyGrid(hz: 100).jiffies(milliseconds: $0) } == [1, 1, 2, 2])
    }

    static let ran = Recorder<[(number: Int, tick: UInt64)]>([])
    static let record = Callback("record") { argument in
        let tick = JiffyGrid(hz: 250).tick(at: monotonicNanoseconds())
        ran.update { $0.append((Int(bitPattern: argument), tick)) }
    }

    /// B waits 3 jiffies, armed in tick k; A waits 2, armed in a later tick (k + 1 when nothing
    /// holds this thread up): both fire at the start of tick k + 4, and run in the order they were
    /// queued, B first, though A's 8 ms from its arming end before B's 12 ms from its own. C,
    /// queued at once, runs first. Neither runs before its tick.
    @Test func workDueInOneTickRunsInQueueOrder() {
        let grid = JiffyGrid(hz: 250)
        let workqueue = SystemWorkqueue()
        defer { workqueue.shutdown(deadline: .after(.seconds(5))) }
        Self.ran.update { $0 = [] }
        let deadline = Deadline.after(.seconds(10))
        let bArmed = grid.tick(at: monotonicNanoseconds())
        workqueue.schedule(Self.record, UnsafeMutableRawPointer(bitPattern: 2)!, afterJiffies: 3, on: grid)
        _ = poll(until: deadline) { grid.tick(at: monotonicNanoseconds()) > bArmed }
        let aArmed = grid.tick(at: monotonicNanoseconds())
        workqueue.schedule(Self.record, UnsafeMutableRawPointer(bitPattern: 1)!, afterJiffies: 2, on: grid)
        workqueue.schedule(Self.record, UnsafeMutableRawPointer(bitPattern: 3)!)
        #expect(poll(until: deadline) { Self.ran.current.count == 3 })
        let ran = Self.ran.current
        #expect(ran.map(\.number) == [3, 2, 1], "C at once, then B and A in queue order: \(ran)")
        let tick = Dictionary(uniqueKeysWithValues: ran.map { ($0.number, $0.tick) })
        #expect(tick[2]! >= bArmed + 4, "B ran before its tick")
        #expect(tick[1]! >= aArmed + 3, "A ran before its tick")
    }
}
