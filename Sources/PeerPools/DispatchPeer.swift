import Dispatch
import Harness

/// libdispatch's global concurrent queue: its root queue makes a thread when work arrives and none
/// is idle, from the thread that called async() (on Linux, its own workqueue with pthread_create).
struct DispatchPeer: PeerPool {
    func submit(_ item: @escaping @Sendable () -> Void) {
        DispatchQueue.global().async(execute: item)
    }
}
