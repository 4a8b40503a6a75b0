import Foundation
@testable import Harness
import IOWQ
import Testing

/// `bench kernels` without booting anything: what a kernel name means, which Debian package
/// stands for a series, what of a guest's console is its script's, and the kernel x preset table
/// from hand-made runs. Booting a guest takes minutes under TCG: that is the documented command's
/// job (README, "The kernel matrix"), not CI's.
@Suite struct KernelsTests {
    @Test func kernelNames() throws {
        #expect(try GuestKernel(parsing: "host") == .host)
        #expect(try GuestKernel(parsing: "6.12") == .debian(series: KernelVersion(major: 6, minor: 12)))
        #expect(try GuestKernel(parsing: "/boot/vmlinuz-6.1.0-56-amd64") == .image(path: "/boot/vmlinuz-6.1.0-56-amd64"))
        #expect(try GuestKernel(parsing: "/boot/vmlinuz-6.1.0-56-amd64").label == "vmlinuz-6.1.0-56-amd64")
        for bad in ["6", "6.1.0", "linux", "6.x", ""] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try GuestKernel(parsing: bad) }
        }
    }

    /// apt-cache's lines as it prints them: the newest generic image of the series, never a cloud
    /// or real-time one, never another series that shares the prefix (6.12 is not 6.1).
    @Test func theNewestGenericPackageOfASeries() {
        let lines = [
            "linux-image-6.1.0-47-amd64-unsigned - Linux 6.1 for 64-bit PCs",
            "linux-image-6.1.0-56-cloud-amd64-unsigned - Linux 6.1 for x86-64 cloud",
            "linux-image-6.1.0-9-amd64-unsigned - Linux 6.1 for 64-bit PCs",
            "linux-image-6.1.0-56-amd64-unsigned - Linux 6.1 for 64-bit PCs",
            "linux-image-6.1.0-56-rt-amd64-unsigned - Linux 6.1 for 64-bit PCs, PREEMPT_RT",
            "linux-image-6.12.113+deb12-amd64-unsigned - Linux 6.12 for 64-bit PCs",
            "linux-image-6.12.107+deb12-amd64-unsigned - Linux 6.12 for 64-bit PCs",
        ]
        #expect(DebianKernelPackage.newest(lines, series: KernelVersion(major: 6, minor: 1)) == "linux-image-6.1.0-56-amd64-unsigned")
        #expect(DebianKernelPackage.newest(lines, series: KernelVersion(major: 6, minor: 12)) == "linux-image-6.12.113+deb12-amd64-unsigned")
        #expect(DebianKernelPackage.newest(lines, series: KernelVersion(major: 5, minor: 10)) == nil)
    }

    @Test func theGuestsConsoleWithoutTheKernelsLog() {
        #expect(GuestBoot.isConsoleNoise("[    1.501333] Run /init as init process"))
        #expect(GuestBoot.isConsoleNoise("[   12.0] 9pnet: Limiting 'msize'"))
        #expect(GuestBoot.isConsoleNoise("virtme-ng-init: starting script (console fallback)"))
        #expect(!GuestBoot.isConsoleNoise("[1/24] kernel chain:16 signals=periodic:1000 faults=none  stuck 0/100"))
        #expect(!GuestBoot.isConsoleNoise("6.1.0-56-amd64"))
        #expect(!GuestBoot.isConsoleNoise("qemu-system-x86_64: kvm.c:3183: kvm_buf_set_msrs: Assertion failed."))
    }

    /// Two kernels' runs become one table: each row says which kernel, release and CPU it ran on,
    /// the CSV keeps every row, and the printed table shows the rows over all trials.
    @Test func theMatrixFromTwoRuns() throws {
        let run = try handMadeRun([
            ("6.1", "6.1.0-56-amd64", "QEMU TCG CPU version 2.5+", "retry-5.16", "0.0300"),
            ("host", "6.18.44-fc-v657", "AMD EPYC", "retry-6.14", "0.4300"),
        ])
        let (rows, missing) = try KernelMatrix.rows(run: run, [.init(label: "6.1", acceleration: .tcg), .init(label: "host", acceleration: .native)])
        #expect(missing.isEmpty)
        #expect(rows.first?.prefix(7) == ["kernel_requested", "kernel_release", "acceleration", "cpu_model", "behaves_like", "version_suggests", "scenario"])
        #expect(rows.count == 1 + 4)
        #expect(Set(rows[0]).count == rows[0].count, "a column name twice: fidelity.csv has a 'kernel' column of its own")
        // 6.1 measured like 6.11 (Debian backported the retry limit); the host has no fingerprint
        #expect(rows[1].prefix(6) == ["6.1", "6.1.0-56-amd64", "tcg", "QEMU TCG CPU version 2.5+", "retry-6.11", "retry-5.16"])
        #expect(rows[3].prefix(6) == ["host", "6.18.44-fc-v657", "native", "AMD EPYC", "", "retry-6.14"])
        let lines = KernelMatrix.fingerprints(run: run, [.init(label: "6.1", acceleration: .tcg), .init(label: "host", acceleration: .native)])
        #expect(lines == ["6.1.0-56-amd64: behaves like retry-6.11 (its version suggests retry-5.16): cancelled at once",
                          "6.18.44-fc-v657: no lineage fingerprint"])
        let table = KernelMatrix.render(rows)
        #expect(table.contains("6.1.0-56-amd64") && table.contains("retry-5.16") && table.contains("0.03 [0.01, 0.09] n=100"))
        #expect(table.split(separator: "\n").count == 2 + 2, "only the rows over all trials: \(table)")
    }

    @Test func aKernelWithoutRowsIsNamedAndRunsOfAnotherBuildAreRefused() throws {
        let run = try handMadeRun([("6.1", "6.1.0-56-amd64", "QEMU", "retry-5.16", "0.0300")])
        let (rows, missing) = try KernelMatrix.rows(run: run, [.init(label: "6.1", acceleration: .tcg), .init(label: "6.12", acceleration: .tcg)])
        #expect(missing == ["6.12"])
        #expect(rows.count == 3)

        try FileManager.default.createDirectory(atPath: run + "/odd", withIntermediateDirectories: true)
        try "scenario,signals,other\nchain:16,periodic:1000,x\n".write(toFile: run + "/odd/fidelity.csv", atomically: true, encoding: .utf8)
        #expect(throws: GuestError.self) {
            try KernelMatrix.rows(run: run, [.init(label: "6.1", acceleration: .tcg), .init(label: "odd", acceleration: .tcg)])
        }
    }

    /// A kernel's run of this build: its rows are rebuilt from its typed records (summary.jsonl,
    /// trials.jsonl) and the presets its meta.json names; it has no fidelity.csv to read.
    @Test func theMatrixFromTypedRecords() throws {
        let folder = temporaryPath("kernels-typed") + "/6.1"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try #"{"kernel_release": "6.1.0-56-amd64", "cpu_model": "QEMU", "fidelity_presets": {"models": "retry-5.16"}}"#
            .write(toFile: folder + "/meta.json", atomically: true, encoding: .utf8)
        let summaries = try RecordFile<ConfigurationSummary>(path: folder + "/summary.jsonl")
        let trials = try RecordFile<TrialResult>(path: folder + "/trials.jsonl")
        // the kernel: 4 trials, the first stuck, alternately with and without SA_RESTART; the preset: 4, none stuck
        for strategy in [StrategyCatalog.kernel, try StrategyCatalog.named("retry-5.16")] {
            let spec = ConfigurationSpec(strategy: strategy, scenario: .chain(16), signals: .periodic(perSecond: 10000))
            var summary = ConfigurationSummary(spec)
            for number in 0..<4 {
                var trial = TrialResult(spec: spec, trial: number, seed: UInt64(number))
                let stuck = strategy.name == StrategyCatalog.kernel.name && number == 0
                trial.items.submitted = 16
                trial.items.ok = stuck ? 15 : 16
                trial.items.hung = stuck ? 1 : 0
                if strategy.name == StrategyCatalog.kernel.name { trial.saRestart = number % 2 == 0 }
                summary.add(trial)
                try trials.write(trial)
            }
            try summaries.write(summary)
        }
        try trials.finish()
        try summaries.finish()
        let (rows, missing) = try KernelMatrix.rows(run: (folder as NSString).deletingLastPathComponent, [.init(label: "6.1", acceleration: .tcg)])
        #expect(missing.isEmpty && !FileManager.default.fileExists(atPath: folder + "/fidelity.csv"))
        let header = try #require(rows.first)
        func field(_ row: [String], _ name: String) -> String { row[header.firstIndex(of: name)!] }
        #expect(rows.dropFirst().map { field($0, "sa_restart") } == ["all", "yes", "no"])
        #expect(rows.dropFirst().map { field($0, "kernel_trials") } == ["4", "2", "2"])
        #expect(rows.dropFirst().map { field($0, "kernel_stuck_rate") } == ["0.2500", "0.5000", "0.0000"])
        #expect(rows.dropFirst().allSatisfy { field($0, "model") == "retry-5.16" && field($0, "model_stuck_rate") == "0.0000" })
        #expect(field(rows[1], "kernel_release") == "6.1.0-56-amd64" && field(rows[1], "cpu_model") == "QEMU" && field(rows[1], "behaves_like") == "")
        #expect(KernelMatrix.render(rows).contains("0.25 [0.05, 0.70] n=4"))
    }

    /// A run folder with, per kernel, a meta.json and a fidelity.csv of two rows (all trials, and
    /// those with SA_RESTART) for chain:16 under 10 kHz.
    private func handMadeRun(_ kernels: [(label: String, release: String, cpu: String, preset: String, rate: String)]) throws -> String {
        let run = temporaryPath("kernels")
        for kernel in kernels {
            let folder = run + "/" + kernel.label
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let fingerprint = kernel.label == "6.1"
                ? #", "lineage_fingerprint": {"preset": "retry-6.11", "by_version": "retry-5.16", "reason": "cancelled at once"}"# : ""
            try #"{"kernel_release": "\#(kernel.release)", "cpu_model": "\#(kernel.cpu)"\#(fingerprint)}"#.write(toFile: folder + "/meta.json", atomically: true, encoding: .utf8)
            let header = "scenario,signals,sa_restart,kernel,kernel_trials,kernel_stuck_rate,kernel_stuck_ci_low,kernel_stuck_ci_high,model,model_trials,model_stuck_rate,model_stuck_ci_low,model_stuck_ci_high,verdict,reason\n"
            let all = "chain:16,periodic:10000,all,kernel,100,\(kernel.rate),0.0100,0.0900,\(kernel.preset),100,0.0300,0.0100,0.0900,agree,\n"
            let half = "chain:16,periodic:10000,yes,kernel,50,\(kernel.rate),0.0100,0.1200,\(kernel.preset),100,0.0300,0.0100,0.0900,agree,\n"
            try (header + all + half).write(toFile: folder + "/fidelity.csv", atomically: true, encoding: .utf8)
        }
        return run
    }
}
