import ArgumentParser
import CProcessControl
import Harness
import IOWQ

#if canImport(Glibc)
import Glibc
#endif

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks io-wq worker-creation strategies under signals and faults, on real threads.",
        discussion: """
            Each configuration (strategy x scenario x signal schedule x fault plan) runs its trials in child processes, so a pool that hangs cannot hang the run or disturb what comes after it. Results go to trials.csv (one row per trial, with why a stuck trial was stuck), summary.csv (one row per configuration), calibration.csv (this machine's futex handoff and pthread_create), histograms/ (each configuration's latency distribution, HdrHistogram text) and meta.json; docs/csv.md documents every column.

            With no arguments, runs the quick profile over every io-wq strategy (model, lineage, kernel) and scenario; the pools people use (dispatch, foundation-thread, nio-threadpool, swift-tasks) run with --profile peers or by name.

            Exit status: 0 done; 1 a failure (a gate check failed, a result could not be written, bench merge refused its inputs); 64 bad input (one line on standard error, nothing written); 130 stopped by SIGINT and 143 by SIGTERM (128 + the signal: the rows so far are kept and meta.json says stopped_early). meta.json says `complete: true` only once a run's every row is written; a run stopped, killed outright or out of disk space does not, and bench merge refuses it.
            """,
        subcommands: [Run.self, Merge.self, List.self, Gate.self, FidelityCommand.self, Fingerprint.self, Kernels.self, Child.self],
        defaultSubcommand: Run.self
    )

    /// Parses and runs, turning every error into one line on standard error and a non-zero exit.
    static func main() {
        // a child of a sweep whose parent is already gone has no one to report to
        if proc_die_with_parent() != 0 {
            writeStandardError("bench: error: the parent process named by \(PROC_PARENT_PID_VARIABLE) is gone (a child of a sweep stops with it)\n")
            Glibc.exit(1)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            writeStandardError("bench: error: \(message)\n")
            Glibc.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

/// The exit status of a run a stop request cut short: 128 + the signal, as a shell reports a
/// process that signal killed (130 for SIGINT, 143 for SIGTERM).
func stoppedExit() -> ExitCode {
    let signal = proc_stop_requested()
    return ExitCode(128 + (signal == 0 ? SIGINT : signal))
}

/// Runs the part of a command that writes a run folder's rows: when a write fails (a full disk),
/// meta.json says why and that the run is not complete before the error ends the command.
func recordingFailure<T>(in metadata: inout RunMetadata, _ directory: RunDirectory, _ body: () throws -> T) throws -> T {
    do { return try body() } catch {
        metadata.fail(error, in: directory)
        throw error
    }
}

/// The sweep's longest time (SweepEstimate); a sweep that may take over a day is refused without
/// --yes, before anything is written.
func checkLength(_ plan: SweepPlan, yes: Bool) throws -> SweepEstimate {
    let estimate = SweepEstimate(plan)
    if estimate.isRefused && !yes {
        throw ValidationError("this sweep may take \(estimate); refusing one that may take over a day without --yes (or ask for fewer --trials or configurations)")
    }
    return estimate
}

/// Refuses a malformed IOWQ_EMULATED before a command writes any row (every row says whether it ran
/// emulated).
func checkHostIdentity() throws {
    do { _ = try HostIdentity.detect() } catch { throw ValidationError("\(error)") }
}

extension Bound {
    /// The option's transform: "The value '-1' is invalid for '--trials <trials>': trials per
    /// configuration must be a whole number in 1...100000, not '-1'" (exit 64). An option that uses
    /// it is declared `parsing: .unconditional`, so a negative number is its value, not a flag.
    var option: @Sendable (String) throws -> Value { { text in try self.parse(text) } }
}
