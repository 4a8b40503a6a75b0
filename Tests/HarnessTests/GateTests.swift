@testable import Harness
import Testing

/// The gate's judgement on small hand-made summaries: what must fail, what must pass, and that a
/// regression and an improvement are told apart.
@Suite struct GateTests {
    static let header = "strategy,scenario,signals,faults,items_submitted,items_ok,items_cancelled,items_failed,items_hung,items_completed_twice,hang_rate,latency_p50_us,latency_p99_us,throughput_items_per_s"

    static func summary(futex: Double = 4, prePatchHang: String = "1.0000", steadyP50: Double = 200, twice: Int = 0,
                        eagerHang: String = "0.0000", throughput: Double = 2000, lost: Int = 0) -> String {
        [
            header,
            "calibration,futex-handoff,none,none,2000,2000,0,0,0,0,0.0000,\(futex),6,0",
            "calibration,thread-create,none,none,500,500,0,0,0,0,0.0000,9,100,0",
            "pre-patch,first-worker,one-shot,none,5,0,0,0,5,0,\(prePatchHang),,,0",
            "pre-patch,steady:2000,none,none,600,\(600 - lost),0,0,0,\(twice),0.0000,\(steadyP50),900,\(throughput)",
            "eager,steady:2000,none,none,600,600,0,0,0,0,\(eagerHang),190,800,2000",
            "retry-5.15,first-worker,one-shot,none,5,5,0,0,0,0,0.0000,900,1500,100",
        ].joined(separator: "\r\n") + "\r\n"
    }

    func statuses(_ current: String, against baseline: String = summary()) throws -> [String: PerfGate.Status] {
        let checks = PerfGate.evaluate(try PerfGate.Table(csv: current, source: "current"), baseline: try PerfGate.Table(csv: baseline, source: "baseline"))
        return Dictionary(checks.map { ($0.name, $0.status) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func unchangedResultsPass() throws {
        let result = try statuses(Self.summary())
        #expect(result.values.allSatisfy { $0 == .pass })
        #expect(result["pre-patch first-worker one-shot none: must hang"] == .pass)
        #expect(result["eager steady:2000 none none: must not hang"] == .pass)
    }

    @Test func brokenInvariantsFail() throws {
        #expect(try statuses(Self.summary(prePatchHang: "0.0000"))["pre-patch first-worker one-shot none: must hang"] == .failed)
        #expect(try statuses(Self.summary(eagerHang: "0.2000"))["eager steady:2000 none none: must not hang"] == .failed)
        #expect(try statuses(Self.summary(twice: 1))["pre-patch steady:2000 none none: completed twice"] == .failed)
        #expect(try statuses(Self.summary(lost: 3))["pre-patch steady:2000 none none: ok+cancelled+failed+hung == submitted"] == .failed)
    }

    @Test func aSlowdownFailsAndASpeedUpIsAnImprovement() throws {
        let slower = try statuses(Self.summary(steadyP50: 200 * 4))
        #expect(slower["pre-patch steady:2000 none none: latency_p50_us / futex-handoff"] == .failed)
        let faster = try statuses(Self.summary(steadyP50: 200 / 4))
        #expect(faster["pre-patch steady:2000 none none: latency_p50_us / futex-handoff"] == .improved)
        let starved = try statuses(Self.summary(throughput: 600))
        #expect(starved["pre-patch steady:2000 none none: throughput / eager"] == .failed)
    }

    /// A slower machine slows the calibration and the pool alike: the ratio does not move.
    @Test func aUniformlySlowerMachineStillPasses() throws {
        let result = try statuses(Self.summary(futex: 8, steadyP50: 400))
        #expect(result["pre-patch steady:2000 none none: latency_p50_us / futex-handoff"] == .pass)
    }

    /// With five items a single scheduler tick decides p99 and throughput: those are not gated.
    @Test func tailAndThroughputNeedEnoughItems() throws {
        let few = Self.summary() + "pre-patch,first-worker,none,none,5,5,0,0,0,0,0.0000,200,4000,500\r\n"
        let names = try statuses(few).keys.filter { $0.hasPrefix("pre-patch first-worker none none") }
        #expect(names.contains("pre-patch first-worker none none: latency_p50_us / thread-create"))
        #expect(!names.contains { $0.contains("latency_p99_us") || $0.contains("throughput") })
    }

    @Test func aMalformedBaselineIsAClearError() {
        #expect(throws: GateError.self) { try PerfGate.Table(csv: "", source: "b") }
        #expect(throws: GateError.self) { try PerfGate.Table(csv: "strategy,scenario\r\na,b\r\n", source: "b") }
        let noCalibration = Self.summary().split(separator: "\r\n").filter { !$0.hasPrefix("calibration") }.joined(separator: "\r\n")
        #expect(throws: GateError.self) { try PerfGate.Table(csv: noCalibration, source: "b") }
        do {
            _ = try PerfGate.Table(csv: "strategy,scenario\r\na,b\r\n", source: "results/baseline/summary.csv")
        } catch {
            #expect("\(error)".hasPrefix("malformed baseline results/baseline/summary.csv: missing columns: signals, faults"))
        }
    }

    @Test func quotedFieldsAreRead() {
        #expect(CSVReader.rows("a,\"b,c\",\"say \"\"hi\"\"\"\r\n1,2,3\r\n") == [["a", "b,c", "say \"hi\""], ["1", "2", "3"]])
    }
}
