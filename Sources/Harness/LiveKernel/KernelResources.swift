#if canImport(Glibc)
import Glibc
#endif

/// The descriptors and buffers a plan's requests point at. They must outlive every request that
/// uses them: when a ring is left open with requests pending, its resources are left too.
final class KernelResources {
    private(set) var pipes: [(read: Int32, write: Int32)] = []
    private(set) var files: [Int32] = []
    private(set) var devNull: Int32 = -1
    /// One 8-byte slot per request: the byte a read lands in, the tag a file write appends.
    let buffers: UnsafeMutablePointer<UInt64>
    private let count: Int

    init(_ plan: KernelRequestPlan) throws(KernelRingSetupError) {
        count = max(1, plan.requests.count)
        buffers = .allocate(capacity: count)
        buffers.initialize(repeating: 0, count: count)
        for index in plan.requests.indices { buffers[index] = UInt64(index) }
        do throws(KernelRingSetupError) {
            for _ in 0..<plan.pipes {
                var fds: [Int32] = [-1, -1]
                guard pipe(&fds) == 0 else { throw KernelRingSetupError(call: "pipe", errno: errno) }
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
                pipes.append((fds[0], fds[1]))
            }
            devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
            guard devNull >= 0 else { throw KernelRingSetupError(call: "open /dev/null", errno: errno) }
            for _ in 0..<plan.files {
                var template = Array("/tmp/iowq-kernel-XXXXXX".utf8CString)
                let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
                guard fd >= 0 else { throw KernelRingSetupError(call: "mkostemp", errno: errno) }
                template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                files.append(fd)
            }
        } catch {
            release()
            throw error
        }
    }

    func buffer(_ index: Int) -> UnsafeMutablePointer<UInt64> { buffers + index }

    /// Writes `bytes` bytes to pipe `index` (never blocks: pipes hold 64 KiB).
    func fill(pipe index: Int, bytes: Int) {
        let chunk = [UInt8](repeating: 1, count: bytes)
        var offset = 0
        while offset < bytes {
            let n = chunk.withUnsafeBytes { write(pipes[index].write, $0.baseAddress! + offset, bytes - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// The 8-byte tags in file `index`, from its start.
    func tags(inFile index: Int) -> [UInt64] {
        var size = stat()
        guard fstat(files[index], &size) == 0 else { return [] }
        var tags = [UInt64](repeating: .max, count: Int(size.st_size) / 8)
        let length = tags.count * 8
        let n = tags.withUnsafeMutableBytes { pread(files[index], $0.baseAddress!, length, 0) }
        return n == length ? tags : []
    }

    /// Closes everything and frees the buffers; only once no request can touch them.
    func release() {
        for (readEnd, writeEnd) in pipes {
            close(readEnd)
            close(writeEnd)
        }
        pipes.removeAll()
        for fd in files { close(fd) }
        files.removeAll()
        if devNull >= 0 { close(devNull) }
        devNull = -1
        buffers.deallocate()
    }
}
