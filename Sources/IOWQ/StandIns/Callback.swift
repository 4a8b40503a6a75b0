/// A function queued with one pointer argument, as the kernel queues a `callback_head`: on the
/// task as task_work, or on the system workqueue. Callbacks are static instances compared by
/// identity, which is what lets exit find "the create requests of this pool" in the task's queue.
public final class Callback: Sendable, CustomStringConvertible {
    public let name: String
    let function: @Sendable (UnsafeMutableRawPointer) -> Void

    init(_ name: String, _ function: @escaping @Sendable (UnsafeMutableRawPointer) -> Void) {
        self.name = name
        self.function = function
    }

    public var description: String { name }
}

/// A callback and its argument, as they sit in a queue.
struct QueuedCallback {
    let callback: Callback
    let argument: UnsafeMutableRawPointer

    func run() { callback.function(argument) }
}
