import ArgumentParser
import Foundation
import Harness
import IOWQ
import PeerPools

/// Runs trials of one configuration for a parent `bench run`; not for people.
struct Child: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run trials for a parent sweep (internal).", shouldDisplay: false)

    @Option var strategy: String
    @Option var scenario: String
    @Option var signals: String
    @Option var faults: String
    @Option var profile: String
    /// What --first-trial takes: the trials of one configuration are counted from 0.
    static let firstTrials = Bound<Int>(0...SweepPlan.trialCounts.range.upperBound, "a first trial")

    @Option(parsing: .unconditional, transform: firstTrials.option) var firstTrial: Int
    @Option(parsing: .unconditional, transform: SweepPlan.trialCounts.option) var trials: Int
    @Option(parsing: .unconditional, transform: SweepPlan.seeds.option) var seed: UInt64

    func run() throws {
        guard let profile = Profile.named(profile) else { throw ValidationError("unknown profile '\(profile)'") }
        // a foreign row's program comes in the environment its parent gave (ForeignLaunch)
        let foreign = ForeignPool.fromEnvironment(ProcessInfo.processInfo.environment).map { [$0] } ?? []
        let spec = try ConfigurationSpec(strategy: strategy, scenario: scenario, signals: signals, faults: faults, foreign: foreign)
        let status = ChildMain.run(spec, firstTrial: firstTrial, trials: trials, baseSeed: seed, profile: profile,
                                   context: ChildContext(peers: PeerPools.make))
        if status != 0 { throw ExitCode(status) }
    }
}
