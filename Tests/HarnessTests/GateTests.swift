@testable import Harness
import Testing

/// The gate's judgement on hand-made measurements: what must fail (a regression, a check gone
/// missing or left empty, a broken outcome), what must pass (noise within tolerance), and that a
/// regression and an improvement are told apart.
@Suite struct GateTests {
    /// Cost probes with these ratios (pool over floor), as a run would measure them.
    static func probes(handoff: Double = 1.04, firstWorker: Double = 1.15, burst: Double = 0.125) -> [CostProbe] {
        [(CostProbe.Kind.handoff, handoff), (.firstWorker, firstWorker), (.burst, burst)].map { kind, ratio in
            CostProbe(kind: kind, pool: Array(repeating: 5000 * ratio, count: 9), floor: Array(repeating: 5000, count: 9),
                      perRound: 200)
        }
    }

    /// The behaviour sweep's rows as a run that behaves would produce them.
    static func rows(_ change: (inout ConfigurationSummary) -> Void = { _ in }) -> [ConfigurationSummary] {
        PerfGate.expectations().map { spec, expect in
            var row = ConfigurationSummary(spec)
            row.trials = 5
            row.items.submitted = spec.scenario.description == "burst:64" ? 320 : 5
            if expect.contains(.hangs) {
                row.hungTrials = 5
                row.items.hung = row.items.submitted
            } else {
                row.items.ok = row.items.submitted
            }
            change(&row)
            return row
        }
    }

    static func measurements(_ probes: [CostProbe] = probes(), _ rows: [ConfigurationSummary] = rows()) -> [PerfGate.Measurement] {
        PerfGate.measurements(probes) + PerfGate.measurements(rows)
    }

    /// The baseline a refresh would write from the default measurements, read back from its CSV.
    static func baseline() throws -> GateTable {
        let checks = PerfGate.judge(measurements(), baseline: .empty)
        return try GateTable(csv: PerfGate.csv(checks), source: "baseline")
    }

    func judged(_ current: [PerfGate.Measurement]) throws -> [String: PerfGate.Check] {
        let checks = PerfGate.judge(current, baseline: try Self.baseline())
        return Dictionary(checks.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    static let handoff = "cost handoff: pool / futex round trip"

    @Test func aFreshBaselineHasEveryCheckAndNoFailure() throws {
        let checks = PerfGate.judge(Self.measurements(), baseline: .empty)
        #expect(checks.filter { $0.status == .failed }.isEmpty)
        #expect(checks.filter { $0.status == .new }.count == 3)
        #expect(try Self.baseline().order.count == checks.count)
    }

    @Test func aNoisyButUnchangedRunPasses() throws {
        // each ratio moved as far as unchanged code moved it in 30 runs here, both ways
        let noisy = Self.probes(handoff: 1.04 * 1.05, firstWorker: 1.15 / 1.02, burst: 0.125 * 1.03)
        let checks = try judged(Self.measurements(noisy))
        #expect(checks.values.allSatisfy { $0.status == .pass })
    }

    @Test func aTwiceSlowerHandoffFails() throws {
        let checks = try judged(Self.measurements(Self.probes(handoff: 1.04 * 2)))
        #expect(checks[Self.handoff]?.status == .failed)
        #expect(checks.values.filter { $0.status == .failed }.map(\.name) == [Self.handoff])
    }

    @Test func aFasterPathIsAnImprovementNotAFailure() throws {
        let checks = try judged(Self.measurements(Self.probes(burst: 0.125 / 2)))
        #expect(checks["cost burst: pool / futex round trip"]?.status == .improved)
        #expect(!checks.values.contains { $0.status == .failed })
    }

    @Test func aCheckMissingFromTheRunFails() throws {
        let withoutBurst = Self.probes().filter { $0.kind != .burst }
        let checks = try judged(Self.measurements(withoutBurst))
        let missing = try #require(checks["cost burst: pool / futex round trip"])
        #expect(missing.status == .failed)
        #expect(missing.reason == "in the baseline, missing from this run")
    }

    @Test func aRowThatNeverRanLeavesItsChecksEmptyAndFailing() throws {
        let rows = Self.rows().filter { $0.gateName != "eager burst:64 none none" }
        let checks = try judged(Self.measurements(Self.probes(), rows))
        let empty = try #require(checks["eager burst:64 none none: share of items ok"])
        #expect(empty.status == .failed)
        #expect(empty.reason == "not measured")
        #expect(checks["eager burst:64 none none: items completed twice"]?.status == .failed)
    }

    @Test func brokenOutcomesFail() throws {
        let noHang = try judged(Self.measurements(Self.probes(), Self.rows { row in
            if row.gateName == "pre-patch first-worker one-shot none" {
                row.hungTrials = 0
                row.items.hung = 0
                row.items.cancelled = row.items.submitted
            }
        }))
        #expect(noHang["pre-patch first-worker one-shot none: share of trials hung"]?.status == .failed)

        let oneFailed = try judged(Self.measurements(Self.probes(), Self.rows { row in
            if row.gateName == "retry-6.14 first-worker one-shot none" {
                row.items.ok -= 1
                row.items.failed = 1
            }
        }))
        #expect(oneFailed["retry-6.14 first-worker one-shot none: share of items ok"]?.status == .failed)

        let exitHang = try judged(Self.measurements(Self.probes(), Self.rows { row in
            if row.gateName == "retry-5.15 burst:64 none none" { row.exitHangs = 1 }
        }))
        #expect(exitHang["retry-5.15 burst:64 none none: share of trials with an exit hang"]?.status == .failed)

        let twice = try judged(Self.measurements(Self.probes(), Self.rows { row in row.items.completedTwice = 1 }))
        #expect(twice["naive burst:64 none none: items completed twice"]?.status == .failed)
        // the seed's own defect is what it is: no check
        #expect(twice["retry-via-workqueue burst:64 none none: items completed twice"] == nil)
    }

    @Test func theBehaviourSweepCoversWhatTheGatePromises() {
        let names = Set(PerfGate.measurements(Self.rows()).map(\.name))
        #expect(names.contains("kernel first-worker none none: share of items ok"))
        #expect(names.contains("pre-patch first-worker one-shot none: share of trials hung"))
        #expect(!names.contains("naive first-worker one-shot none: share of items ok"))
        for preset in StrategyCatalog.lineage.map(\.name) {
            #expect(names.contains("\(preset) first-worker one-shot none: share of items ok"))
            #expect(names.contains("\(preset) first-worker one-shot none: share of trials with an exit hang"))
        }
    }

    @Test func theCSVRoundTrips() throws {
        let checks = PerfGate.judge(Self.measurements(), baseline: try Self.baseline())
        let table = try GateTable(csv: PerfGate.csv(checks), source: "gate.csv")
        #expect(table.order == checks.map(\.name))
        #expect(table.values[Self.handoff] == 1.04)
    }

    @Test func aMalformedBaselineIsAClearError() {
        #expect(throws: GateError.self) { try GateTable(csv: "", source: "b") }
        #expect(throws: GateError.self) { try GateTable(csv: "check,value\r\n", source: "b") }
        #expect(throws: GateError.self) { try GateTable(csv: "check,value\r\na,1\r\na,2\r\n", source: "b") }
        #expect(throws: GateError.self) { try GateTable(csv: "check,value\r\na,fast\r\n", source: "b") }
        do {
            _ = try GateTable(csv: "strategy,scenario\r\na,b\r\n", source: "results/baseline/gate.csv")
        } catch {
            #expect("\(error)" == "malformed baseline results/baseline/gate.csv: missing columns: check, value")
        }
    }

    @Test func quotedFieldsAreRead() {
        #expect(CSVReader.rows("a,\"b,c\",\"say \"\"hi\"\"\"\r\n1,2,3\r\n") == [["a", "b,c", "say \"hi\""], ["1", "2", "3"]])
    }
}
