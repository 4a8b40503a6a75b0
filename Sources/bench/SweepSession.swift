import ArgumentParser
import CProcessControl
import Harness

/// The life of a command that runs a sweep into a run folder, written once for `bench run`,
/// `bench fidelity` and `bench gate`: refuse a sweep that may take over a day, make the folder,
/// write meta.json (not yet complete), arm the stop handlers, run the rows with a failed write
/// recorded in meta.json, let the command write files of its own the same way, and make meta.json's
/// last write, which says the run is complete only when nothing stopped or failed it. A stop ends
/// the command with 128 + its signal once the command has said what it has.
struct SweepSession {
    let plan: SweepPlan
    let directory: RunDirectory
    let estimate: SweepEstimate
    var metadata: RunMetadata

    /// Checks the plan's length and makes the folder at `path` with `metadata`'s first write.
    init(_ plan: SweepPlan, path: String, yes: Bool, metadata: RunMetadata) throws {
        self.plan = plan
        estimate = try checkLength(plan, yes: yes)
        directory = try RunDirectory(path: path)
        self.metadata = metadata
        try self.metadata.write(to: directory)
        proc_install_stop_handlers()
    }

    /// The estimate, when it is long enough to be worth a line (`command: this sweep may take ...`).
    func reportEstimate(_ command: String) {
        if estimate.isShown { writeStandardError("\(command): this sweep may take \(estimate)\n") }
    }

    /// Runs the sweep's rows; `before` runs first, under the same failure recording (calibration).
    mutating func runRows(progress: any ProgressReporter,
                          before: (RunDirectory) throws -> Void = { _ in }) throws -> (summaries: [ConfigurationSummary], stopped: Bool) {
        let (plan, directory) = (self.plan, self.directory)
        return try recording {
            try before(directory)
            return try SweepRunner(plan: plan, output: directory, progress: progress).run()
        }
    }

    /// Writes a file of the command's own into the folder; a failed write is recorded in meta.json.
    mutating func write(_ name: String, _ text: String) throws {
        let directory = self.directory
        try recording { try directory.write(name, Array(text.utf8)) }
    }

    /// meta.json's last write.
    mutating func finish(stopped: Bool, _ rows: [ConfigurationSummary] = []) throws {
        metadata.finish(stoppedEarly: stopped, rows)
        try metadata.write(to: directory)
    }

    /// Ends a stopped command with 128 + its signal.
    func exitIfStopped(_ stopped: Bool) throws {
        if stopped { throw stoppedExit() }
    }

    private mutating func recording<T>(_ body: () throws -> T) throws -> T {
        try recordingFailure(in: &metadata, directory, body)
    }
}
