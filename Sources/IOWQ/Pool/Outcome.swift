/// How a work item ended. Every item gets exactly one.
public enum Outcome: Sendable, Hashable, CustomStringConvertible {
    case ok
    /// Completed as ECANCELED without running to its end.
    case cancelled
    /// Completed with an error, e.g. the last errno of a creation that never succeeded.
    case failed(Errno)

    public var description: String {
        switch self {
        case .ok: "ok"
        case .cancelled: "cancelled"
        case .failed(let error): "failed(\(error))"
        }
    }
}
