import Harness

/// Swift concurrency: a detached task per item on the global concurrent executor, the cooperative
/// pool (on Linux, libdispatch threads, at most one per core).
struct SwiftTasksPeer: PeerPool {
    func submit(_ item: @escaping @Sendable () -> Void) {
        Task.detached { item() }
    }
}
