import ArgumentParser
import Foundation
import Harness
import IOWQ

struct Kernels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Run the fidelity comparison on several kernels (Debian's 6.1 and 6.12, the host's) and put them side by side.",
        discussion: """
            Each kernel other than the host's boots in a qemu guest with virtme-ng (vng, from PyPI), over the host's root file system shared read-only, and runs this same binary's `bench fidelity --fingerprint` inside: the kernel's lineage fingerprint (bench fingerprint), then the kernel row and the lineage presets around the one it behaves like, on two vCPUs. Debian's images are fetched with apt-get download and unpacked with dpkg-deb -x into a cache ($IOWQ_KERNEL_CACHE, else ~/.cache/iowq-bench/kernels); nothing is installed.

            The guests run under KVM when a probe guest boots on it, else under qemu's TCG emulator, and the output says which. Under TCG everything is 3-10x slower: compare outcome classes inside one guest (kernel against its preset), never timings across guests.

            Writes <out>/<kernel>/ (each kernel's whole run, its fingerprint in meta.json), <out>/merged/ (their rows in one run, bench merge), <out>/kernels.csv (every kernel's fidelity rows with kernel_release, acceleration, cpu_model and the presets it behaves like and its version suggests first; docs/csv.md) and prints the kernel x preset table and each kernel's fingerprint. Needs qemu-system-x86, kmod, busybox-static and virtme-ng (scripts/install-guest-deps.sh).
            """
    )

    @Argument(help: ArgumentHelp("host, a Debian series (6.1, 6.12) or a path to a vmlinuz.", valueName: "kernel"))
    var kernels: [String] = ["6.1", "6.12", "host"]

    @Option(parsing: .unconditional, help: "Trials per configuration, in every kernel (\(SweepPlan.trialCounts.spelled)).", transform: SweepPlan.trialCounts.option)
    var trials = Fidelity.trials

    @Option(parsing: .unconditional, help: "Seed for the Poisson schedule (\(SweepPlan.seeds.spelled)).", transform: SweepPlan.seeds.option)
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("auto (KVM if a probe guest boots on it), kvm or tcg.", valueName: "mode"))
    var accel = "auto"

    /// What --timeout takes, in minutes: at most a day.
    static let timeouts = Bound<Int>(1...1440, "a time-out (minutes)")

    @Option(parsing: .unconditional, help: ArgumentHelp("Minutes one kernel's run may take, boot included (\(timeouts.spelled)).", valueName: "minutes"),
            transform: timeouts.option)
    var timeout = 60

    @Option(help: ArgumentHelp("Output folder; must not exist or be empty. Default: results/kernels-<UTC timestamp>.", valueName: "dir"))
    var out: String?

    func run() throws {
        let acceleration: Acceleration? = switch accel {
        case "auto": nil
        case "kvm": .kvm
        case "tcg": .tcg
        default: throw ValidationError("--accel must be auto, kvm or tcg, not '\(accel)'")
        }
        let requested = try kernels.map { try GuestKernel(parsing: $0) }
        var path = out ?? RunDirectory.defaultPath().replacingOccurrences(of: "results/", with: "results/kernels-")
        if !path.hasPrefix("/") { path = FileManager.default.currentDirectoryPath + "/" + path }
        var runner = try KernelsRunner(kernels: requested, trials: trials, seed: seed, out: path, acceleration: acceleration)
        runner.timeout = .seconds(timeout * 60)
        writeStandardError("bench kernels: \(requested.map(\.label).joined(separator: ", ")), \(trials) trials per configuration -> \(path)\n")
        let sources = try runner.run { writeStandardError($0 + "\n") }
        let (rows, missing) = try KernelMatrix.rows(run: path, sources)
        try Data(KernelMatrix.csv(rows).utf8).write(to: URL(fileURLWithPath: path + "/kernels.csv"))
        print(KernelMatrix.render(rows))
        print("")
        for line in KernelMatrix.fingerprints(run: path, sources) { print(line) }
        if sources.count > 1 {
            // one summary of every kernel's rows, with the kernel release as a column
            try RunMerge(paths: sources.map { path + "/" + $0.label }).write(to: path + "/merged")
            print("\nmerged every kernel's rows into \(path)/merged (bench merge)")
        }
        if !missing.isEmpty { print("\nno rows from: \(missing.joined(separator: ", "))") }
        print("\nwrote \(path)/kernels.csv; each kernel's run is in \(path)/<kernel>/")
        if sources.count < requested.count { throw ExitCode(1) }
    }
}
