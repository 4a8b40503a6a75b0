// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "iowq-bench",
    products: [
        .library(name: "IOWQ", targets: ["IOWQ"]),
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // C glue: futex parker, signal masks, pthread_create with attributes.
        .target(name: "CFutex"),
        // jemalloc's mallocx/mallctl (libjemalloc-dev): worker records live in an arena of their own.
        .systemLibrary(name: "CJemalloc", pkgConfig: "jemalloc", providers: [.apt(["libjemalloc-dev"])]),
        // The io-wq pool, the kernel stand-ins it runs on, and the worker-creation strategies.
        .target(name: "IOWQ", dependencies: ["CFutex", "CJemalloc"]),
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
