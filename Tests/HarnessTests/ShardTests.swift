import Foundation
@testable import Harness
import IOWQ
import Testing

/// `bench run --shard i/n`: the same plan splits the same way every time, the parts are disjoint and
/// cover the sweep, they are balanced by expected trials, and a malformed shard is refused.
@Suite struct ShardTests {
    static let profiles = Profile.all.map(\.name)

    /// A profile's default sweep, as `bench run --profile <name>` plans it.
    static func sweep(_ profile: String, seed: UInt64 = 1) -> SweepPlan {
        let profile = Profile.named(profile)!
        return SweepPlan(configurations: profile.defaultSweep(), trials: nil, seed: seed, profile: profile)
    }

    @Test(arguments: profiles, [1, 2, 3, 4, 7])
    func shardsAreDisjointAndCoverTheSweep(profile: String, count: Int) throws {
        let sweep = Self.sweep(profile)
        let parts = try (1...count).map { sweep.restricted(to: try Shard(index: $0, count: count)).configurations }
        let all = parts.flatMap { $0 }
        #expect(all.count == sweep.configurations.count, "every configuration in exactly one shard")
        #expect(Set(all) == Set(sweep.configurations))
        for part in parts {
            // each shard keeps sweep order
            let positions = part.map { spec in sweep.configurations.firstIndex(of: spec)! }
            #expect(positions == positions.sorted())
        }
        // balanced by trials: no shard is heavier than the lightest by more than one configuration
        let loads = parts.map { $0.reduce(0) { $0 + sweep.trials(for: $1) } }
        let heaviest = sweep.configurations.map(sweep.trials(for:)).max() ?? 0
        #expect(loads.max()! - loads.min()! <= heaviest, "\(loads)")
    }

    @Test(arguments: profiles)
    func theSamePlanSplitsTheSameWay(profile: String) throws {
        let shard = try Shard(parsing: "2/3")
        let first = Self.sweep(profile).restricted(to: shard).configurations.map(\.label)
        // a plan rebuilt from scratch, as on another machine (the seed does not enter the split)
        let rebuilt = Self.sweep(profile, seed: 7)
        #expect(rebuilt.restricted(to: shard).configurations.map(\.label) == first)
        #expect(!first.isEmpty)
    }

    @Test func trialsNotCountsAreBalanced() {
        // one heavy configuration and four light ones: the heavy one is alone in its shard (10 against 10)
        let weights = [10, 3, 3, 3, 1]
        let assignment = Shard.assignment(weights, count: 2) { $0 }
        #expect(assignment == [0, 1, 1, 1, 1])
    }

    @Test func parsing() throws {
        #expect(try Shard(parsing: "1/1") == Shard(index: 1, count: 1))
        #expect(try Shard(parsing: "3/4").description == "3/4")
        for bad in ["0/2", "3/2", "x", "1/0", "1/2/3", "/2", "1/", ""] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try Shard(parsing: bad) }
        }
    }

    @Test func badShardsAreRefusedBeforeAnythingIsWritten() throws {
        for bad in ["0/2", "3/2", "x", "1/99999999999"] {
            let out = temporaryPath("shard")
            let run = try BenchProcess.run(["run", "--strategy", "eager", "--scenario", "first-worker", "--shard", bad, "--out", out])
            #expect(run.status == 64)
            #expect(run.standardError == "bench: error: --shard must be i/n with 1 <= i <= n <= 1000 (e.g. 2/4), not '\(bad)'\n")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    /// A shard with no configuration would be an empty run folder that merges as a part that ran.
    @Test func aShardWithNothingToRunIsRefused() throws {
        let out = temporaryPath("empty-shard")
        let run = try BenchProcess.run(["run", "--strategy", "eager", "--scenario", "first-worker", "--signals", "none",
                                        "--trials", "1", "--shard", "5/5", "--out", out])
        #expect(run.status == 64)
        #expect(run.standardError == "bench: error: shard 5/5 holds no configuration: the sweep has only 1, so split it into at most 1 shards\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aShardRunsItsPartAndSaysSoInMetaJSON() throws {
        let out = temporaryPath("shard-run")
        let run = try BenchProcess.run(["run", "--strategy", "eager", "--scenario", "first-worker", "--scenario", "burst:4",
                                        "--scenario", "chain:2", "--signals", "none", "--trials", "1", "--shard", "2/2", "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("shard 2/2: 1 of 3 configurations"))
        let summary = try CSVTable(path: out + "/summary.csv")
        #expect(summary.rows.count == 1)
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/meta.json"))) as! [String: Any]
        let shard = try #require(meta["shard"] as? [String: Int])
        #expect(shard == ["index": 2, "count": 2, "configurations": 1, "sweep_configurations": 3, "trials": 1, "sweep_trials": 3])
    }
}
