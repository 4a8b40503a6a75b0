import CPoolShims

/// A fixed schedule for measurements: the calling thread is pinned to the CPU it runs on and made
/// `SCHED_BATCH` (a woken thread does not preempt its waker), and every thread it creates later
/// (a pool's workers, a kworker) inherits both. Costs then read as the CPU's own work in a fixed
/// order, not as the wake-up latency of an idle vCPU, which on a VM swings a futex round trip
/// several-fold from one run to the next. The perf gate's probes and the micro benchmarks use it.
public enum MeasurementPinning {
    /// Pins the calling thread; returns its CPU, or nil when the affinity or policy was refused.
    @discardableResult
    public static func pinCurrentThread() -> Int? {
        let cpu = iowq_pin_to_current_cpu_batch()
        return cpu >= 0 ? Int(cpu) : nil
    }
}
