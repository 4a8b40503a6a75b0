import Harness
import NIOPosix

/// SwiftNIO's NIOThreadPool: a fixed number of threads, all made by start(), fed from one queue.
struct NIOThreadPoolPeer: PeerPool {
    let pool: NIOThreadPool

    /// Makes and starts the pool: its threads are created here, armed.
    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    func submit(_ item: @escaping @Sendable () -> Void) {
        pool.submit { state in
            if state == .active { item() }
        }
    }
}
