/// The kernel's tick at CONFIG_HZ, on CLOCK_MONOTONIC: tick n starts at n x (10^9 / hz) ns. Real
/// time, not a simulated clock; only the phase of the grid against the kernel's jiffies is
/// arbitrary.
///
/// Delayed work waits on it: __queue_delayed_work sets `expires = jiffies + delay` (6.1.192
/// kernel/workqueue.c:1674), and the timer wheel files the timer one tick later still, so that
/// it never fires early for a timer armed at the edge of a tick (calc_index: `expires = (expires
/// >> LVL_SHIFT(lvl)) + 1`, 6.1.192 kernel/time/timer.c:528). Armed during tick k with a delay of
/// d jiffies, it fires at the start of tick k + d + 1: between d and d + 1 ticks later, and every
/// timer armed in one tick with one delay fires at the same instant.
public struct JiffyGrid: Sendable, Hashable {
    public let hz: Int

    public init(hz: Int) {
        precondition(hz >= 1, "HZ must be at least 1")
        self.hz = hz
    }

    /// One jiffy.
    public var tickNanoseconds: UInt64 { 1_000_000_000 / UInt64(hz) }

    /// The tick `nanoseconds` (CLOCK_MONOTONIC) falls in: the jiffies count then.
    public func tick(at nanoseconds: UInt64) -> UInt64 { nanoseconds / tickNanoseconds }

    /// When tick `tick` starts.
    public func start(of tick: UInt64) -> UInt64 { tick &* tickNanoseconds }

    /// The tick a timer armed at `nanoseconds` with `delay` jiffies (at least 1) fires in.
    public func dueTick(armedAt nanoseconds: UInt64, delay: Int) -> UInt64 {
        precondition(delay >= 1, "a delay of 0 jiffies is queued at once (schedule_work)")
        return tick(at: nanoseconds) + UInt64(delay) + 1
    }

    /// msecs_to_jiffies: milliseconds to whole jiffies, rounded up (6.1.192
    /// include/linux/jiffies.h:310, `(m + (MSEC_PER_SEC / HZ) - 1) / (MSEC_PER_SEC / HZ)` where HZ
    /// divides 1000). Exact for any HZ here: ceil(ms x HZ / 1000).
    public func jiffies(milliseconds: Int) -> Int {
        (milliseconds * hz + 999) / 1000
    }
}
