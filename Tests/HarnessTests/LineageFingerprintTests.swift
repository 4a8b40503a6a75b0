import Foundation
@testable import Harness
import Testing

/// The fingerprint's verdict on synthetic evidence, one behaviour per preset and the cases that name
/// none; its record in meta.json; and that the live measurement gives well-formed evidence here
/// (which preset this kernel matches is the kernel's business, not the test's).
@Suite struct LineageFingerprintTests {
    typealias Trial = LineageProbe.Trial

    static let controls = [Trial(outcome: .completedInStorm, control: true, result: 0, outcomeMs: 0.6, stormMs: 0.6, cycles: 2)]

    static func cancelled(_ ms: [Double]) -> [Trial] {
        ms.map { Trial(outcome: .cancelled, result: -125, outcomeMs: $0, stormMs: $0, cycles: Int($0 * 2)) }
    }

    static func completedAfter(_ ms: [Double]) -> [Trial] {
        ms.map { Trial(outcome: .completedAfterStorm, result: 0, outcomeMs: 250 + $0, afterStormMs: $0, stormMs: 250, cycles: 400) }
    }

    static func verdict(_ trials: [Trial], controls: [Trial] = controls) -> (preset: String?, reason: String) {
        LineageFingerprint.classify(.init(trials: controls + trials))
    }

    @Test func cancelledAtOnceIsTheRetryLimitWithoutBackoff() {
        let (preset, reason) = Self.verdict(Self.cancelled([1.2, 1.6, 2.1, 1.4, 0.9]))
        #expect(preset == "retry-6.11")
        #expect(reason.contains("5 of 5 requests cancelled") && reason.contains("median 1.4 ms"), "\(reason)")
        // under an emulator every cycle is slower: 5 cycles of 4 ms are still back to back
        let slow = [18.0, 21.0, 19.5].map { Trial(outcome: .cancelled, result: -125, outcomeMs: $0, stormMs: $0, cycles: 5) }
        #expect(Self.verdict(slow).preset == "retry-6.11")
    }

    @Test func cancelledAfterTheBackoffIsSixFourteen() {
        // HZ 250 (this VM: 47-60 ms), HZ 1000 (about 31 ms), HZ 100 (about 70 ms)
        for times in [[47.5, 48.2, 60.0, 47.9, 51.2], [30.4, 31.0, 30.8], [70.1, 69.5, 80.2, 71.0]] {
            #expect(Self.verdict(Self.cancelled(times)).preset == "retry-6.14", "\(times)")
        }
        // one trial of ten where a creation slipped past the signals does not change it
        #expect(Self.verdict(Self.cancelled(Array(repeating: 48, count: 9)) + [Trial(outcome: .completedInStorm, result: 0, outcomeMs: 9)]).preset == "retry-6.14")
    }

    @Test func neverCancelledAndCompletedAtOnceAfterTheStormIsFiveSixteen() {
        #expect(Self.verdict(Self.completedAfter([0.3, 0.5, 0.2, 1.1, 0.4])).preset == "retry-5.16")
        // as fast as a control: under an emulator both take longer
        let slowControl = [Trial(outcome: .completedInStorm, control: true, result: 0, outcomeMs: 6.0, cycles: 2)]
        #expect(Self.verdict(Self.completedAfter([7.5, 9.0, 6.8]), controls: slowControl).preset == "retry-5.16")
        // a thread that never came back (retrying inside one task_work run) is the same kernel
        let (preset, reason) = Self.verdict(Array(repeating: Trial(outcome: .killed), count: 4) + Self.completedAfter([0.4]))
        #expect(preset == "retry-5.16")
        #expect(reason.contains("4 never came back"), "\(reason)")
    }

    @Test func neverCancelledAndCompletedAfterAGrowingBackoffIsSixNineteen() {
        let (preset, reason) = Self.verdict(Self.completedAfter([22.0, 41.5, 8.0, 30.2, 17.7]))
        #expect(preset == "retry-6.19")
        #expect(reason.contains("none of 5 requests cancelled") && reason.contains("median 22.0 ms after it stopped"), "\(reason)")
    }

    @Test func evidenceThatNamesNoPreset() {
        // nothing measured
        let unset = Self.verdict([Trial(outcome: .setupFailed, setupErrno: 1)])
        #expect(unset.preset == nil && unset.reason.contains("errno 1: Operation not permitted"), "\(unset.reason)")
        // the request does not complete even without signals
        let deaf = [Trial(outcome: .noCompletion, control: true)]
        let (none, why) = Self.verdict(Self.cancelled([48, 48, 48]), controls: deaf)
        #expect(none == nil && why.contains("without a signal"), "\(why)")
        // the storm did not hold
        let slipped = (0..<4).map { _ in Trial(outcome: .completedInStorm, result: 0, outcomeMs: 0.7) }
        #expect(Self.verdict(slipped + Self.cancelled([48])).reason.contains("did not hold"))
        // cancelled, but neither at once nor after 6.14's backoff
        #expect(Self.verdict(Self.cancelled([300, 310, 290])).preset == nil)
        #expect(Self.verdict(Self.cancelled([17, 18, 17])).preset == nil)
        // half cancelled, half retried until the storm stopped
        let (mixed, reason) = Self.verdict(Self.cancelled([48, 48, 48]) + Self.completedAfter([0.4, 0.4, 0.4]))
        #expect(mixed == nil && reason.hasPrefix("mixed"), "\(reason)")
    }

    @Test func theVersionIsShownBesideButNeverDecides() {
        let fingerprint = LineageFingerprint(trials: Self.controls + Self.cancelled([1, 1, 1]), kernelRelease: "6.18.44-generic")
        #expect(fingerprint.preset == "retry-6.11")
        #expect(fingerprint.byVersion == "retry-6.14")
        #expect(fingerprint.report.contains("DISAGREES"))
        #expect(LineageFingerprint(trials: Self.controls + Self.cancelled([1]), kernelRelease: "6.11.0").report.contains("(agrees)"))
    }

    @Test func theVerdictGoesIntoARunOfThisKernelOnce() throws {
        let release = HostIdentity.current.kernelRelease
        let fingerprint = LineageFingerprint(trials: Self.controls + Self.cancelled([48, 48]), kernelRelease: release)
        let metadata = RunMetadata(profile: "fingerprint", seed: 0, trials: 2)
        // a new folder: a meta.json of its own
        let fresh = temporaryPath("fingerprint-fresh")
        try FingerprintRecord.write(fingerprint, to: fresh, metadata: metadata)
        let written = try #require(FingerprintRecord.readMeta(fresh))
        #expect((written[FingerprintRecord.key] as? [String: Any])?["preset"] as? String == "retry-6.14")
        // an existing run of this kernel gains the key and keeps the rest
        let run = temporaryPath("fingerprint-run")
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        try "{\"kernel_release\": \"\(release)\", \"profile\": \"quick\", \"seed\": 3}".write(toFile: run + "/meta.json", atomically: true, encoding: .utf8)
        try "strategy\r\n".write(toFile: run + "/summary.csv", atomically: true, encoding: .utf8)
        try FingerprintRecord.write(fingerprint, to: run, metadata: metadata)
        let meta = try #require(FingerprintRecord.readMeta(run))
        #expect(meta["seed"] as? Int == 3 && meta["profile"] as? String == "quick")
        let recorded = try #require(meta[FingerprintRecord.key] as? [String: Any])
        #expect((recorded["evidence"] as? [String: Any])?["trials"] is [[String: Any]])
        #expect(try String(contentsOfFile: run + "/summary.csv", encoding: .utf8) == "strategy\r\n")
        // never twice, never another kernel's run, never a folder that is not a run
        #expect(throws: FingerprintRecordError.self) { try FingerprintRecord.write(fingerprint, to: run, metadata: metadata) }
        let other = temporaryPath("fingerprint-other")
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try "{\"kernel_release\": \"6.1.0-31-amd64\"}".write(toFile: other + "/meta.json", atomically: true, encoding: .utf8)
        #expect(throws: FingerprintRecordError.self) { try FingerprintRecord.check(other) }
        let stray = temporaryPath("fingerprint-stray")
        try FileManager.default.createDirectory(atPath: stray, withIntermediateDirectories: true)
        try "x".write(toFile: stray + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(throws: FingerprintRecordError.self) { try FingerprintRecord.check(stray) }
    }

    /// The real measurement on this machine: every trial is well formed, the controls complete, and
    /// the verdict is recorded with its evidence. Which preset it names is not asserted.
    @Test func theLiveMeasurementGivesWellFormedEvidence() throws {
        let out = temporaryPath("fingerprint-live")
        let run = try BenchProcess.run(["fingerprint", "--trials", "3", "--controls", "1", "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.hasPrefix("lineage fingerprint of "))
        #expect(run.standardOutput.contains("  why: ") && run.standardOutput.contains("  evidence: "))
        let meta = try #require(FingerprintRecord.readMeta(out))
        let data = try JSONSerialization.data(withJSONObject: try #require(meta[FingerprintRecord.key]))
        let fingerprint = try JSONDecoder().decode(LineageFingerprint.self, from: data)
        #expect(fingerprint.kernelRelease == HostIdentity.current.kernelRelease)
        let trials = fingerprint.evidence.trials
        #expect(trials.count == 4 && trials.filter(\.control).count == 1)
        #expect(trials.allSatisfy { $0.outcome != .setupFailed }, "\(trials)")
        let control = try #require(trials.first)
        #expect([.completedInStorm, .completedAfterStorm].contains(control.outcome) && control.result == 0, "without a signal the request completes")
        for trial in trials where [.cancelled, .completedInStorm, .completedAfterStorm, .otherError].contains(trial.outcome) {
            #expect(trial.result != nil && trial.outcomeMs != nil && trial.cycles != nil)
        }
        for trial in trials where trial.outcome == .completedAfterStorm { #expect(trial.afterStormMs != nil) }
        #expect(fingerprint.reason == LineageFingerprint.classify(fingerprint.evidence).reason)
    }

    @Test func badInput() throws {
        for arguments in [["fingerprint", "--trials", "0"], ["fingerprint", "--controls=-1"]] {
            let run = try BenchProcess.run(arguments)
            #expect(run.status != 0)
            #expect(run.standardError.hasPrefix("bench: error: ") && run.standardError.split(separator: "\n").count == 1, "\(run.standardError)")
        }
        let already = temporaryPath("fingerprint-twice")
        let first = try BenchProcess.run(["fingerprint", "--trials", "1", "--controls", "0", "--out", already])
        #expect(first.status == 0, "\(first.standardError)")
        let before = try String(contentsOfFile: already + "/meta.json", encoding: .utf8)
        let second = try BenchProcess.run(["fingerprint", "--trials", "1", "--out", already])
        #expect(second.status != 0 && second.standardError.contains("already holds a lineage fingerprint"))
        #expect(!second.standardError.contains("storm trials on"), "refused before measuring")
        #expect(try String(contentsOfFile: already + "/meta.json", encoding: .utf8) == before)
    }

    // MARK: the activation probe

    static func activation(_ counts: [Int?], held: Bool = true) -> [ActivationProbe.Trial] {
        counts.map { ActivationProbe.Trial(createdInEnter: $0, held: held) }
    }

    /// 6.6 and later (22f7fb80e6d9): the second request of the enter finds the first worker on the
    /// free list and creates nothing; 6.1 (io-wq.c:297): it cannot wake a running worker, so it
    /// creates its own. 4 of 5 agreeing is enough, 3 of 5 is not; a trial whose workers could run
    /// before the count (not held) is not evidence at all.
    @Test func theActivationIsToldFromTheWorkersOneEnterCreated() {
        #expect(ActivationProbe.classify(Self.activation([1, 1, 1, 1, 1])).activation == .anyOnFreeList)
        #expect(ActivationProbe.classify(Self.activation([2, 2, 2, 1, 2])).activation == .wokenOnly)
        let mixed = ActivationProbe.classify(Self.activation([2, 1, 2, 1, 1]))
        #expect(mixed.activation == nil && mixed.reason.hasPrefix("mixed"))
        let loose = ActivationProbe.classify(Self.activation([1, 1, 1], held: false))
        #expect(loose.activation == nil && loose.reason.contains("hold"))
        let none = ActivationProbe.classify(Self.activation([nil, nil]))
        #expect(none.activation == nil && none.reason.hasPrefix("nothing measured"))
        // unmeasured and unheld trials are left out, the rest decide
        #expect(ActivationProbe.classify(Self.activation([nil, 2, 2]) + Self.activation([1], held: false)).activation == .wokenOnly)
    }

    /// 6.11's ladder (3 retries back to back, then cancel) with the old activation is Debian's 6.1,
    /// which has the retry limit backported (0453aad676ff, 6.1.103) but predates 22f7fb80e6d9.
    @Test func sixElevensLadderWithTheOldActivationIsRetrySixOne() {
        let debian = LineageFingerprint(trials: Self.controls + Self.cancelled([1, 1, 1]), activationTrials: Self.activation([2, 2, 2, 2, 2]),
                                        kernelRelease: "6.1.0-37-amd64")
        #expect(debian.preset == "retry-6.1", "\(debian.reason)")
        #expect(debian.report.contains("(agrees)"), "\(debian.report)")
        let mainline = LineageFingerprint(trials: Self.controls + Self.cancelled([1, 1, 1]), activationTrials: Self.activation([1, 1, 1, 1, 1]),
                                          kernelRelease: "6.11.0")
        #expect(mainline.preset == "retry-6.11")
        let backoff = LineageFingerprint(trials: Self.controls + Self.cancelled([48, 48, 48]), activationTrials: Self.activation([1, 1, 1, 1, 1]),
                                         kernelRelease: "6.12.0-1-amd64")
        #expect(backoff.preset == "retry-6.14")
    }

    /// The activation is a typed feature of the record, beside the preset; a record made before the
    /// probe existed still reads, without it.
    @Test func theActivationIsRecordedInTheFingerprint() throws {
        let fingerprint = LineageFingerprint(trials: [.init(outcome: .cancelled, result: -125, outcomeMs: 3, cycles: 4)],
                                             activationTrials: Self.activation([2, 2, 2]), kernelRelease: "6.1.0-37-amd64")
        #expect(fingerprint.activation == .wokenOnly && fingerprint.report.contains("free-worker activation: woken-only"))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(fingerprint)) as? [String: Any]
        #expect(json?["activation"] as? String == "woken-only")
        var old = try #require(json)
        old["activation"] = nil
        old["activation_reason"] = nil
        var evidence = try #require(old["evidence"] as? [String: Any])
        evidence["activation_trials"] = nil
        old["evidence"] = evidence
        let read = try JSONDecoder().decode(LineageFingerprint.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(read.activation == nil && read.evidence.activationTrials == nil && read.preset == fingerprint.preset)
    }

    /// On this machine (6.18): one worker for the enter of two, as every kernel from 6.6 on, where
    /// the probe can hold its workers off the CPU (root); each trial completed its requests.
    @Test func theActivationProbeOnThisKernel() throws {
        let trials = try ActivationProbe.measure(trials: 3, executable: BenchProcess.executable)
        #expect(trials.count == 3 && trials.allSatisfy { $0.createdInEnter != nil && $0.completed == $0.requests }, "\(trials)")
        if getuid() == 0 && (KernelVersion.running.version.map { $0 >= KernelVersion(major: 6, minor: 6) } ?? false) {
            #expect(trials.allSatisfy { $0.held }, "\(trials)")
            #expect(ActivationProbe.classify(trials).activation == .anyOnFreeList, "\(trials)")
        }
    }

    /// The one measurement both `bench fingerprint` and `bench fidelity --fingerprint` take runs the
    /// activation probe too (fidelity's took the storm trials only, so inside Debian's 6.1 guest it
    /// could never name retry-6.1, whose ladder is 6.11's with the older activation).
    @Test func theFingerprintBothCommandsTakeIncludesTheActivation() throws {
        let plan = LineageFingerprint.Plan(controls: 0, trials: 1, activationTrials: 2)
        var heard: [String] = []
        let fingerprint = try LineageFingerprint.measure(plan, executable: BenchProcess.executable) { heard.append($0) }
        #expect(fingerprint.evidence.trials.count == 1)
        #expect(fingerprint.evidence.activationTrials?.count == 2)
        #expect(fingerprint.activationReason != nil)
        #expect(heard.count == 3 && heard.last?.hasPrefix("[activation 2/2] ") == true, "\(heard)")
        #expect(LineageFingerprint.Plan.standard.activationTrials > 0)
    }
}
