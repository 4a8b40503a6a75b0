import IOWQ

/// Which kind of row a strategy makes: the design card's four, the seed's upstream lineage, the
/// live kernel, a pool people use, or a user's own pool program (`--foreign`).
public enum StrategyFamily: String, Codable, Sendable {
    case classic, lineage, kernel, peer, foreign
}

/// A strategy the command line can name, and the backend that runs its rows: the one place a
/// row's family is decided.
public struct StrategyEntry: Sendable {
    public let name: String
    public let family: StrategyFamily
    public let summary: String
    /// What runs its trials: the model pool with this strategy, the live kernel, or a peer pool.
    let backend: any Backend

    /// A model strategy, named by the strategy itself.
    init(_ strategy: any WorkerCreationStrategy, family: StrategyFamily, summary: String) {
        self.init(name: strategy.name, family: family, summary: summary, backend: ModelBackend { strategy })
    }

    init(name: String, family: StrategyFamily, summary: String, backend: any Backend) {
        self.name = name
        self.family = family
        self.summary = summary
        self.backend = backend
    }
}

/// Every strategy by name. A new strategy is one new file in IOWQ/Strategies and one entry here.
public enum StrategyCatalog {
    public static let all: [StrategyEntry] = classic + lineage + [kernel] + peers

    public static let naive = StrategyEntry(
        Naive(), family: .classic, summary: "inline creation on every enqueue, 8 inline retries, then the item fails; no reuse")
    public static let prePatch = StrategyEntry(
        PrePatch(), family: .classic, summary: "Linux 5.14 before the seed: a failed creation gives up, an empty group hangs")
    public static let seed = StrategyEntry(
        RetryViaWorkqueue.seed, family: .classic, summary: "the seed (3146cba99aa2) as committed: retries through a kworker, with its defects")
    public static let eager = StrategyEntry(
        Eager(), family: .classic, summary: "every worker created at setup, none on demand, none exits on idle")

    /// The four strategies of the design card.
    public static let classic: [StrategyEntry] = [naive, prePatch, seed, eager]

    /// The seed as fixed upstream, cumulatively (retry-5.15 ... retry-6.19).
    public static let lineage: [StrategyEntry] = RetryViaWorkqueue.lineage.map { preset in
        StrategyEntry(preset.strategy, family: .lineage, summary: "+ \(preset.adds) (\(preset.commits))")
    }

    /// Kernel series a lineage preset stands for beside the one in its name, because the trees the
    /// suite boots carry a later fix: Debian's 6.12.118 has 13918315c5dc's backoff
    /// (io_uring/io-wq.c:850), so it is `retry-6.14`. (Debian's 6.1.192 is `retry-6.1` by its name.)
    public static let alsoStandsFor: [String: [KernelVersion]] = ["retry-6.14": [KernelVersion(major: 6, minor: 12)]]

    public static let kernel = StrategyEntry(
        name: "kernel", family: .kernel, summary: "the running kernel's io-wq through io_uring (IOSQE_ASYNC): the live anchor", backend: KernelBackend())

    /// The pools people use, each named once by `Peer`.
    public static let peers: [StrategyEntry] = Peer.allCases.map { peer in
        StrategyEntry(name: peer.rawValue, family: .peer, summary: peer.summary, backend: PeerBackend(peer: peer))
    }

    /// The strategy called `name`: one of `all`, or one of the `foreign` pools named on the command line.
    public static func named(_ name: String, foreign: [ForeignPool] = []) throws(ConfigurationError) -> StrategyEntry {
        if let pool = foreign.first(where: { $0.name == name }) { return pool.strategy }
        guard let entry = all.first(where: { $0.name == name }) else {
            throw .invalid("unknown strategy '\(name)' (expected one of: \((all.map(\.name) + foreign.map(\.name)).joined(separator: ", ")), or a --foreign NAME=COMMAND)")
        }
        return entry
    }
}
