import IOWQ

/// Every name the command line knows, read from the one table of each dimension (the strategy
/// catalog, `Scenario.catalog`, `SignalSchedule.catalog`, `FaultPlan.catalog`, `Profile.all`).
/// `bench list` prints it, `bench list --json` and meta.json carry it, and the plots take their
/// names, order and families from it: nothing else spells a name.
public struct Vocabulary: Codable, Sendable, Equatable {
    public struct Strategy: Codable, Sendable, Equatable {
        public var name: String
        public var family: StrategyFamily
        public var summary: String
    }

    /// A command-line form (`burst:N`, `poisson:RATE`) and what it means.
    public struct Form: Codable, Sendable, Equatable {
        public var form: String
        public var summary: String
    }

    public struct ProfileName: Codable, Sendable, Equatable {
        public var name: String
        public var trials: Int
    }

    public var strategies: [Strategy]
    public var scenarios: [Form]
    public var signals: [Form]
    public var faults: [Form]
    public var profiles: [ProfileName]

    public static let current = Vocabulary(
        strategies: StrategyCatalog.all.map { Strategy(name: $0.name, family: $0.family, summary: $0.summary) },
        scenarios: Scenario.catalog.map(Form.init),
        signals: SignalSchedule.catalog.map(Form.init),
        faults: FaultPlan.catalog.map(Form.init),
        profiles: Profile.all.map { ProfileName(name: $0.name, trials: $0.trials) }
    )

    /// This build's vocabulary with the strategies of `sweep` that are not in it (the foreign pools
    /// a run named), so a run's meta.json names every strategy its rows have.
    public static func of(_ sweep: [ConfigurationSpec]) -> Vocabulary {
        var vocabulary = current
        for spec in sweep where !vocabulary.strategies.contains(where: { $0.name == spec.strategy.name }) {
            vocabulary.strategies.append(Strategy(name: spec.strategy.name, family: spec.strategy.family, summary: spec.strategy.summary))
        }
        return vocabulary
    }

    /// The forms of a dimension, for help texts and error messages: "a, b, c".
    public static func list(_ catalog: [(form: String, summary: String)]) -> String {
        catalog.map(\.form).joined(separator: ", ")
    }
}

extension Vocabulary.Form {
    init(_ entry: (form: String, summary: String)) {
        self.init(form: entry.form, summary: entry.summary)
    }
}
