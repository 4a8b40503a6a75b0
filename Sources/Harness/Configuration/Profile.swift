import IOWQ

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
    public let scenarios: [Scenario]
    public let signals: [SignalSchedule]
    public let faults: [FaultPlan]
    /// Configurations beyond the product, for the classic strategies and the kernel anchor: the
    /// first-worker rates and fault plans of the reference run.
    public var extras: [Point] = []
    /// Where signal rates change the outcome: run for every strategy, the kernel and the lineage
    /// included, with `rateTrials` trials each, since their stuck rates lie between 0 and 1.
    public var rateSweep: [Point] = []
    public var rateTrials: Int
    /// The strategies whose default sweep is the profile's product alone, instead of the classic
    /// strategies, the kernel and the lineage over product, extras and rate sweep (nil).
    public var only: [StrategyEntry]?
    /// A trial whose hang is certain ends at once, not at its deadline (`Workload.wait`).
    public var stopsCertainHangs = true
    /// Rows run on until their stuck rate is this precise (nil: a fixed count).
    public var precision: Precision?

    /// A scenario under a signal schedule and a fault plan: a configuration without its strategy.
    public struct Point: Sendable {
        public var scenario: Scenario
        public var signals: SignalSchedule = .none
        public var faults: FaultPlan = .none
    }

    /// The configurations on which the seed and its upstream presets differ (docs/model.md §5):
    /// run for the lineage strategies in the default sweep, instead of the whole product.
    public static let lineageConfigurations: [Point] = [
        Point(scenario: .exitUnderFire, signals: .oneShot),                      // seed: exit hang; 5.15: clean exit
        Point(scenario: .firstWorker, faults: .failNth(1, .ENOMEM)),             // seed: completed twice, leaked record; 5.15: neither
        Point(scenario: .firstWorker, signals: .combined([.storm, .fatal(after: .milliseconds(5))])),  // 5.15: retries without end; 5.16: gives up, exits
        Point(scenario: .firstWorker, signals: .storm),                          // 6.11/6.14: cancelled after 3 retries; 6.19: retried on
        Point(scenario: .firstWorker, faults: .eagain(1)),                       // 6.19: EAGAIN still bounded
        Point(scenario: .chain(8), signals: .storm(fromAttempt: 2)),             // creation gives up beside blocked workers
    ]

    /// Chains and bursts under timed signals: the chain is where a creation failing beside blocked
    /// workers hangs, the burst where many creations meet the signals.
    static func rateSweep(_ schedules: [SignalSchedule]) -> [Point] {
        [Scenario.chain(8), .burst(64)].flatMap { scenario in schedules.map { Point(scenario: scenario, signals: $0) } }
    }

    /// Trials for `spec` when the command line does not say: more on the rate sweep's points.
    public func trials(for spec: ConfigurationSpec) -> Int {
        rateSweep.contains { $0.scenario == spec.scenario && $0.signals == spec.signals && $0.faults == spec.faults } ? rateTrials : trials
    }

    /// Every point of the profile: its scenarios x schedules x plans.
    var product: [Point] {
        scenarios.flatMap { scenario in
            signals.flatMap { signals in faults.map { Point(scenario: scenario, signals: signals, faults: $0) } }
        }
    }

    /// The default sweep: the classic strategies and the kernel anchor over the profile's product,
    /// extras and rate sweep, then the seed and its presets over the lineage configurations and the
    /// rate sweep.
    public func defaultSweep() -> [ConfigurationSpec] {
        if let only {
            return only.flatMap { strategy in
                product.map { ConfigurationSpec(strategy: strategy, scenario: $0.scenario, signals: $0.signals, faults: $0.faults) }
            }
        }
        var specs: [ConfigurationSpec] = []
        for strategy in StrategyCatalog.classic + [StrategyCatalog.kernel] {
            for point in product + extras + rateSweep {
                specs.append(ConfigurationSpec(strategy: strategy, scenario: point.scenario, signals: point.signals, faults: point.faults))
            }
        }
        for strategy in [StrategyCatalog.seed] + StrategyCatalog.lineage {
            for point in Profile.lineageConfigurations + rateSweep {
                let spec = ConfigurationSpec(strategy: strategy, scenario: point.scenario, signals: point.signals, faults: point.faults)
                if !specs.contains(spec) { specs.append(spec) }
            }
        }
        return specs
    }

    public static let quick = Profile(
        name: "quick", trials: 5, steadyDuration: .milliseconds(300), itemDeadline: .milliseconds(300),
        exitDeadline: .milliseconds(300),
        scenarios: [.firstWorker, .burst(64), .steady(perSecond: 2000), .sleepers, .chain(8), .hashed(4), .mixed, .exitUnderFire],
        signals: [.none, .oneShot, .storm],
        faults: [.none],
        rateSweep: rateSweep([.periodic(perSecond: 1000), .periodic(perSecond: 10000)]),
        rateTrials: 10
    )

    public static let full = Profile(
        name: "full", trials: 20, steadyDuration: .milliseconds(500), itemDeadline: .milliseconds(500),
        exitDeadline: .milliseconds(500),
        scenarios: [.firstWorker, .burst(16), .burst(64), .burst(256), .steady(perSecond: 2000), .sleepers, .chain(8),
                    .hashed(4), .mixed, .exitUnderFire],
        signals: [.none, .oneShot, .storm],
        faults: [.none],
        extras: [SignalSchedule.poisson(perSecond: 100), .poisson(perSecond: 1000), .poisson(perSecond: 10000), .periodic(perSecond: 1000)]
            .map { Point(scenario: .firstWorker, signals: $0) }
            + [FaultPlan.eagain(0.1), .enomem(0.1)].map { Point(scenario: .firstWorker, faults: $0) },
        rateSweep: rateSweep([.periodic(perSecond: 1000), .periodic(perSecond: 10000)]),
        rateTrials: 50,
        precision: Precision(halfWidth: 0.05, maxTrials: 400, timeBudget: .seconds(90))
    )

    /// The pools people use beside the io-wq strategies that create on demand, under thread
    /// creation faults only (signals do not fail a user-space pthread_create): every peer's
    /// scenario under no fault, every creation failing, all after the first two, and a coin flip
    /// per creation, each trial with its own seed.
    public static let peers = Profile(
        name: "peers", trials: 10, steadyDuration: .milliseconds(300), itemDeadline: .milliseconds(300),
        exitDeadline: .milliseconds(300),
        scenarios: [.firstWorker, .burst(64), .chain(8), .steady(perSecond: 2000)],
        signals: [.none],
        faults: [.none, .failAfter(0), .failAfter(2), .eagain(0.5)],
        rateTrials: 10,
        only: StrategyCatalog.peers + [StrategyCatalog.naive, StrategyCatalog.prePatch, StrategyCatalog.seed]
            + StrategyCatalog.lineage.filter { $0.name == "retry-6.14" }
    )

    /// The example foreign pools (examples/foreign, built by its build.sh) beside the same io-wq
    /// strategies, under the peers' faults.
    public static let foreign = Profile(
        name: "foreign", trials: 10, steadyDuration: .milliseconds(300), itemDeadline: .milliseconds(300),
        exitDeadline: .milliseconds(300),
        scenarios: [.firstWorker, .burst(8), .chain(4)],
        signals: [.none],
        faults: [.none, .failAfter(0), .failAfter(2), .eagain(0.5)],
        rateTrials: 10,
        only: ForeignPool.examples.map(\.strategy) + [StrategyCatalog.naive, StrategyCatalog.prePatch, StrategyCatalog.seed]
            + StrategyCatalog.lineage.filter { $0.name == "retry-6.14" }
    )

    public static let all = [quick, full, peers, foreign]

    public static func == (lhs: Profile, rhs: Profile) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    public static func named(_ name: String) -> Profile? { all.first { $0.name == name } }
}
