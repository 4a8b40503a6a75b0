import Foundation
import Harness

/// Foundation's Thread: one new thread per item, made by start().
struct FoundationThreadPeer: PeerPool {
    func submit(_ item: @escaping @Sendable () -> Void) {
        Thread(block: item).start()
    }
}
