/// What a worker does when it finds nothing to run.
public enum IdlePolicy: Sendable {
    /// Exit at once (no reuse).
    case exit
    /// Wait on the free list for the idle timeout, then exit unless last of its group.
    case waitWithTimeout
    /// Wait on the free list for ever.
    case neverExit
}
