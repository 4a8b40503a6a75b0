#if canImport(Glibc)
import Glibc
#endif
import CProcessControl
import IOWQ

/// N unbound items; item i blocks reading pipe i until item i+1 has run and written it, and the
/// last item starts the cascade. CONCURRENT, as io_uring marks every IOSQE_ASYNC request
/// (io_prep_async_work), so each enqueue that finds no free worker creates one inline. All N must be running at once: the chain needs N live workers, and
/// if creation gives up while every worker is blocked it never finishes, although the group is not
/// empty (so the seed's cancel-on-empty rule does not save it).
final class PipeChain: @unchecked Sendable {
    let length: Int
    /// pipes[i] = (read end, write end); written by item i+1, read by item i.
    private var pipes: [(Int32, Int32)] = []

    init(length: Int) {
        self.length = length
        for _ in 0..<max(0, length - 1) {
            var fds: [Int32] = [0, 0]
            precondition(pipe(&fds) == 0, "pipe2 failed: errno \(errno)")
            pipes.append((fds[0], fds[1]))
        }
    }

    func workload(deadline: Duration) -> Workload {
        let items = (0..<length).map { index in
            WorkItem(flags: [.unbound, .concurrent], tag: index) { [self] context in
                if index < length - 1 {
                    // only item index + 1 writes this pipe: a wait on other work
                    let got = context.blockingOnOtherWork { awaitByte(on: pipes[index].0, context) }
                    guard got else { return .cancelled }
                }
                if index > 0 {
                    var byte: UInt8 = 1
                    _ = write(pipes[index - 1].1, &byte, 1)
                }
                return .ok
            }
        }
        return Workload(items: items, deadline: deadline, cleanup: { [self] in
            for (readEnd, writeEnd) in pipes {
                close(readEnd)
                close(writeEnd)
            }
            pipes.removeAll()
        })
    }

    /// A blocking read that gives up when the item is cancelled (teardown cancels running work).
    private func awaitByte(on fd: Int32, _ context: borrowing WorkContext) -> Bool {
        while !context.isCancelled {
            if proc_wait_readable(fd, 5) == 1 {
                var byte: UInt8 = 0
                return read(fd, &byte, 1) == 1
            }
        }
        return false
    }
}
