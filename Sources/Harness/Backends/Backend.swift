import IOWQ

/// What runs one family of rows (the model pool, the live kernel, a peer pool): which
/// configurations it can run, how one of its trials runs in a child process, what it observes, and
/// what a trial is owed when its child dies. A strategy names its backend once (`StrategyEntry`);
/// nothing else asks which family a row is.
protocol Backend: Sendable {
    /// The counters its rows can see (`Counter.Definition.observedBy`): every other one is empty.
    var observer: Counter.Observers { get }

    /// Why it cannot run `spec`, in one sentence, or nil when it can.
    func refusal(_ spec: ConfigurationSpec) -> String?

    /// Checks, before a sweep starts, that a child can be launched for an applicable row of it
    /// (a peer needs the interposer library).
    func checkLaunchable() throws(ConfigurationError)

    /// The longest one trial of `spec` takes when it waits out its deadlines (SweepEstimate).
    func longestTrial(_ spec: ConfigurationSpec, _ profile: Profile) -> Duration

    /// One trial in this process (tests, and the serial backends' children).
    func runTrial(_ spec: ConfigurationSpec, trial: Int, seed: UInt64, profile: Profile) -> TrialResult

    /// The parent's side of one child that is to run trials `firstTrial..<firstTrial + trials`.
    func launch(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int, baseSeed: UInt64, profile: Profile,
                scratch: String) throws -> any ChildLaunch

    /// The child's side: runs the trials the parent asked for, each result written to standard
    /// output as one JSON line as soon as it ends; the child's exit status.
    func runChild(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int, baseSeed: UInt64, profile: Profile,
                  context: ChildContext) -> Int32
}

extension Backend {
    func checkLaunchable() throws(ConfigurationError) {}

    /// Its items' deadline (after the arrivals, when they are open-loop) and its exit's.
    func longestTrial(_ spec: ConfigurationSpec, _ profile: Profile) -> Duration {
        var work = profile.itemDeadline + profile.exitDeadline
        if spec.scenario.shape.isOpenLoop { work += profile.steadyDuration }
        return work
    }
}

/// How a child ended before it reported every trial it was asked for.
enum ChildDeath: Sendable {
    /// The watchdog killed it: it had gone silent past its budget.
    case killed
    /// It died by a signal of its own (a Swift trap is SIGILL), with the last line it wrote to
    /// standard error.
    case crashed(signal: Int32, message: String?)
    /// It exited with this status without reporting the trial, with its last line of stderr.
    case exited(status: Int32, message: String?)
}

/// One child process as its parent sees it: the environment it needs, how long it may stay silent,
/// and the result it is owed for a trial it did not report.
protocol ChildLaunch: AnyObject {
    /// Added to the harness's own child environment.
    var environment: [String: String] { get }
    /// How many of the asked trials this child runs (a peer's child runs one).
    var trials: Int { get }
    /// After the last line (or the start), the parent looks at the child at each of these times;
    /// at the last one it kills it.
    var looks: [Duration] { get }
    /// Whether what the child wrote to standard error is passed on (a model child's warnings) or
    /// kept for the trial's own use (a peer's).
    var forwardsStandardError: Bool { get }

    /// A look before the last: the launch samples what it watches (a peer's creation attempts).
    func look()

    /// The result of trial `trial`, which the child did not report; nil when none is owed and the
    /// trial is to run in a fresh child (a model child stops after an exit hang).
    func owed(_ trial: Int, seed: UInt64, _ death: ChildDeath) -> TrialResult?
}

/// What a child process is given beyond its configuration: the peers' pools, which only the
/// command line's target can build.
public struct ChildContext: Sendable {
    public var peers: PeerPoolFactory?

    public init(peers: PeerPoolFactory? = nil) {
        self.peers = peers
    }
}

extension ConfigurationSpec {
    /// Checks, before a sweep starts, that a child can be launched for every applicable row of it.
    public static func checkLaunchable(_ configurations: [ConfigurationSpec]) throws(ConfigurationError) {
        for spec in configurations where Applicability.reason(spec) == nil {
            try spec.strategy.backend.checkLaunchable()
        }
    }
}
