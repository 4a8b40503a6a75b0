import IOWQ

/// A fault plan as libIOWQThreadInterposer.so spells it (docs/interposer.md): it fails
/// `pthread_create` with EAGAIN only, by one plan at a time.
enum InterposerPlan {
    enum Mapping: Equatable {
        /// The value of IOWQ_THREAD_FAULTS.
        case plan(String)
        /// Why the plan cannot be injected into a real pool.
        case failure(String)
    }

    static func make(_ faults: FaultPlan) -> Mapping {
        if faults.enomemProbability > 0 {
            return .failure("a peer pool allocates no worker record the harness could fail; only pthread_create can fail (EAGAIN)")
        }
        if faults.failingAttempts.values.contains(where: { $0 != .EAGAIN }) {
            return .failure("the interposer fails pthread_create with EAGAIN, its only documented transient error; use fail-nth:N:EAGAIN")
        }
        var plans: [String] = []
        if faults.eagainProbability > 0 { plans.append("eagain:" + faults.eagainProbability.parameterText) }
        for attempt in faults.failingAttempts.keys.sorted() { plans.append("fail-nth:\(attempt)") }
        if let n = faults.failAfter { plans.append("fail-after:\(n)") }
        switch plans.count {
        case 0: return .plan("none")
        case 1: return .plan(plans[0])
        default: return .failure("the interposer takes one plan at a time, not \(plans.joined(separator: " and "))")
        }
    }
}
