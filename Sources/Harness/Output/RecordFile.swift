import Foundation

/// A JSON Lines file of records (trials.jsonl, summary.jsonl): one JSON object a line, appended as
/// the run goes to `<name>.partial` and renamed to `<name>` when the sweep ends (`finish`), as
/// RunDirectory writes every whole file: a run killed or out of space leaves `<name>.partial`, never
/// a `<name>` that lacks its last records.
final class RecordFile<Record: Codable> {
    private let file: LineFile
    let path: String
    private let encoder = JSONEncoder()
    private var finished = false

    /// Creates `path.partial` (it must not exist yet).
    init(path: String) throws(OutputError) {
        self.path = path
        file = try LineFile(file: path + RunDirectory.partialSuffix, path: path)
        encoder.outputFormatting = [.sortedKeys]
    }

    func write(_ record: Record) throws(OutputError) {
        let data: Data
        do { data = try encoder.encode(record) } catch { throw .cannotWrite(path, "cannot encode a record: \(error)") }
        try writeLine(Array(data))
    }

    /// A record already encoded as one line of JSON (without its newline): written as it is.
    func writeLine(_ json: [UInt8]) throws(OutputError) {
        try file.write(json + [UInt8(ascii: "\n")])
    }

    /// Renames `path.partial` to `path`: every record is written.
    func finish() throws(OutputError) {
        guard !finished else { return }
        try RunDirectory.commit(path)
        finished = true
    }

    /// The records of a JSON Lines file, in order; nil when it cannot be read or a line is not a
    /// `Record` (a file of another build).
    static func read(_ path: String) -> [Record]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        var records: [Record] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let record = try? decoder.decode(Record.self, from: Data(line)) else { return nil }
            records.append(record)
        }
        return records
    }
}
