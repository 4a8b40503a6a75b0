/// A pool that could not be set up.
public enum PoolSetupError: Error, Equatable, CustomStringConvertible {
    case noWorkers(lastError: Errno)

    public var description: String {
        switch self {
        case .noWorkers(let error): "eager setup created no worker (last error \(error))"
        }
    }
}
