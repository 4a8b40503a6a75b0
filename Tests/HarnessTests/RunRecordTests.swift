import Foundation
@testable import Harness
import Testing

/// trials.jsonl and summary.jsonl: the run's rows as typed records, lossless, from which the CSV
/// files are exports.
@Suite struct RunRecordTests {
    /// CSV text of `rows` through `columns`, as the run folder's file holds it.
    static func csv<Row>(_ columns: [Column<Row>], _ rows: [Row]) -> String {
        ([columns.header()] + rows.map(columns.fields)).map(CSVFile.line).joined()
    }

    @Test func theRecordsDecodeBackIntoTheCSVRowsByteForByte() throws {
        let out = temporaryPath("records")
        // hung, ok (latencies, first-worker times), failed and cancelled rows; a timed schedule
        let run = try BenchProcess.run(["run", "--strategy", "pre-patch", "--strategy", "eager", "--strategy", "naive",
                                        "--strategy", "retry-via-workqueue", "--scenario", "first-worker", "--scenario", "burst:16",
                                        "--signals", "one-shot", "--signals", "periodic:1000", "--trials", "3", "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        let summaries = try #require(RecordFile<ConfigurationSummary>.read(out + "/summary.jsonl"))
        let trials = try #require(RecordFile<TrialResult>.read(out + "/trials.jsonl"))
        #expect(summaries.count == 16)
        #expect(trials.count == summaries.reduce(0) { $0 + $1.trials + $1.scheduleIdleTrials })
        #expect(summaries.contains { $0.latency.count > 0 } && summaries.contains { $0.firstWorker.count > 0 }, "histograms travel")
        // byte for byte: a first-worker percentile capped at its largest time included
        #expect(try String(contentsOfFile: out + "/summary.csv", encoding: .utf8) == Self.csv(SummaryColumns.all, summaries))
        #expect(try String(contentsOfFile: out + "/trials.csv", encoding: .utf8) == Self.csv(TrialColumns.all, trials))
        // each trial with its key, the rows it adds up to
        #expect(Set(trials.map(\.key)) == Set(summaries.map(\.key)))
        #expect(!FileManager.default.fileExists(atPath: out + "/trials.jsonl.partial"))
        #expect(!FileManager.default.fileExists(atPath: out + "/summary.jsonl.partial"))
    }
}
