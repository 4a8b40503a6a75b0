#if canImport(Glibc)
import Glibc
#endif
import CProcessControl
import Foundation
import IOWQ

/// One trial of a foreign pool program (docs/foreign.md), run by a `bench child`: the program is
/// started with the trial in its environment and the interposer preloaded (disarmed), says ready
/// on fd 3, is armed and told go on its stdin, reports its items on fd 3 until the deadline, and is
/// ended with its whole process group. Its stdout and stderr go to a file whose last line names a
/// crash.
enum ForeignTrial {
    /// How long a program may take to start (a JVM's start-up) before it says ready: 30 s, or
    /// IOWQ_FOREIGN_READY_MS milliseconds (1 to 600000).
    static var readyBudget: Duration {
        let milliseconds = ProcessInfo.processInfo.environment["IOWQ_FOREIGN_READY_MS"].flatMap(Int64.init) ?? 30_000
        return .milliseconds(min(max(milliseconds, 1), 600_000))
    }
    /// After go: how long it may take to exit once its stdin is closed, before it is killed.
    static let exitGrace: Duration = .seconds(1)

    static func run(_ spec: ConfigurationSpec, pool: ForeignPool, trial: Int, seed: UInt64, profile: Profile) -> TrialResult {
        var result = TrialResult(spec: spec, trial: trial, seed: seed)
        do {
            try run(&result, spec, pool: pool, seed: seed, profile: profile)
        } catch {
            result = TrialResult(spec: spec, trial: trial, seed: seed)
            result.note = "not run: the foreign program '\(pool.name)' \(error)"
        }
        return result
    }

    /// The program's environment beyond this process's: the trial (names in docs/foreign.md) and
    /// the interposer's plan, armed from outside.
    static func environment(_ spec: ConfigurationSpec, items: Int, seed: UInt64, trial: Int, profile: Profile,
                            library: String, page: String) -> [String: String] {
        var environment = PeerLaunch.environment(spec, seed: seed, library: library, page: page)
        environment["IOWQ_THREAD_FAULTS_ARMED"] = "page"
        // the shell that runs the command goes without the library (`preloaded` exports it to what
        // it starts), so a group with the library mapped is the program's doing
        environment["IOWQ_THREAD_INTERPOSER"] = environment.removeValue(forKey: "LD_PRELOAD")
        let chain: Int = if case .chain(let n) = spec.scenario { n } else { 0 }
        environment["IOWQ_SCENARIO"] = spec.scenario.description
        environment["IOWQ_ITEMS"] = String(items)
        environment["IOWQ_BLOCK_US"] = String(spec.scenario.shape.block.nanoseconds / 1000)
        environment["IOWQ_CHAIN"] = String(chain)
        environment["IOWQ_DEADLINE_MS"] = String(profile.itemDeadline.nanoseconds / 1_000_000)
        environment["IOWQ_SEED"] = String(seed)
        environment["IOWQ_TRIAL"] = String(trial)
        environment["IOWQ_EVENTS_FD"] = "3"
        return environment
    }

    /// `command` as the shell runs it: with the interposer preloaded into what it starts.
    static func preloaded(_ command: String) -> String {
        "export LD_PRELOAD=\"$IOWQ_THREAD_INTERPOSER\"\n" + command
    }

    private static func run(_ result: inout TrialResult, _ spec: ConfigurationSpec, pool: ForeignPool, seed: UInt64,
                            profile: Profile) throws(ForeignProtocolError) {
        let items = Workload.itemCount(spec.scenario, profile: profile, seed: seed)
        let scratch = NSTemporaryDirectory() + "iowq-foreign-\(getpid())-\(result.trial)"
        let page = scratch + ".page", output = scratch + ".out"
        defer {
            unlink(page)
            unlink(output)
        }
        guard let progress = PeerProgress(path: page) else { throw .cannotStart("cannot map \(page)") }
        let library: String
        do { library = try PeerLaunch.library() } catch { throw .cannotStart("\(error)") }
        let program = try ForeignProcess(command: preloaded(pool.command), output: output,
                                         environment: environment(spec, items: items, seed: seed, trial: result.trial,
                                                                  profile: profile, library: library, page: page))
        defer { program.endGroup() }

        // ready: the program's own threads are made, unarmed and uncounted
        var reader = LineReader(fd: program.events)
        let readyBy = Deadline.after(readyBudget)
        waiting: while true {
            switch reader.readLine(until: readyBy) {
            case .line(let line):
                let event = try ForeignEvent(line: line, items: max(items, 1))
                if event == .ready { break waiting }
                throw .malformed(line, "nothing but ready may come before go")
            case .end:
                throw .exitedBeforeReady(program.waitForExit(within: exitGrace).spelled, ChildProcess.lastLine(output) ?? "")
            case .timedOut:
                throw .neverReady(Format.spelled(readyBudget))
            case .stopped:
                throw .cannotStart("a stop was requested")
            }
        }
        // a program the preload never reached (a static binary, LD_PRELOAD cleared) would run
        // without its faults, under their name
        guard program.groupMaps(library) else { throw .notInterposed }
        progress.add(.armed)
        let go = monotonicNanoseconds()
        program.say("go")

        var tally = ForeignTally(items: items, deadline: UInt64(profile.itemDeadline.nanoseconds))
        let deadline = Deadline(nanoseconds: go + UInt64(profile.itemDeadline.nanoseconds))
        var closed = false
        func read(until end: Deadline) throws(ForeignProtocolError) {
            while !tally.settled {
                switch reader.readLine(until: end) {
                case .line(let line):
                    let event = try ForeignEvent(line: line, items: items)
                    if event == .done { return }
                    tally.add(event, at: monotonicNanoseconds() - go)
                case .end:
                    closed = true
                    return
                case .timedOut, .stopped:
                    return
                }
            }
        }
        try read(until: deadline)
        result.workWindowNanoseconds = monotonicNanoseconds() - go
        var attemptsGrew = false
        if !tally.settled && !closed {
            // still pending: watch whether the pool keeps trying to make a thread
            let attempts = progress.load(.attempts)
            try read(until: .after(PeerTrial.observeWindow))
            attemptsGrew = progress.load(.attempts) > attempts
        }
        program.closeControl()
        let ending = program.waitForExit(within: exitGrace)
        tally.fill(&result, ending: ending.tally, output: ChildProcess.lastLine(output) ?? "")
        if result.items.hung > 0 {
            result.hangKind = .peer(attemptsGrew: attemptsGrew, failures: progress.load(.failures), itemsBlocked: tally.itemsBlocked)
        }
        result.counters = PeerTrial.counters(progress, atSetup: 0, firstWorker: tally.firstWorker)
        result.counters?[.refusedYetRan] = tally.refusedYetRan
    }
}
