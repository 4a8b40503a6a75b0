#if canImport(Glibc)
import Glibc
#endif

/// The two real signals the injector sends. SIGUSR1 stands for any signal the application handles;
/// SIGUSR2 stands for SIGKILL: once delivered, the task is dying.
public enum InjectedSignal: Sendable, CaseIterable {
    case ordinary
    case fatal

    var number: Int32 {
        switch self {
        case .ordinary: SIGUSR1
        case .fatal: SIGUSR2
        }
    }
}
