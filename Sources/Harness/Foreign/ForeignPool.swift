import IOWQ

/// A user's own pool program, named on the command line (`bench run --foreign NAME=COMMAND`): the
/// program speaks the line protocol of docs/foreign.md and runs under the interposer like a peer.
public struct ForeignPool: Sendable, Hashable {
    /// Its rows' strategy name.
    public let name: String
    /// Run with /bin/sh -c, once per trial.
    public let command: String

    /// "NAME=COMMAND": a name of lower-case letters, digits and '-' that no strategy has, and a
    /// command that is not empty.
    public init(parsing text: String) throws(ConfigurationError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw .invalid("--foreign '\(text)' is not NAME=COMMAND (e.g. --foreign my-pool='java -cp examples/foreign/java Pool')")
        }
        let name = String(text[..<equals]), command = String(text[text.index(after: equals)...])
        guard !name.isEmpty, name.count <= 40, name.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw .invalid("--foreign name '\(name)' must be 1 to 40 lower-case letters, digits or '-'")
        }
        guard !StrategyCatalog.all.contains(where: { $0.name == name }) else {
            throw .invalid("--foreign name '\(name)' is already a strategy's; pick another")
        }
        guard !command.allSatisfy(\.isWhitespace) else { throw .invalid("--foreign \(name): the command is empty") }
        self.name = name
        self.command = command
    }

    init(name: String, command: String) {
        self.name = name
        self.command = command
    }

    /// The example pools under examples/foreign (built by examples/foreign/build.sh), run from the
    /// package's folder: the `foreign` profile's.
    public static let examples = [
        ForeignPool(name: "c-pool", command: "examples/foreign/c/pool"),
        ForeignPool(name: "java-tpe", command: "java -Xss256k -XX:+UseSerialGC -cp examples/foreign/java Pool"),
        ForeignPool(name: "rust-spawn", command: "examples/foreign/rust/target/release/pool"),
        ForeignPool(name: "py-tpe", command: "python3 examples/foreign/python/pool.py"),
    ]

    /// Its rows' strategy.
    public var strategy: StrategyEntry {
        StrategyEntry(name: name, family: .foreign, summary: "a foreign pool program: \(command)", backend: ForeignBackend(pool: self))
    }

    /// How a parent tells its `bench child` which program a foreign row runs.
    static let nameVariable = "IOWQ_FOREIGN_NAME"
    static let commandVariable = "IOWQ_FOREIGN_COMMAND"

    /// The foreign pool a `bench child` was started for, from its environment.
    public static func fromEnvironment(_ environment: [String: String]) -> ForeignPool? {
        guard let name = environment[nameVariable], let command = environment[commandVariable] else { return nil }
        return ForeignPool(name: name, command: command)
    }
}
