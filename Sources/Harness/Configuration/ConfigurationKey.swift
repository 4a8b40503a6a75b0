/// A configuration's identity, spelled once: its four names as the command line spells them
/// (`--strategy`, `--scenario`, `--signals`, `--faults`) and where it ran (HostIdentity: the kernel
/// release and whether it was emulated). A trial and a summary row carry one; trials.csv and
/// summary.csv begin with its columns; two summary rows of one run, or of one merged run, never
/// share one (`bench merge`).
public struct ConfigurationKey: Codable, Hashable, Sendable {
    public var strategy: String
    public var scenario: String
    public var signals: String
    public var faults: String
    public var kernelRelease: String
    public var emulated: Bool

    public init(strategy: String, scenario: String, signals: String, faults: String,
                kernelRelease: String = HostIdentity.current.kernelRelease, emulated: Bool = HostIdentity.current.emulated) {
        self.strategy = strategy
        self.scenario = scenario
        self.signals = signals
        self.faults = faults
        self.kernelRelease = kernelRelease
        self.emulated = emulated
    }

    /// `spec` run on this machine.
    public init(_ spec: ConfigurationSpec) {
        self.init(strategy: spec.strategy.name, scenario: spec.scenario.description,
                  signals: spec.signals.description, faults: spec.faults.description)
    }

    /// Its columns in trials.csv and summary.csv, in order: the configuration's four names, then
    /// where it ran.
    static let columns = ["strategy", "scenario", "signals", "faults", "kernel_release", "emulated"]

    /// Its values in `columns`' order, as a CSV row spells them.
    var fields: [String] { [strategy, scenario, signals, faults, kernelRelease, emulated ? "1" : "0"] }

    /// A key from the values of `columns`, in their order (a row of an older CSV read back).
    init(fields: [String]) {
        precondition(fields.count == Self.columns.count, "a configuration key has \(Self.columns.count) fields")
        self.init(strategy: fields[0], scenario: fields[1], signals: fields[2], faults: fields[3],
                  kernelRelease: fields[4], emulated: fields[5] == "1")
    }

    /// The four names without where it ran.
    var configuration: [String] { [strategy, scenario, signals, faults] }
    var host: HostKey { HostKey(kernelRelease: kernelRelease, emulated: emulated) }

    /// For people: "eager first-worker signals=none faults=none on 6.18.44 (emulated)".
    public var label: String { "\(strategy) \(scenario) signals=\(signals) faults=\(faults) on \(host.label)" }
}

/// A kernel release, emulated or not: where a row ran, and the machines a merged run's rows come from.
struct HostKey: Hashable, Comparable {
    let kernelRelease: String
    let emulated: Bool

    var label: String { kernelRelease + (emulated ? " (emulated)" : "") }
    var folder: String { RunDirectory.fileName([kernelRelease + (emulated ? "-emulated" : "")]) }

    static func < (lhs: HostKey, rhs: HostKey) -> Bool { (lhs.kernelRelease, lhs.emulated ? 1 : 0) < (rhs.kernelRelease, rhs.emulated ? 1 : 0) }
}

/// A record that carries a configuration key (TrialResult, ConfigurationSummary): its names read
/// from the key.
public protocol ConfigurationKeyed {
    var key: ConfigurationKey { get }
}

extension ConfigurationKeyed {
    public var strategy: String { key.strategy }
    public var scenario: String { key.scenario }
    public var signals: String { key.signals }
    public var faults: String { key.faults }
}
