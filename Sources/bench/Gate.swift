import ArgumentParser
import CSystemShims
import Foundation
import Harness

struct Gate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the CI perf gate: a small fixed sweep checked against invariants and a committed baseline.",
        discussion: """
            Invariants must hold exactly: every row conserves its items, nothing is completed twice outside the seed's own strategy, eager and every retry strategy under one-shot never hang, and pre-patch under one-shot does. Performance is compared as ratios measured in the same run (latency to the calibration rows, throughput to eager), within the tolerances in PerfGate.Tolerance. Exits 1 on a regression or a broken invariant, 0 otherwise, including on an improvement.

            Refresh the baseline on purpose, after a change that makes things faster or slower by design:
              swift run -c release bench gate --refresh-baseline
            """
    )

    @Option(help: ArgumentHelp("The baseline folder (its summary.csv is compared).", valueName: "dir"))
    var baseline = "results/baseline"

    @Option(help: ArgumentHelp("Where this run's results go. Default: results/gate-<UTC timestamp>.", valueName: "dir"))
    var out: String?

    @Option(help: "Trials per configuration.")
    var trials = 5

    @Flag(help: "Write this run's summary as the new baseline instead of comparing (invariants must still hold).")
    var refreshBaseline = false

    func run() throws {
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1, not \(trials)") }
        let baselineTable = refreshBaseline ? nil : try loadBaseline()
        let configurations = try PerfGate.configurations()
        let directory = try RunDirectory(path: out ?? RunDirectory.defaultPath().replacingOccurrences(of: "results/", with: "results/gate-"))
        var metadata = RunMetadata(profile: "gate", seed: 1, trials: trials)
        try metadata.write(to: directory)
        iowq_install_stop_handlers()
        writeStandardError("bench gate: \(configurations.count) configurations x \(trials) trials -> \(directory.path)\n")
        for row in Calibration.run() { try directory.append(row) }
        let plan = SweepPlan(configurations: configurations, trials: trials, seed: 1, profile: .quick)
        let (_, stopped) = try SweepRunner(plan: plan, output: directory, progress: ConsoleProgress()).run()
        metadata.finish(stoppedEarly: stopped)
        try metadata.write(to: directory)
        if stopped { throw ExitCode(130) }

        let summary = try String(contentsOfFile: directory.path + "/summary.csv", encoding: .utf8)
        let current = try PerfGate.Table(csv: summary, source: directory.path + "/summary.csv")
        if refreshBaseline {
            let failed = PerfGate.evaluate(current, baseline: current).filter { $0.status == .failed }
            guard failed.isEmpty else {
                print(PerfGate.render(failed))
                throw ValidationError("refusing to write a baseline that breaks \(failed.count) invariants")
            }
            try FileManager.default.createDirectory(atPath: baseline, withIntermediateDirectories: true)
            for name in ["summary.csv", "meta.json"] {
                let target = baseline + "/" + name
                if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
                try FileManager.default.copyItem(atPath: directory.path + "/" + name, toPath: target)
            }
            print("baseline refreshed: \(baseline)/summary.csv (commit it)")
            return
        }
        let checks = PerfGate.evaluate(current, baseline: baselineTable!)
        print(PerfGate.render(checks))
        let failed = checks.filter { $0.status == .failed }.count
        let improved = checks.filter { $0.status == .improved }.count
        print("\ngate: \(checks.count) checks, \(failed) failed, \(improved) improved (baseline \(baseline))")
        if improved > 0 && failed == 0 {
            print("improvements beyond tolerance: refresh the baseline on purpose with `swift run -c release bench gate --refresh-baseline`")
        }
        if failed > 0 { throw ExitCode(1) }
    }

    private func loadBaseline() throws -> PerfGate.Table {
        let path = baseline + "/summary.csv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw GateError.missing(path) }
        return try PerfGate.Table(csv: text, source: path)
    }
}
