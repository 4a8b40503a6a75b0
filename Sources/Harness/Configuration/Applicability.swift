import IOWQ

/// Which configurations have a faithful meaning for a strategy, in one place for every family: the
/// model runs them all; the live kernel and the peer pools cannot inject some signals or faults.
/// A configuration that is not applicable still gets a row, whose note says why.
enum Applicability {
    /// "not applicable: <why>", or nil when the strategy can run `spec`.
    static func reason(_ spec: ConfigurationSpec) -> String? {
        let why: String? = switch spec.strategy.kind {
        case .model: nil
        case .kernelAnchor: kernel(spec)
        case .peer: peer(spec)
        }
        return why.map { "not applicable: " + $0 }
    }

    private static func kernel(_ spec: ConfigurationSpec) -> String? {
        if spec.signals.parts.contains(where: { if case .fatal = $0 { true } else { false } }) {
            return "a fatal signal would kill the whole benchmark process, and no other signal makes the kernel treat the task as dying"
        }
        if spec.signals.parts.contains(where: { if case .storm = $0 { true } else { false } }) {
            return "the kernel creates its workers inside io_uring_enter, out of user space's sight, so a signal before every creation cannot be sent (a signal per submission is another schedule); use a timed one"
        }
        if spec.faults != .none {
            return "the kernel's thread creation (create_io_thread) and worker allocation cannot be made to fail from user space"
        }
        return nil
    }

    private static func peer(_ spec: ConfigurationSpec) -> String? {
        if spec.signals != .none {
            return "signals do not fail a user-space pthread_create (the kernel restarts clone transparently), so a peer pool never meets one"
        }
        if case .failure(let why) = InterposerPlan.make(spec.faults) { return why }
        return PeerWorkload.unsupported(spec.scenario)
    }
}
