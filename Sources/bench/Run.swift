import ArgumentParser
import CProcessControl
import Harness
import IOWQ

#if canImport(Glibc)
import Glibc
#endif

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a sweep and write trials.csv, summary.csv, calibration.csv and meta.json.",
        discussion: """
            Every option that names a dimension may be repeated; the sweep is their product. Options left out come from the profile. With none of them, the default sweep runs: the four strategies and the kernel anchor over the profile's scenarios and schedules, then the seed and its upstream presets over the configurations where they differ, and every one of them over the rate sweep (chain:8 and burst:64 under 1 kHz and 10 kHz periodic signals, with more trials). The peers profile's default sweep is the pools people use (dispatch, foundation-thread, nio-threadpool, swift-tasks) beside four io-wq strategies under thread-creation faults; peer rows need libIOWQThreadInterposer.so beside bench (swift build builds it).

            Examples:
              bench run --strategy pre-patch --signals one-shot --trials 20
              bench run --scenario burst:256 --signals poisson:1000
              bench run --scenario first-worker --faults eagain:0.1+enomem:0.05
              bench run --strategy retry-5.15 --signals storm+fatal:5ms
              bench run --profile full --out results/reference
              bench run --profile full --shard 2/4 --out results/full-2of4   # then: bench merge results/full-*of4 --out results/full
              bench run --profile peers --out results/peers
              bench run --strategy dispatch --strategy nio-threadpool --scenario burst:64 --signals none --faults fail-after:2
            """
    )

    @Option(help: "\(Profile.all.map(\.name).joined(separator: " or ")): quick is the default sweep (about 2 minutes in release), full the reference run (its rows run on until their stuck rate is within ±0.05), peers the pools people use under thread-creation faults (about 16), foreign the example pools of examples/foreign (C, Java, Rust; build them with examples/foreign/build.sh) beside four io-wq strategies.")
    var profile = "quick"

    @Option(name: .customLong("strategy"), help: ArgumentHelp("\(StrategyCatalog.all.map(\.name).joined(separator: ", ")); see `bench list`. Default: all.", valueName: "name"))
    var strategies: [String] = []

    @Option(name: .customLong("scenario"), help: ArgumentHelp("\(Vocabulary.list(Scenario.catalog)). Default: the profile's.", valueName: "scenario"))
    var scenarios: [String] = []

    @Option(name: .customLong("signals"), help: ArgumentHelp("\(Vocabulary.list(SignalSchedule.catalog)); see `bench list`. Default: the profile's.", valueName: "schedule"))
    var schedules: [String] = []

    @Option(name: .customLong("faults"), help: ArgumentHelp("\(Vocabulary.list(FaultPlan.catalog)); see `bench list`. Default: the profile's.", valueName: "plan"))
    var plans: [String] = []

    @Option(parsing: .unconditional, help: "Trials per configuration (\(SweepPlan.trialCounts.spelled)). Default: the profile's (\(Profile.all.map { "\($0.name) \($0.trials), \($0.rateTrials) on its rate sweep" }.joined(separator: "; "))).",
            transform: SweepPlan.trialCounts.option)
    var trials: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Run a row whose trials disagree until its stuck rate's 95% interval is at most W (\(Precision.halfWidths.spelled)) either side (e.g. 0.05), from its first trials on. Default: the profile's (full 0.05; quick none).", valueName: "W"),
            transform: Precision.halfWidths.option)
    var precision: Double?

    @Option(parsing: .unconditional, help: "With a precision: at most this many trials per configuration (\(Precision.trialCaps.spelled)). Default: the profile's, else 400.",
            transform: Precision.trialCaps.option)
    var maxTrials: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("With a precision: at most this long per configuration, in seconds (\(Precision.timeBudgets.spelled)). Default: the profile's, else 90.", valueName: "seconds"),
            transform: Precision.timeBudgets.option)
    var timeBudget: Double?

    @Option(parsing: .unconditional, help: "Seed for faults, Poisson schedules and arrivals (\(SweepPlan.seeds.spelled)); the same seed reproduces deterministic schedules.",
            transform: SweepPlan.seeds.option)
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Output folder; must not exist or be empty. Default: results/<UTC timestamp>.", valueName: "dir"))
    var out: String?

    @Flag(help: "Run a sweep that may take longer than a day (every trial to its deadlines) instead of refusing it.")
    var yes = false

    @Option(help: ArgumentHelp("Run only part i of n of the sweep (1 <= i <= n <= \(Shard.maxCount), and no more parts than configurations): the same plan splits the same way on any machine, the parts are disjoint, cover the sweep and are balanced by expected trials; `bench merge` joins the runs. Recorded in meta.json.", valueName: "i/n"))
    var shard: String?

    @Option(help: ArgumentHelp(SummaryFormat.help, valueName: "format"))
    var format: SummaryFormat = .text

    @Option(help: ArgumentHelp("A pool program of your own, in any language, as a row named NAME: COMMAND runs with /bin/sh -c once per trial, under the interposer, speaking the line protocol of docs/foreign.md (first-worker, burst and chain, under thread-creation faults). Repeatable.", valueName: "NAME=COMMAND"))
    var foreign: [String] = []

    func run() throws {
        let sweep = try makePlan()
        try checkHostIdentity()
        let shard = try self.shard.map { text in
            do { return try Shard(parsing: text) } catch { throw ValidationError("\(error)") }
        }
        let plan = shard.map(sweep.restricted) ?? sweep
        if let shard, plan.configurations.isEmpty {
            // an empty run folder would merge as a part that ran and found nothing
            throw ValidationError("shard \(shard) holds no configuration: the sweep has only \(sweep.configurations.count), so split it into at most \(sweep.configurations.count) shards")
        }
        var metadata = RunMetadata(profile: plan.profile.name, seed: plan.seed, trials: plan.trials ?? plan.profile.trials)
        metadata.shard = shard.map { ShardRecord($0, of: sweep) }
        metadata.vocabulary = .of(plan.configurations)
        var session = try SweepSession(plan, path: out ?? RunDirectory.defaultPath(), yes: yes, metadata: metadata)
        #if DEBUG
        writeStandardError("note: this is a debug build; timings are not representative (use `swift run -c release bench`)\n")
        #endif

        var perConfiguration = plan.trials.map { "x " + Format.count($0, "trial") } ?? "(" + Format.count(plan.totalTrials, "trial") + ")"
        if let precision = plan.precision { perConfiguration += " at first, rows run on to ±\(precision.halfWidth)" }
        let part = shard.map { "shard \($0): \(plan.configurations.count) of \(sweep.configurations.count)" } ?? "\(plan.configurations.count)"
        writeStandardError("bench: \(part) \(plan.configurations.count == 1 && shard == nil ? "configuration" : "configurations") \(perConfiguration), \(plan.profile.name) profile -> \(session.directory.path)\n")
        session.reportEstimate("bench")
        let (summaries, stopped) = try session.runRows(progress: ConsoleProgress()) { directory in
            let calibration = Calibration.run()
            try directory.write(calibration)
            writeStandardError("calibration: " + calibration.map(\.summaryLine).joined(separator: "; ") + "\n")
        }

        // the last write: meta.json says the run is complete only once every row is written
        try session.finish(stopped: stopped, summaries)
        print(SummaryTable.render(summaries, format: format))
        format.report("wrote \(session.directory.path)/trials.csv, summary.csv, calibration.csv and meta.json")
        try session.exitIfStopped(stopped)
    }

    func makePlan() throws -> SweepPlan {
        guard let profile = Profile.named(self.profile) else {
            throw ValidationError("unknown profile '\(self.profile)' (expected one of: \(Profile.all.map(\.name).joined(separator: ", ")))")
        }
        var configurations: [ConfigurationSpec] = []
        do {
            let foreign = try self.foreign.map(ForeignPool.init(parsing:))
            if strategies.isEmpty && scenarios.isEmpty && schedules.isEmpty && plans.isEmpty && foreign.isEmpty {
                configurations = profile.defaultSweep()
            } else {
                // --foreign alone runs the foreign pools; beside --strategy it joins them
                let named = try self.strategies.isEmpty ? (foreign.isEmpty ? StrategyCatalog.all : [])
                    : self.strategies.map { name throws(ConfigurationError) in try StrategyCatalog.named(name, foreign: foreign) }
                let strategies = named + foreign.filter { pool in !named.contains { $0.name == pool.name } }.map(\.strategy)
                let scenarios = try self.scenarios.isEmpty ? profile.scenarios : self.scenarios.map(Scenario.init(parsing:))
                let schedules = try self.schedules.isEmpty ? profile.signals : self.schedules.map(SignalSchedule.init(parsing:))
                let plans = try self.plans.isEmpty ? profile.faults : self.plans.map(FaultPlan.init(parsing:))
                try Self.once("--strategy", self.strategies, strategies.map(\.name))
                try Self.once("--scenario", self.scenarios, scenarios.map(\.description))
                try Self.once("--signals", self.schedules, schedules.map(\.description))
                try Self.once("--faults", self.plans, plans.map(\.description))
                for strategy in strategies {
                    for scenario in scenarios {
                        for signals in schedules {
                            for faults in plans {
                                configurations.append(ConfigurationSpec(strategy: strategy, scenario: scenario, signals: signals, faults: faults))
                            }
                        }
                    }
                }
            }
            try ConfigurationSpec.checkLaunchable(configurations)
        } catch {
            throw ValidationError("\(error)")
        }
        return SweepPlan(configurations: configurations, trials: trials, seed: seed, profile: profile,
                         precision: try makePrecision(profile))
    }

    /// Refuses a list that names one thing twice (as given, or as two spellings of one value, e.g.
    /// periodic:1000 and periodic:1e3): the two rows would have one identity, share their trials'
    /// seeds and one histogram file. `names` are the parsed values' names, in the order given.
    static func once(_ option: String, _ given: [String], _ names: [String]) throws(ConfigurationError) {
        guard given.count == names.count else { return }  // nothing given: the profile's own list
        var first: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if let earlier = first[name] {
                let spelled = given[earlier] == given[index] ? "'\(name)' twice" : "'\(given[earlier])' and '\(given[index])', both \(name)"
                throw .invalid("\(option) names \(spelled): give each once")
            }
            first[name] = index
        }
    }

    /// The profile's precision, overridden by the options; none when --trials fixes the count alone.
    func makePrecision(_ profile: Profile) throws -> Precision? {
        guard precision != nil || (trials == nil && profile.precision != nil) else {
            if maxTrials != nil || timeBudget != nil { throw ValidationError("--max-trials and --time-budget need a precision (--precision W)") }
            return nil
        }
        var result = profile.precision ?? Precision(halfWidth: 0.05, maxTrials: 400, timeBudget: .seconds(90))
        if let precision { result.halfWidth = precision }
        if let maxTrials { result.maxTrials = maxTrials }
        // in Precision.timeBudgets: at most a day, so the milliseconds fit
        if let timeBudget { result.timeBudget = .milliseconds(Int64(timeBudget * 1000)) }
        if let trials, trials > result.maxTrials { throw ValidationError("--trials (\(trials)) exceeds --max-trials (\(result.maxTrials))") }
        return result
    }
}
