/// Why `bench merge` refused: always before anything is written, and in one line.
public enum MergeError: Error, CustomStringConvertible {
    case nothingToMerge
    case notARun(String, String)
    case givenTwice(String)
    case malformed(String, String)
    case noHostColumns(String, String)
    case schemasDiffer(String, String, String)
    case profilesDiffer(String, String, String, String)
    case conflict(String, String, String)
    case incomplete(String, String)
    case disagree(String, (summary: String, trials: String), String)
    case repeated(String, String)
    case output(OutputError)

    public var description: String {
        switch self {
        case .nothingToMerge: "name at least one run folder to merge"
        case .notARun(let path, let why): "\(path) is not a run folder: \(why)"
        case .givenTwice(let path): "\(path) is given twice"
        case .malformed(let file, let why): "\(file): \(why)"
        case .noHostColumns(let file, let column):
            "\(file) has no \(column) column (made before rows said where they ran): re-run it with this build"
        case .schemasDiffer(let file, let other, let difference): "the columns of \(file) and \(other) differ: \(difference)"
        case .profilesDiffer(let path, let profile, let other, let otherProfile):
            "\(path) ran the \(profile) profile and \(other) the \(otherProfile) one: their item counts and deadlines differ, so their rows are not one table (merge runs of one profile)"
        case .conflict(let configuration, let path, let other):
            "\(configuration) is in both \(path) and \(other): merge never chooses between two measurements of one configuration (leave one of them out)"
        case .incomplete(let path, let why):
            "\(path) is not a complete run (\(why)): its rows are a part of one; re-run it, or merge it anyway with --allow-incomplete (the merged meta.json then lists it)"
        case .disagree(let path, let files, let why): "\(path): \(files.summary) and \(files.trials) disagree: \(why)"
        case .repeated(let configuration, let file): "\(configuration) is in \(file) twice: one configuration is one row"
        case .output(let error): "\(error)"
        }
    }
}
