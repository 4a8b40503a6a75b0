import Harness

/// The pools people use, one implementation per `Peer` (the exhaustive switch keeps the names and
/// the implementations in step): `bench` hands this to the child process that runs a peer trial.
public enum PeerPools {
    public static let make: PeerPoolFactory = { peer, threads in
        switch peer {
        case .dispatch: DispatchPeer()
        case .foundationThread: FoundationThreadPeer()
        case .nioThreadPool: NIOThreadPoolPeer(threads: threads)
        case .swiftTasks: SwiftTasksPeer()
        }
    }
}
