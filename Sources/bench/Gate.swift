import ArgumentParser
import CProcessControl
import Foundation
import Harness
import IOWQ

struct Gate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the CI perf gate: the pool's cost against its physical floors, and a sweep whose outcomes are known.",
        discussion: """
            Cost: a no-op handoff to an idle worker against a bare futex round trip, the first worker against pthread_create, and a 64-item burst per item against the round trip, each measured in paired rounds interleaved in one process, with every thread pinned to one CPU under SCHED_BATCH (so the figures are the CPU's work on a fixed schedule, not an idle vCPU's wake-up latency). The gated figure is the median of the paired ratios; it fails above the baseline's ratio times its tolerance (PerfGate.Tolerance). A failing cost is measured again, up to \(CostAttempts.judgingLimit) attempts, and fails only if every attempt does (noise only adds time); --refresh-baseline keeps each kind's median of \(CostAttempts.refreshAttempts) attempts.

            Behaviour: every strategy completes every item without signals (the kernel row included), eager, the seed and its lineage complete under one-shot, pre-patch hangs under one-shot, 5.15 and later never hang on exit, and nothing outside the seed completes twice.

            A check the baseline has and this run lacks, or one left empty, fails. Writes gate.csv beside the sweep's CSV. Exits 1 on a failed check, 0 otherwise (an improvement is reported, not failed).

            Refresh the baseline on purpose, after a change that makes the pool faster or slower by design:
              swift run -c release bench gate --refresh-baseline
            """
    )

    @Option(help: ArgumentHelp("The baseline folder (its gate.csv is compared).", valueName: "dir"))
    var baseline = "results/baseline"

    @Option(help: ArgumentHelp("Where this run's results go. Default: results/gate-<UTC timestamp>.", valueName: "dir"))
    var out: String?

    @Option(parsing: .unconditional, help: "Trials per configuration of the behaviour sweep (\(SweepPlan.trialCounts.spelled)).", transform: SweepPlan.trialCounts.option)
    var trials = 5

    /// What --rounds takes.
    static let roundCounts = Bound<Int>(1...100_000, "a number of paired rounds")

    @Option(parsing: .unconditional, help: "Paired rounds of the cost probes (\(roundCounts.spelled)).", transform: roundCounts.option)
    var rounds = CostProbeRunner.Plan.gate.rounds

    @Flag(help: "Run a sweep that may take longer than a day (every trial to its deadlines) instead of refusing it.")
    var yes = false

    @Flag(help: "Write this run's checks as the new baseline instead of comparing (outcome checks must still pass).")
    var refreshBaseline = false

    func run() throws {
        try checkHostIdentity()
        let baselineTable = refreshBaseline ? GateTable.empty : try loadBaseline()
        let configurations = PerfGate.configurations()
        let sweep = SweepPlan(configurations: configurations, trials: trials, seed: 1, profile: .quick)
        var session = try SweepSession(sweep, path: out ?? RunDirectory.defaultPath().replacingOccurrences(of: "results/", with: "results/gate-"),
                                       yes: yes, metadata: RunMetadata(profile: "gate", seed: 1, trials: trials))
        let directory = session.directory

        var plan = CostProbeRunner.Plan.gate
        plan.rounds = rounds
        if !refreshBaseline, let difference = PerfGate.machineDifference(baseline: baseline, current: session.metadata) {
            writeStandardError("bench gate: note: \(difference)\n")
        }
        var costs = CostAttempts()
        repeat {
            let attempt = costs.attempts.count + 1
            let why = attempt == 1 ? "" : refreshBaseline ? " (the baseline keeps each kind's median attempt)"
                : " (a cost check failed; it fails only if every attempt does)"
            writeStandardError("bench gate: cost probes, attempt \(attempt), \(plan.rounds) paired rounds\(why)\n")
            let probes = CostProbeRunner(plan: plan).run()
            for probe in probes {
                writeStandardError("  \(probe.summaryLine)\n")
            }
            costs.append(probes)
        } while costs.wantsAnotherAttempt(against: baselineTable, refreshing: refreshBaseline)

        writeStandardError("bench gate: behaviour sweep, \(configurations.count) configurations x \(trials) trials -> \(directory.path)\n")
        session.reportEstimate("bench gate")
        let (rows, stopped) = try session.runRows(progress: ConsoleProgress())
        if stopped {
            try session.finish(stopped: true)
            try session.exitIfStopped(stopped)
        }

        let measurements = costs.measurements(refreshing: refreshBaseline) + PerfGate.measurements(rows)
        let checks = PerfGate.judge(measurements, baseline: baselineTable)
        try session.write("gate.csv", PerfGate.csv(checks))
        // the last write of the run folder: complete once gate.csv is there
        try session.finish(stopped: false)
        print(PerfGate.render(checks))
        let failed = checks.filter { $0.status == .failed }
        if refreshBaseline {
            guard failed.isEmpty else {
                throw ValidationError("refusing to write a baseline with \(failed.count) failed checks (see above)")
            }
            try FileManager.default.createDirectory(atPath: baseline, withIntermediateDirectories: true)
            for name in ["gate.csv", "meta.json"] {
                let target = baseline + "/" + name
                if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
                try FileManager.default.copyItem(atPath: directory.path + "/" + name, toPath: target)
            }
            print("baseline refreshed: \(baseline)/gate.csv (commit it)")
            return
        }
        let improved = checks.filter { $0.status == .improved }.count
        print("\ngate: \(checks.count) checks, \(failed.count) failed, \(improved) improved (baseline \(baseline))")
        if improved > 0 && failed.isEmpty {
            print("improvements beyond tolerance: refresh the baseline on purpose with `swift run -c release bench gate --refresh-baseline`")
        }
        if !failed.isEmpty { throw ExitCode(1) }
    }

    private func loadBaseline() throws -> GateTable {
        let path = baseline + "/gate.csv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw GateError.missing(path) }
        return try GateTable(csv: text, source: path)
    }
}
