import ArgumentParser
import CProcessControl
import Foundation
import Harness

struct FidelityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fidelity",
        abstract: "Compare the model with the running kernel on the same work, with a verdict per row.",
        discussion: """
            Runs chain:16 and burst:64 under periodic 1k, 10k and 100k and Poisson 10k signals/s on the kernel row and on the two lineage presets around the running kernel: the newest one the kernel contains (it models the kernel) and the next (its fix is what the kernel lacks). With --fingerprint, "contains" is measured (bench fingerprint) rather than read from the version number, and the fingerprint goes into meta.json. The kernel's trials alternate SA_RESTART (even trials with it), and each half is compared too.

            A row agrees when the stuck rates' Wilson intervals overlap or the rates are within a factor of 2, and the outcome classes with at least 5% of the items rank the same; otherwise it disagrees, and says how. Writes fidelity.csv (docs/csv.md) beside the sweep's CSV and prints the table.
            """
    )

    @Option(parsing: .unconditional, help: "Trials per configuration (\(SweepPlan.trialCounts.spelled)).", transform: SweepPlan.trialCounts.option)
    var trials = Fidelity.trials

    @Option(parsing: .unconditional, help: "Seed for the Poisson schedule (\(SweepPlan.seeds.spelled)).", transform: SweepPlan.seeds.option)
    var seed: UInt64 = 1

    @Flag(help: "Run a sweep that may take longer than a day (every trial to its deadlines) instead of refusing it.")
    var yes = false

    @Flag(help: "First take the kernel's lineage fingerprint (bench fingerprint), and compare with the preset it behaves like rather than the one its version suggests.")
    var fingerprint = false

    @Option(help: ArgumentHelp("Output folder; must not exist or be empty. Default: results/fidelity-<UTC timestamp>.", valueName: "dir"))
    var out: String?

    func run() throws {
        try checkHostIdentity()
        proc_install_stop_handlers()
        var behaviour: LineageFingerprint? = nil
        if fingerprint {
            let plan = LineageFingerprint.Plan.standard
            writeStandardError("bench fidelity: the lineage fingerprint first (\(plan.description))\n")
            behaviour = try LineageFingerprint.measure(plan)
            writeStandardError(behaviour!.report + "\n")
        }
        let presets = Fidelity.presets(behavingLike: behaviour)
        let strategies = [StrategyCatalog.kernel] + [presets.models, presets.next].compactMap { $0 }
        let configurations = Fidelity.configurations(strategies)
        let sweep = SweepPlan(configurations: configurations, trials: trials, seed: seed, profile: .quick)
        var metadata = RunMetadata(profile: "fidelity", seed: seed, trials: trials)
        metadata.lineageFingerprint = behaviour
        metadata.fidelityPresets = Fidelity.Presets(models: presets.models?.name, next: presets.next?.name)
        var session = try SweepSession(sweep, path: out ?? RunDirectory.defaultPath().replacingOccurrences(of: "results/", with: "results/fidelity-"),
                                       yes: yes, metadata: metadata)

        writeStandardError("bench fidelity: \(presets.line)\n")
        writeStandardError("bench fidelity: \(configurations.count) configurations x \(trials) trials -> \(session.directory.path)\n")
        let collector = KernelTrialCollector(forwardingTo: ConsoleProgress())
        session.reportEstimate("bench fidelity")
        let (summaries, stopped) = try session.runRows(progress: collector)

        let rows = Fidelity.rows(summaries: summaries, kernelTrials: collector.trials,
                                 models: presets.models?.name, next: presets.next?.name)
        try session.write("fidelity.csv", FidelityTable.csv(rows))
        // the last write: complete once fidelity.csv is there
        try session.finish(stopped: stopped)
        print(presets.line)
        print(FidelityTable.render(rows))
        print("\nwrote \(session.directory.path)/fidelity.csv beside trials.csv and summary.csv")
        try session.exitIfStopped(stopped)
    }
}
