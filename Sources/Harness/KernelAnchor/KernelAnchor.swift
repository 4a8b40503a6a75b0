import IOWQ

/// The `kernel` strategy: the same workloads through io_uring, so the running kernel's own io-wq
/// does the work. (Being built: for now every trial says so.)
enum KernelAnchor {
    static func run(_ spec: ConfigurationSpec, trial: Int, seed: UInt64, profile: Profile) -> TrialResult {
        var result = TrialResult(spec: spec, trial: trial, seed: seed)
        result.note = "kernel anchor unavailable: not built yet"
        return result
    }
}
