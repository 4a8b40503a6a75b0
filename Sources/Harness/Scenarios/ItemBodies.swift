#if canImport(Glibc)
import Glibc
#endif
import IOWQ

enum ItemBodies {
    /// An item that sleeps `micros` inside `blocking { }`, as a read from a slow device would.
    static func blocking(flags: WorkItem.Flags = [], tag: Int = 0, micros: UInt32) -> WorkItem {
        WorkItem(flags: flags, tag: tag) { context in
            context.blocking { sleepMicros(micros) }
            return .ok
        }
    }

    static func sleepMicros(_ micros: UInt32) {
        var request = timespec(tv_sec: Int(micros / 1_000_000), tv_nsec: Int(micros % 1_000_000) * 1000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
