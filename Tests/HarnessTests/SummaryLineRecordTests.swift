@testable import Harness
import Testing

/// A summary.csv row read back (bench merge) prints as the live row did, crashes included.
@Suite struct SummaryLineRecordTests {
    @Test func aCrashedRowReadBackShowsItsItemsAndSignals() {
        let line = SummaryTable.Line(record: [
            "strategy": "nio-threadpool", "scenario": "first-worker", "signals": "none", "faults": "fail-after:0",
            "trials": "3", "items_submitted": "3", "items_crashed": "3", "crashed_trials": "3",
            "crash_signals": "SIGILL 2 signal 40 1", "stuck_rate": "0.0000",
        ])
        #expect(line.outcomes == "crashed 1.00")
        #expect(line.whyStuck == "SIGILL 2 signal 40 1")
        #expect(line.stuck.hasPrefix("0.00"))
    }
}
