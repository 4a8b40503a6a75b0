/// Seeded, deterministic faults for thread creation and worker allocation: the same plan and seed
/// give the same faults on every run.
public struct FaultPlan: Sendable, Hashable, CustomStringConvertible {
    /// Probability that a thread creation attempt fails with EAGAIN.
    public var eagainProbability: Double
    /// Probability that a worker allocation fails with ENOMEM.
    public var enomemProbability: Double
    /// Thread creation attempts (1-based, counted per pool) that fail with the given error.
    public var failingAttempts: [Int: Errno]
    /// Every thread creation attempt after the first N fails with EAGAIN (nil: none): a process
    /// that has reached its thread limit, the interposer's `fail-after:N`.
    public var failAfter: Int?

    public init(eagainProbability: Double = 0, enomemProbability: Double = 0, failingAttempts: [Int: Errno] = [:],
                failAfter: Int? = nil) {
        self.eagainProbability = eagainProbability
        self.enomemProbability = enomemProbability
        self.failingAttempts = failingAttempts
        self.failAfter = failAfter
    }

    public static let none = FaultPlan()

    /// The probabilities `eagain:P` and `enomem:P` take.
    public static let probabilities = Bound<Double>(0...1, "a probability")
    /// The attempts `fail-nth:N:ERRNO` names (1-based).
    public static let attempts = Bound<Int>(1...1_000_000, "a creation attempt number")
    /// The attempts `fail-after:N` lets through.
    public static let attemptsBefore = Bound<Int>(0...1_000_000, "a number of creation attempts")

    public static func eagain(_ probability: Double) -> FaultPlan { FaultPlan(eagainProbability: probability) }
    public static func enomem(_ probability: Double) -> FaultPlan { FaultPlan(enomemProbability: probability) }
    public static func failNth(_ attempt: Int, _ error: Errno) -> FaultPlan { FaultPlan(failingAttempts: [attempt: error]) }
    public static func failAfter(_ attempts: Int) -> FaultPlan { FaultPlan(failAfter: attempts) }

    public func validate() throws(ConfigurationError) {
        _ = try Self.probabilities.check(eagainProbability)
        _ = try Self.probabilities.check(enomemProbability)
        for attempt in failingAttempts.keys { _ = try Self.attempts.check(attempt) }
        if let n = failAfter { _ = try Self.attemptsBefore.check(n) }
    }

    public var description: String {
        var parts: [String] = []
        if eagainProbability > 0 { parts.append("eagain:" + eagainProbability.parameterText) }
        if enomemProbability > 0 { parts.append("enomem:" + enomemProbability.parameterText) }
        for (n, e) in failingAttempts.sorted(by: { $0.key < $1.key }) { parts.append("fail-nth:\(n):\(e.name)") }
        if let n = failAfter { parts.append("fail-after:\(n)") }
        return parts.isEmpty ? "none" : parts.joined(separator: "+")
    }
}

/// The fault plan at run time: draws are serialised so that the sequence depends on the seed only.
final class FaultInjector: @unchecked Sendable {
    let plan: FaultPlan
    private let lock = Lock()
    private var random: SeededRandom

    init(plan: FaultPlan, seed: UInt64) {
        self.plan = plan
        random = SeededRandom(seed: seed ^ 0xFA17_FA17)
    }

    /// The fault for creation attempt `attempt` (1-based), if any.
    func creationFault(attempt: Int) -> Errno? {
        if let error = plan.failingAttempts[attempt] { return error }
        if let n = plan.failAfter, attempt > n { return .EAGAIN }
        guard plan.eagainProbability > 0 else { return nil }
        return lock.withLock { random.nextUnit() < plan.eagainProbability } ? .EAGAIN : nil
    }

    /// Whether the next worker allocation fails.
    func allocationFails() -> Bool {
        guard plan.enomemProbability > 0 else { return false }
        return lock.withLock { random.nextUnit() < plan.enomemProbability }
    }
}
