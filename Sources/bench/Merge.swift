import ArgumentParser
import Harness

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge run folders (shards, guests, other machines) into one run folder, and print its table.",
        discussion: """
            summary.csv and trials.csv are the inputs' rows, each carrying the kernel release and whether it ran emulated; calibration.csv gets each input's kernel and folder as columns; every row's latency histogram is carried (in a folder per kernel when there are several); meta.json lists the sources. The table has a kernel column when the rows come from more than one kernel.

            Refused, with nothing written: an input that is not a run folder or whose rows do not say where they ran (made by an older build), one that is not complete (its meta.json does not say complete: stopped, killed or out of disk space; --allow-incomplete takes it and says so), one whose summary.csv and trials.csv disagree (a trial row with no summary row, fewer trial rows than the summary counts) or that has one configuration twice, inputs whose CSV columns differ or that ran different profiles, one configuration on one kernel in two inputs (the same shard run twice included: merge never chooses between two measurements; leave one out), and an --out folder that exists and is not empty. The same configuration on two kernels is two rows.

            Inputs are read from their typed records (summary.jsonl, trials.jsonl) when every input has them, and the CSV files exported from the records; otherwise every input is read from its CSV files (folders of older builds).

            Examples:
              bench merge results/full-1of4 results/full-2of4 results/full-3of4 results/full-4of4 --out results/full
              bench merge results/guest-6.1 results/guest-6.12 results/host --out results/kernels
            """
    )

    @Argument(help: ArgumentHelp("Run folders to merge (each with summary.csv, trials.csv and meta.json).", valueName: "run"))
    var runs: [String]

    @Option(help: ArgumentHelp("The merged run's folder; must not exist or be empty.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp(SummaryFormat.help, valueName: "format"))
    var format: SummaryFormat = .text

    @Flag(help: "Take inputs that are not complete runs (stopped, killed, out of disk space); the merged meta.json says complete: false and lists them in incomplete_sources.")
    var allowIncomplete = false

    func run() throws {
        let merge = try RunMerge(paths: runs, allowingIncomplete: allowIncomplete)
        try merge.write(to: out)
        print(merge.table(format: format))
        let rows = merge.configurationCount
        let hosts = merge.hosts.isEmpty ? "" : " on " + merge.hosts.joined(separator: ", ")
        format.report("merged \(runs.count) runs: \(rows) configurations\(hosts) -> \(out) (summary.csv, trials.csv, meta.json)")
    }
}
