import ArgumentParser
import Harness

extension SummaryFormat: ExpressibleByArgument {
    static let help = "How the summary is printed: \(allCases.map(\.rawValue).joined(separator: ", ")) (text: the table for people; markdown: the same table in Markdown; csv and json: summary.csv's columns, for programs, json with an empty cell as null). Default: text."

    /// Where the closing line goes: after the table for people, to standard error for programs, so
    /// that standard output is only the export.
    func report(_ line: String) {
        switch self {
        case .text, .markdown: print("\n" + line)
        case .csv, .json: writeStandardError(line + "\n")
        }
    }
}
