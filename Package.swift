// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "iowq-bench",
    products: [
        .library(name: "IOWQ", targets: ["IOWQ"]),
        .executable(name: "bench", targets: ["bench"]),
        // LD_PRELOAD it to make pthread_create fail by a plan from the environment (docs/interposer.md).
        .library(name: "IOWQThreadInterposer", type: .dynamic, targets: ["CThreadInterposer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.1.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
    ],
    targets: [
        // The pool's C glue: futex parker, signal masks, pthread_create with attributes, pinning.
        // The harness makes its own helper threads with it too.
        .target(name: "CPoolShims"),
        // The harness's process control: stop on SIGINT/SIGTERM, posix_spawn, poll, /proc threads.
        .target(name: "CProcessControl"),
        // jemalloc's mallocx/mallctl (libjemalloc-dev): worker records live in an arena of their own.
        // No pkg-config: its -ljemalloc would come before libc, and jemalloc's malloc would become
        // the process's (module.modulemap says why that must not happen).
        .systemLibrary(name: "CJemalloc"),
        // liburing (liburing-dev): the kernel anchor runs the workloads on the kernel's own io-wq.
        .systemLibrary(name: "CURing", pkgConfig: "liburing", providers: [.apt(["liburing-dev"])]),
        // The lineage fingerprint's probe (bench fingerprint): one io-wq request whose every worker
        // creation meets a pending signal, on the live kernel.
        .target(name: "CLineageProbe", dependencies: ["CURing"]),
        // The io-wq pool, the kernel stand-ins it runs on, and the worker-creation strategies.
        .target(name: "IOWQ", dependencies: ["CPoolShims", "CJemalloc"]),
        // Scenarios, trials, child-process isolation, CSV and terminal output.
        .target(name: "Harness", dependencies: [
            "IOWQ", "CPoolShims", "CProcessControl", "CURing", "CLineageProbe",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        // The pools people use (libdispatch, Foundation threads, NIOThreadPool, Swift tasks) behind
        // Harness's `PeerPool`: the only target that sees NIO, so neither IOWQ nor Harness does.
        .target(name: "PeerPools", dependencies: [
            "Harness",
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The command line: `swift run bench`.
        .executableTarget(name: "bench", dependencies: [
            "Harness", "IOWQ", "CProcessControl", "PeerPools",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The pthread_create interposer. Only the dynamic library product may contain it: a target
        // that depends on it would have its own pthread_create replaced.
        .target(name: "CThreadInterposer"),
        // A C program that creates threads and says which creations failed (the interposer's tests).
        .executableTarget(name: "interposer-probe"),
        .testTarget(
            name: "HarnessTests",
            dependencies: ["Harness", "IOWQ", "bench"]
        ),
        // Runs interposer-probe with libIOWQThreadInterposer.so preloaded.
        .testTarget(
            name: "InterposerTests",
            dependencies: ["interposer-probe"]
        ),
        .testTarget(
            name: "IOWQTests",
            dependencies: [
                "IOWQ",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
