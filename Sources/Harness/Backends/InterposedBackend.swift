import IOWQ

/// A backend whose pool runs in a process of its own under libIOWQThreadInterposer.so (a peer, a
/// foreign program): it meets only the faults the interposer can make (pthread_create failing
/// with EAGAIN), never a signal, and needs the library beside bench.
protocol InterposedBackend: Backend {
    /// What its pool is called in a refusal: "a peer pool".
    var poolNoun: String { get }
    /// Why it cannot run `scenario`, or nil.
    func unsupported(_ scenario: Scenario) -> String?
}

extension InterposedBackend {
    var observer: Counter.Observers { .peer }

    func refusal(_ spec: ConfigurationSpec) -> String? {
        if spec.signals != .none {
            return "signals do not fail a user-space pthread_create (the kernel restarts clone transparently), so \(poolNoun) never meets one"
        }
        if case .failure(let why) = InterposerPlan.make(spec.faults) { return why }
        return unsupported(spec.scenario)
    }

    func checkLaunchable() throws(ConfigurationError) {
        _ = try PeerLaunch.library()
    }
}
