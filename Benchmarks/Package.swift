// swift-tools-version: 6.3
// Micro benchmarks of the IOWQ pool with ordo-one/package-benchmark. A package of its own so
// that the root package does not depend on package-benchmark; run from this folder:
//   swift package benchmark
import PackageDescription

let package = Package(
    name: "IOWQBenchmarks",
    dependencies: [
        .package(name: "iowq-bench", path: ".."),
        // MallocInterposer only: the default traits also pull in swift-runtime-interposer, which
        // is not mirrored here.
        .package(
            url: "https://github.com/ordo-one/package-benchmark.git",
            from: "1.38.0",
            traits: ["MallocInterposer"]
        ),
    ],
    targets: [
        .executableTarget(
            name: "IOWQBenchmarks",
            dependencies: [
                .product(name: "IOWQ", package: "iowq-bench"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/IOWQBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "package-benchmark"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
