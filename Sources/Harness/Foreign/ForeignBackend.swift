import IOWQ

/// A user's own pool program as a row (docs/foreign.md): its trials run one after another in a
/// `bench child`, each in a fresh run of the program under the interposer. It sees what a peer
/// sees (the interposer's creation attempts and failures) and what the program reports of its
/// items.
struct ForeignBackend: InterposedBackend {
    let pool: ForeignPool

    var poolNoun: String { "a foreign pool" }

    /// The scenarios the contract describes to a program (items, their block time, a chain's width).
    func unsupported(_ scenario: Scenario) -> String? {
        switch scenario {
        case .firstWorker, .burst, .chain: nil
        case .steady: "a foreign pool is given no arrival times yet: steady is not part of its contract"
        default: PeerWorkload.unsupported(scenario) ?? "a foreign pool runs first-worker, burst and chain"
        }
    }

    /// Its start (up to the ready budget), its deadline, the look at a pool still retrying, its exit.
    func longestTrial(_ spec: ConfigurationSpec, _ profile: Profile) -> Duration {
        ForeignTrial.readyBudget + profile.itemDeadline + PeerTrial.observeWindow + ForeignTrial.exitGrace
    }

    func runTrial(_ spec: ConfigurationSpec, trial: Int, seed: UInt64, profile: Profile) -> TrialResult {
        ForeignTrial.run(spec, pool: pool, trial: trial, seed: seed, profile: profile)
    }

    func launch(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int, baseSeed: UInt64, profile: Profile,
                scratch: String) throws -> any ChildLaunch {
        ForeignLaunch(spec: spec, pool: pool, trials: trials, profile: profile, longestTrial: longestTrial(spec, profile))
    }

    /// Each trial runs the program afresh, so no warm-up, and no trial can poison the next.
    func runChild(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int, baseSeed: UInt64, profile: Profile,
                  context: ChildContext) -> Int32 {
        for trial in firstTrial..<(firstTrial + trials) {
            let result = TrialRunner.timed(spec, trial: trial, baseSeed: baseSeed, profile: profile)
            guard ChildMain.report(result) else { return 1 }
        }
        return 0
    }
}

/// The parent's side of a foreign row's child: the program named in its environment, and a
/// watchdog past the trial's own budgets (the program's start, its deadline, the look at a pool
/// still retrying, its exit).
final class ForeignLaunch: ChildLaunch {
    let spec: ConfigurationSpec
    let trials: Int
    let profile: Profile
    let environment: [String: String]
    let looks: [Duration]

    init(spec: ConfigurationSpec, pool: ForeignPool, trials: Int, profile: Profile, longestTrial: Duration) {
        self.spec = spec
        self.trials = trials
        self.profile = profile
        environment = [ForeignPool.nameVariable: pool.name, ForeignPool.commandVariable: pool.command]
        looks = [longestTrial + .seconds(10)]
    }

    var forwardsStandardError: Bool { true }
    func look() {}

    func owed(_ trial: Int, seed: UInt64, _ death: ChildDeath) -> TrialResult? {
        var result = TrialResult(spec: spec, trial: trial, seed: seed)
        switch death {
        case .killed:
            result.killed = true
            result.items.submitted = Workload.itemCount(spec.scenario, profile: profile, seed: seed)
            result.items.hung = result.items.submitted
            result.hangKind = .unknown
        case .crashed(let signal, let message):
            result.note = "not run: the child running the foreign program died by \(signalName(signal)): \(message ?? "")"
        case .exited(let status, let message):
            result.note = "not run: the child running the foreign program exited with \(status): \(message ?? "no message")"
        }
        return result
    }
}
