#if canImport(Glibc)
import Glibc
#endif
@testable import IOWQ
import Testing

/// jemalloc serves the worker records only: the process's allocator must stay glibc's (or the
/// sanitizer's), which depends on the link order set in CJemalloc's module map.
@Suite struct WorkerAllocatorTests {
    @Test(arguments: ["malloc", "free", "calloc", "realloc", "_Znwm", "_ZdlPv"])
    func theProcessAllocatorIsNotJemalloc(symbol: String) throws {
        let jemalloc = try #require(dlopen("libjemalloc.so.2", RTLD_NOW | RTLD_NOLOAD), "jemalloc is not loaded")
        defer { dlclose(jemalloc) }
        let jemallocs = try #require(dlsym(jemalloc, symbol))
        let bound = try #require(dlsym(nil, symbol))
        // A build folder from before the module map's link order keeps the old order: rebuild it.
        #expect(bound != jemallocs, "\(symbol) binds to jemalloc's")
    }

    @Test func recordsComeFromTheArenaAndGoBack() throws {
        let allocator = WorkerAllocator(faults: FaultInjector(plan: .none, seed: 1), counters: Counters())
        defer { allocator.destroy() }
        let record = try #require(allocator.allocate(UInt64.self))
        #expect(record.pointee == 0)
        #expect(allocator.liveBytes == WorkerAllocator.recordBytes(UInt64.self))
        allocator.free(record)
        #expect(allocator.liveBytes == 0)
    }
}
