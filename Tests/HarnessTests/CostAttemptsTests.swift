@testable import Harness
import Foundation
import Testing

/// How the gate measures a cost again: a check that one busy moment failed passes on a later
/// attempt; one that every attempt fails stays failed; a refreshed baseline is the median attempt.
@Suite struct CostAttemptsTests {
    static let firstWorker = "cost first-worker: pool / pthread_create"

    /// The default baseline of GateTests (first-worker 1.15, limit 1.15 x 1.06 = 1.219).
    func baseline() throws -> GateTable { try GateTests.baseline() }

    func attempts(_ firstWorker: [Double]) -> CostAttempts {
        var costs = CostAttempts()
        for ratio in firstWorker { costs.append(GateTests.probes(firstWorker: ratio)) }
        return costs
    }

    func judged(_ costs: CostAttempts) throws -> PerfGate.Check? {
        let checks = PerfGate.judge(costs.measurements(refreshing: false) + PerfGate.measurements(GateTests.rows()),
                                    baseline: try baseline())
        return checks.first { $0.name == Self.firstWorker }
    }

    @Test func aPassingFirstAttemptIsTheOnlyOne() throws {
        let costs = attempts([1.16])
        #expect(!costs.wantsAnotherAttempt(against: try baseline(), refreshing: false))
        let check = try judged(costs)
        #expect(check?.status == .pass && check?.reason == "")
    }

    @Test func aFailureOneLaterAttemptDoesNotShareIsNoFailure() throws {
        #expect(attempts([1.26]).wantsAnotherAttempt(against: try baseline(), refreshing: false))
        let costs = attempts([1.26, 1.17])
        #expect(!costs.wantsAnotherAttempt(against: try baseline(), refreshing: false))
        let check = try judged(costs)
        #expect(check?.status == .pass)
        #expect(check?.measurement.value == costs.probes(.firstWorker)[1].ratio)
        #expect(check?.reason == "lowest of 2 attempts: 1.260 1.170")
    }

    @Test func aRegressionEveryAttemptShowsFailsAfterTheLimit() throws {
        let baseline = try baseline()
        var costs = CostAttempts()
        while costs.attempts.isEmpty || costs.wantsAnotherAttempt(against: baseline, refreshing: false) {
            costs.append(GateTests.probes(firstWorker: 1.15 * 1.2))
        }
        #expect(costs.attempts.count == CostAttempts.judgingLimit)
        #expect(try judged(costs)?.status == .failed)
    }

    @Test func onlyTheFailingKindDecidesAnotherAttempt() throws {
        var costs = CostAttempts()
        costs.append(GateTests.probes(handoff: 1.04 * 2))
        #expect(costs.failing(against: try baseline()) == [.handoff])
    }

    @Test func aRefreshedBaselineKeepsTheMedianAttempt() throws {
        let costs = attempts([1.30, 1.20, 1.10, 1.25, 1.22])
        #expect(!costs.wantsAnotherAttempt(against: .empty, refreshing: true))
        #expect(attempts([1.2]).wantsAnotherAttempt(against: .empty, refreshing: true))
        let chosen = costs.measurements(refreshing: true).first { $0.name == Self.firstWorker }
        #expect(chosen?.value == costs.probes(.firstWorker)[4].ratio)
        #expect(chosen?.note == "median of 5 attempts: 1.300 1.200 1.100 1.250 1.220")
    }

    @Test func aBaselineFromAnotherMachineIsNamed() throws {
        let here = RunMetadata(profile: "gate", seed: 1, trials: 5)
        let folder = temporaryPath("gate-baseline")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func write(kernel: String) throws {
            let object: [String: Any] = ["kernel_release": kernel, "cpu_model": here.cpuModel]
            try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: folder + "/meta.json"))
        }
        try write(kernel: here.kernelRelease)
        #expect(PerfGate.machineDifference(baseline: folder, current: here) == nil)
        try write(kernel: "5.10.0-other")
        let line = try #require(PerfGate.machineDifference(baseline: folder, current: here))
        #expect(line.hasPrefix("the baseline was measured on 5.10.0-other"))
        #expect(PerfGate.machineDifference(baseline: folder + "/none", current: here) == nil)
    }
}
