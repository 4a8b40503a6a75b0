import IOWQ

/// One trial in this process, whatever runs it: its seed, the refusal of a configuration its
/// backend cannot run, and the CPU time it took.
public enum TrialRunner {
    /// The seed of trial `trial`: the same for every strategy, so they meet the same faults.
    public static func seed(base: UInt64, trial: Int) -> UInt64 {
        var random = SeededRandom(seed: base &+ UInt64(trial) &* 0x9E37_79B9_7F4A_7C15)
        return random.next()
    }

    /// Trial `trial` of `spec` as its backend runs it here; a configuration the backend refuses
    /// measures nothing, and its note says why.
    public static func run(_ spec: ConfigurationSpec, trial: Int, baseSeed: UInt64, profile: Profile) -> TrialResult {
        if let reason = Applicability.reason(spec) {
            var result = TrialResult(spec: spec, trial: trial, seed: seed(base: baseSeed, trial: trial))
            result.note = reason
            return result
        }
        return timed(spec, trial: trial, baseSeed: baseSeed, profile: profile)
    }

    /// The trial with the CPU time this process spent on it.
    static func timed(_ spec: ConfigurationSpec, trial: Int, baseSeed: UInt64, profile: Profile) -> TrialResult {
        let cpuBefore = CPUTime.now()
        var result = spec.strategy.backend.runTrial(spec, trial: trial, seed: seed(base: baseSeed, trial: trial), profile: profile)
        let cpu = CPUTime.now() - cpuBefore
        result.cpuUserSeconds = cpu.user
        result.cpuSystemSeconds = cpu.system
        return result
    }
}
