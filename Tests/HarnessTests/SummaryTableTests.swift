@testable import Harness
import IOWQ
import Testing

/// The table at the end of a run: the trials each row rests on, threads per trial, not-run reasons
/// as footnotes, a closing line, at most 120 columns; and the exports for programs.
@Suite struct SummaryTableTests {
    static func row(_ strategy: StrategyEntry, _ scenario: Scenario, signals: SignalSchedule = .none, faults: FaultPlan = .none,
                    trials: Int, stuck: Int = 0, note: String = "") -> ConfigurationSummary {
        let spec = ConfigurationSpec(strategy: strategy, scenario: scenario, signals: signals, faults: faults)
        var row = ConfigurationSummary(spec)
        for index in 0..<trials {
            var trial = TrialResult(spec: spec, trial: index, seed: 1)
            trial.note = note
            if note.isEmpty {
                trial.items.submitted = 4
                if index < stuck { trial.items.hung = 4 } else { trial.items.ok = 4 }
                var counters = CounterSnapshot.zero
                counters[.threadsCreatedOnDemand] = 3
                trial.counters = counters
                trial.elapsedNanoseconds = 1_000_000
            }
            row.add(trial)
        }
        if !note.isEmpty { row.note = note }
        return row
    }

    static let rows = [
        row(StrategyCatalog.seed, .exitUnderFire, signals: try! SignalSchedule(parsing: "storm+fatal:5ms"),
            faults: try! FaultPlan(parsing: "eagain:0.1+enomem:0.05"), trials: 5, stuck: 2),
        row(StrategyCatalog.seed, .burst(64), trials: 4),
        row(StrategyCatalog.kernel, .burst(64), faults: try! FaultPlan(parsing: "eagain:0.1"), trials: 0,
            note: "not applicable: the kernel's thread creation cannot be made to fail from user space, which is a long reason"),
    ]

    @Test func everyLineFitsAndEveryRowSaysItsTrials() {
        let text = SummaryTable.render(Self.rows)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 120 }, "\(lines.map(\.count))")
        #expect(lines.contains { $0 == "retry-via-workqueue" } && lines.contains { $0 == "kernel" }, "rows come under their strategy")
        // n, and threads per trial rather than their sum: 3 a trial
        #expect(lines.contains { $0.contains(" 5  0.40 [") && $0.hasSuffix("3.0") })
        #expect(lines.contains { $0.contains("not run [1]") })
        #expect(lines.contains { $0.hasPrefix("[1] not applicable: the kernel's thread creation") })
        #expect(lines.last == "3 configurations (1 measured nothing), 9 trials")
    }

    @Test func theExportsCarryTheSummaryColumns() throws {
        let csv = SummaryTable.render(Self.rows, format: .csv)
        #expect(csv.hasPrefix(SummaryColumns.all.header().joined(separator: ",") + "\r\n"))
        #expect(csv.split(separator: "\r\n").count == 4)
        let json = SummaryTable.render(Self.rows, format: .json)
        #expect(json.hasPrefix("[\n  {\"strategy\": \"retry-via-workqueue\", \"scenario\": \"exit-under-fire\""))
        #expect(json.contains("\"trials\": 0, "), "numbers are numbers")
        #expect(json.contains("\"stuck_rate\": null"), "what was not measured is null")
        let markdown = SummaryTable.render(Self.rows, format: .markdown)
        #expect(markdown.hasPrefix("| strategy | scenario | signals | faults | n | stuck [95% CI] |"))
    }
}
