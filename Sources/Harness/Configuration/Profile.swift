/// How long and how often: the quick profile is the default sweep (about three minutes in a release
/// build on two cores); the full profile is for reference runs.
public struct Profile: Sendable, Hashable {
    public let name: String
    public let trials: Int
    /// How long `steady` submits for.
    public let steadyDuration: Duration
    /// How long a trial waits for its items before the pending ones count as hung.
    public let itemDeadline: Duration
    /// How long exit may take before it counts as an exit hang.
    public let exitDeadline: Duration
    public let scenarios: [String]
    public let signals: [String]
    public let faults: [String]

    public static let quick = Profile(
        name: "quick", trials: 5, steadyDuration: .milliseconds(300), itemDeadline: .milliseconds(500),
        exitDeadline: .milliseconds(500),
        scenarios: ["first-worker", "burst:64", "steady:2000", "sleepers", "chain:8", "hashed:4", "mixed", "exit-under-fire"],
        signals: ["none", "one-shot", "storm"],
        faults: ["none"]
    )

    public static let full = Profile(
        name: "full", trials: 30, steadyDuration: .seconds(2), itemDeadline: .seconds(1),
        exitDeadline: .seconds(1),
        scenarios: ["first-worker", "burst:16", "burst:256", "steady:1000", "steady:10000", "sleepers", "chain:8",
                    "hashed:4", "mixed", "exit-under-fire"],
        signals: ["none", "one-shot", "storm", "poisson:100", "poisson:1000", "poisson:10000"],
        faults: ["none", "eagain:0.1", "enomem:0.1"]
    )

    public static let all = [quick, full]

    public static func named(_ name: String) -> Profile? { all.first { $0.name == name } }
}
