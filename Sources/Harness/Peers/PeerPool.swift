/// A pool from outside this project reduced to what a trial needs: hand it an item. The Peers
/// target implements one per `Peer`; the harness runs them without knowing what they are.
public protocol PeerPool: Sendable {
    /// Runs `item` on one of the pool's threads (or, for a thread per item, a new one).
    func submit(_ item: @escaping @Sendable () -> Void)
}

/// Builds and starts the pool `peer` names; `threads` is its size where it takes one. Starting
/// happens here and is measured: a pool that makes its threads up front makes them armed.
public typealias PeerPoolFactory = @Sendable (_ peer: Peer, _ threads: Int) -> any PeerPool
