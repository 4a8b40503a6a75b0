import ArgumentParser
import CProcessControl
import Foundation
import Harness
import IOWQ

struct Fingerprint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Say which upstream preset the running kernel's io-wq behaves like, from its behaviour alone.",
        discussion: """
            Each trial submits one IOSQE_ASYNC no-op (queued from task_work, so its first worker is created there) while the submitting thread is held with a signal pending at every moment task_work can run: every worker creation fails as the seed's bug needs. What the kernel then does names the preset: cancels it at once after 3 retries (retry-6.11), cancels it after the 5/10/15 ms backoff (retry-6.14), or retries until the storm stops (retry-5.16: completes at once; retry-6.19: only when its growing backoff runs out). Control trials without a signal must complete. Then activation trials put two IOSQE_ASYNC blocking splices in one io_uring_enter, no worker able to run before the count, and count the workers that enter created: two before 22f7fb80e6d9 (6.6; Debian's 6.1: a free worker counts only if woken), one from it (any worker on the free list counts). Each trial runs in a child process, killed if it never answers. About 0.5 s per trial here.

            With --out DIR, the verdict and its evidence go into DIR/meta.json (`lineage_fingerprint`): a run folder made on this kernel gains that key, an empty or missing folder becomes a run folder with only meta.json. An earlier fingerprint is never overwritten.

            Examples:
              bench fingerprint
              bench fingerprint --trials 20 --out results/host
            """
    )

    /// What --trials, --controls and --activation-trials take: each is a child process of about half a second.
    static let trialCounts = Bound<Int>(1...10_000, "a number of storm trials")
    static let controlCounts = Bound<Int>(0...10_000, "a number of control trials")
    static let activationCounts = Bound<Int>(0...10_000, "a number of activation trials")

    @Option(parsing: .unconditional, help: "Storm trials, each in a child process (\(trialCounts.spelled)).", transform: trialCounts.option)
    var trials = LineageFingerprint.Plan.standard.trials

    @Option(parsing: .unconditional, help: "Control trials without a signal, before the storm trials (\(controlCounts.spelled)).", transform: controlCounts.option)
    var controls = LineageFingerprint.Plan.standard.controls

    @Option(help: ArgumentHelp("A run folder of this kernel to record the verdict in (its meta.json), or a new folder.", valueName: "dir"))
    var out: String?

    @Flag(help: ArgumentHelp("Run one trial in this process and print it as JSON (internal).", visibility: .hidden))
    var probeTrial = false

    @Flag(help: ArgumentHelp("With --probe-trial: send no signal (internal).", visibility: .hidden))
    var control = false

    @Flag(help: ArgumentHelp("Run one activation trial in this process and print it as JSON (internal).", visibility: .hidden))
    var activationTrial = false

    @Option(parsing: .unconditional, help: "Activation trials: two async blocking requests in one enter, counting the workers it creates (\(activationCounts.spelled)).", transform: activationCounts.option)
    var activationTrials = LineageFingerprint.Plan.standard.activationTrials

    func run() throws {
        if activationTrial {
            print(String(decoding: try JSONEncoder().encode(ActivationProbe.runTrial()), as: UTF8.self))
            return
        }
        if probeTrial {
            let trial = LineageProbe.runTrial(control: control)
            let line = String(decoding: try JSONEncoder().encode(trial), as: UTF8.self)
            print(line)
            return
        }
        try checkHostIdentity()
        if let out { _ = try FingerprintRecord.check(out) }
        var metadata = RunMetadata(profile: "fingerprint", seed: 0, trials: trials)
        proc_install_stop_handlers()
        let plan = LineageFingerprint.Plan(controls: controls, trials: trials, activationTrials: activationTrials)
        writeStandardError("bench fingerprint: \(plan.description) on \(HostIdentity.current.kernelRelease)\n")
        let fingerprint = try LineageFingerprint.measure(plan) { writeStandardError($0 + "\n") }
        print(fingerprint.report)
        if let out {
            metadata.finish(stoppedEarly: false)
            try FingerprintRecord.write(fingerprint, to: out, metadata: metadata)
            print("wrote \(out)/meta.json (\(FingerprintRecord.key))")
        }
    }
}
