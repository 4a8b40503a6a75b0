import ArgumentParser
import CProcessControl
import Harness
import IOWQ

#if canImport(Glibc)
import Glibc
#endif

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a sweep and write trials.csv, summary.csv and meta.json.",
        discussion: """
            Every option that names a dimension may be repeated; the sweep is their product. Options left out come from the profile. With none of them, the default sweep runs: the four strategies and the kernel anchor over the profile's scenarios and schedules, then the seed and its upstream presets over the configurations where they differ.

            Examples:
              bench run --strategy pre-patch --signals one-shot --trials 20
              bench run --scenario burst:256 --signals poisson:1000
              bench run --scenario first-worker --faults eagain:0.1+enomem:0.05
              bench run --strategy retry-5.15 --signals storm+fatal:5ms
              bench run --profile full --out results/reference
            """
    )

    @Option(help: "quick (the default sweep, about 2 minutes in release) or full (the reference run, about 13).")
    var profile = "quick"

    @Option(name: .customLong("strategy"), help: ArgumentHelp("A strategy; see `bench list`. Default: all.", valueName: "name"))
    var strategies: [String] = []

    @Option(name: .customLong("scenario"), help: ArgumentHelp("first-worker, burst:N, steady:RATE, sleepers, chain:N, hashed:K, mixed, exit-under-fire. Default: the profile's.", valueName: "scenario"))
    var scenarios: [String] = []

    @Option(name: .customLong("signals"), help: ArgumentHelp("none, one-shot, storm, periodic:RATE, poisson:RATE (signals/s), fatal:DELAY (e.g. fatal:5ms). Default: the profile's.", valueName: "schedule"))
    var schedules: [String] = []

    @Option(name: .customLong("faults"), help: ArgumentHelp("none, eagain:P, enomem:P, fail-nth:N:ERRNO, or several joined by + (e.g. eagain:0.1+enomem:0.05). Default: the profile's.", valueName: "plan"))
    var plans: [String] = []

    @Option(help: "Trials per configuration. Default: the profile's (quick 5, full 30).")
    var trials: Int?

    @Option(help: "Seed for faults, Poisson schedules and arrivals; the same seed reproduces deterministic schedules.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Output folder; must not exist or be empty. Default: results/<UTC timestamp>.", valueName: "dir"))
    var out: String?

    func run() throws {
        let plan = try makePlan()
        let directory = try RunDirectory(path: out ?? RunDirectory.defaultPath())
        #if DEBUG
        writeStandardError("note: this is a debug build; timings are not representative (use `swift run -c release bench`)\n")
        #endif
        var metadata = RunMetadata(profile: plan.profile.name, seed: plan.seed, trials: plan.trials)
        try metadata.write(to: directory)
        proc_install_stop_handlers()

        writeStandardError("bench: \(plan.configurations.count) configurations x \(plan.trials) trials (\(plan.profile.name) profile) -> \(directory.path)\n")
        let calibration = Calibration.run()
        for row in calibration { try directory.append(row) }
        let (summaries, stopped) = try SweepRunner(plan: plan, output: directory, progress: ConsoleProgress()).run()

        metadata.finish(stoppedEarly: stopped)
        try metadata.write(to: directory)
        print(SummaryTable.render(calibration + summaries))
        print("\nwrote \(directory.path)/trials.csv, summary.csv and meta.json")
        if stopped { throw ExitCode(130) }
    }

    func makePlan() throws -> SweepPlan {
        guard let profile = Profile.named(self.profile) else {
            throw ValidationError("unknown profile '\(self.profile)' (expected one of: \(Profile.all.map(\.name).joined(separator: ", ")))")
        }
        let trials = self.trials ?? profile.trials
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1, not \(trials)") }
        var configurations: [ConfigurationSpec] = []
        do {
            if strategies.isEmpty && scenarios.isEmpty && schedules.isEmpty && plans.isEmpty {
                configurations = try profile.defaultSweep()
            } else {
                for strategy in strategies.isEmpty ? StrategyCatalog.all.map(\.name) : strategies {
                    for scenario in scenarios.isEmpty ? profile.scenarios : scenarios {
                        for signals in schedules.isEmpty ? profile.signals : schedules {
                            for faults in plans.isEmpty ? profile.faults : plans {
                                configurations.append(try ConfigurationSpec(strategy: strategy, scenario: scenario, signals: signals, faults: faults))
                            }
                        }
                    }
                }
            }
        } catch {
            throw ValidationError("\(error)")
        }
        return SweepPlan(configurations: configurations, trials: trials, seed: seed, profile: profile)
    }
}
