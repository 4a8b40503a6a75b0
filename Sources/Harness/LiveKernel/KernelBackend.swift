import IOWQ

/// The live kernel's row: the same workloads through io_uring with IOSQE_ASYNC, on the running
/// kernel's own io-wq (KernelAnchor). It sees the threads it finds in /proc and the signals it
/// sends and handles, and where tracefs can be written (root) each trial's creations, retries,
/// hops and punts through a private trace instance (KernelTrace); never the creation attempts
/// that gave up, nor a failure's errno.
struct KernelBackend: SerialBackend {
    var observer: Counter.Observers { .liveKernel }

    func refusal(_ spec: ConfigurationSpec) -> String? {
        if spec.signals.parts.contains(where: { if case .fatal = $0 { true } else { false } }) {
            return "a fatal signal would kill the whole benchmark process, and no other signal makes the kernel treat the task as dying"
        }
        if spec.signals.parts.contains(where: { if case .storm = $0 { true } else { false } }) {
            return "the kernel creates its workers inside io_uring_enter, out of user space's sight, so a signal before every creation cannot be sent (a signal per submission is another schedule); use a timed one"
        }
        if spec.faults != .none {
            return "the kernel's thread creation (create_io_thread) and worker allocation cannot be made to fail from user space"
        }
        return nil
    }

    /// Says once, before the sweep, why the trace's counters will be empty.
    func checkLaunchable() throws(ConfigurationError) {
        KernelTrace.reportUnavailabilityOnce()
    }

    func runTrial(_ spec: ConfigurationSpec, trial: Int, seed: UInt64, profile: Profile) -> TrialResult {
        KernelAnchor.run(spec, trial: trial, seed: seed, profile: profile)
    }
}
