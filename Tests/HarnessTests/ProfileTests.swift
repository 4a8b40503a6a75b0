import Harness
import IOWQ
import Testing

/// The profiles contain what differs: every strategy, the kernel and the lineage included, meets
/// chains and bursts under 1 kHz and 10 kHz signals, with more trials where rates lie between 0 and 1.
@Suite struct ProfileTests {
    @Test(arguments: [Profile.quick, .full]) func everyStrategyMeetsChainsAndBurstsUnderTimedRates(profile: Profile) {
        let sweep = profile.defaultSweep()
        for strategy in StrategyCatalog.all where strategy.family != .peer {
            for scenario in [Scenario.chain(8), .burst(64)] {
                for rate in [1000.0, 10000.0] {
                    let spec = ConfigurationSpec(strategy: strategy, scenario: scenario, signals: .periodic(perSecond: rate))
                    #expect(sweep.contains(spec), "\(profile.name): \(spec.label)")
                    #expect(profile.trials(for: spec) > profile.trials, "\(profile.name): \(spec.label)")
                }
            }
        }
        #expect(Set(sweep.map(\.label)).count == sweep.count, "no configuration twice")
    }

    /// The peers profile runs every peer, and the model strategies it is read beside, on each of its
    /// scenarios under every plan; none of its peer rows is "not applicable".
    @Test func thePeersProfileRunsEveryPeerUnderEveryPlan() {
        let sweep = Profile.peers.defaultSweep()
        for strategy in StrategyCatalog.peers + [StrategyCatalog.prePatch] {
            for scenario in Profile.peers.scenarios {
                for faults in [FaultPlan.none, .failAfter(0), .failAfter(2), .eagain(0.5)] {
                    #expect(sweep.contains(ConfigurationSpec(strategy: strategy, scenario: scenario, faults: faults)), "\(strategy.name) \(scenario) \(faults)")
                }
            }
        }
        #expect(sweep.allSatisfy { $0.signals == .none })
        #expect(!sweep.contains { $0.strategy.name == StrategyCatalog.kernel.name })
        #expect(Set(sweep.map(\.label)).count == sweep.count, "no configuration twice")
    }

    @Test func theFullProfileRunsAtLeastFiftyTrialsOnTheRateSweep() {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.kernel, scenario: .chain(8), signals: .periodic(perSecond: 10000))
        #expect(Profile.full.trials(for: spec) >= 50)
        #expect(Profile.full.trials(for: ConfigurationSpec(strategy: StrategyCatalog.kernel, scenario: .chain(8))) == Profile.full.trials)
    }
}

extension Profile: CustomTestStringConvertible {
    public var testDescription: String { name }
}
