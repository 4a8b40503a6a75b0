import Foundation
@testable import Harness
import IOWQ
import Testing

/// docs/csv.md documents every counter column: its generated block matches the `Counter` table.
@Suite struct CounterDocsTests {
    @Test func theDocumentHoldsTheGeneratedCounterTable() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/csv.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        #expect(text.contains(CounterDocs.block), "docs/csv.md is stale: regenerate its counters block with `bench list --counters`")
    }

    @Test func everyCounterColumnIsInBothFilesAsTheTableSays() {
        let trials = TrialColumns.all.header()
        let summary = SummaryColumns.all.header()
        for counter in Counter.allCases {
            guard let column = counter.definition.column else { continue }
            #expect(trials.contains(column), "\(column)")
            #expect(summary.contains(column) == counter.definition.inSummary, "\(column)")
        }
    }
}
