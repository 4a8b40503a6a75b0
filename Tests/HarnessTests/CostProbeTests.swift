@testable import Harness
import Testing

/// The probes run every path they claim to, pair every round, and leave nothing behind.
@Suite struct CostProbeTests {
    @Test func everyKindIsMeasuredInPairedRounds() {
        let plan = CostProbeRunner.Plan(rounds: 3, handoffs: 5, pools: 2, bursts: 1)
        let probes = CostProbeRunner(plan: plan).run()
        #expect(probes.map(\.kind) == CostProbe.Kind.allCases)
        for probe in probes {
            #expect(probe.pool.count == 3 && probe.floor.count == 3, "\(probe.kind): the warm-up round is not kept")
            #expect(probe.pool.allSatisfy { $0 > 0 } && probe.floor.allSatisfy { $0 > 0 })
            #expect(probe.ratio.isFinite && probe.ratio > 0)
        }
        #expect(probes.map(\.samples) == [3 * 5, 3 * 2, 3 * 64])
    }

    @Test func theRatioIsTheMedianOfThePairedRatios() {
        let probe = CostProbe(kind: .handoff, pool: [10, 30, 20, 400], floor: [10, 10, 10, 10], perRound: 1)
        #expect(probe.ratios == [1, 3, 2, 40])
        #expect(probe.ratio == 2.5)
        #expect(probe.poolMedianNanoseconds == 25)
    }
}
