/// The pools Swift programs use on Linux, by the names the command line knows: the one place each
/// peer is named. Their implementations live in the PeerPools target (the only one that sees NIO),
/// which `bench` hands to the child process that runs a peer's trial.
public enum Peer: String, CaseIterable, Codable, Sendable {
    case dispatch
    case foundationThread = "foundation-thread"
    case nioThreadPool = "nio-threadpool"
    case swiftTasks = "swift-tasks"

    /// One line for `bench list`: what an item is handed to.
    public var summary: String {
        switch self {
        case .dispatch: "libdispatch: DispatchQueue.global().async per item (OperationQueue and Swift tasks take their threads from it too on Linux)"
        case .foundationThread: "Foundation: a new Thread per item, start()"
        case .nioThreadPool: "SwiftNIO's NIOThreadPool (NIOPosix), started with as many threads as the model's groups have"
        case .swiftTasks: "Swift concurrency: Task.detached per item, on the cooperative pool"
        }
    }
}
