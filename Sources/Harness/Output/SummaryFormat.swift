/// How `bench run` and `bench merge` print the summary on standard output, as hyperfine exports
/// its: the table for people (`text`, `markdown`), or summary.csv's columns for programs (`csv`,
/// and `json`: an array of objects in column order, numbers as numbers, an empty cell as null).
public enum SummaryFormat: String, CaseIterable, Sendable {
    case text, markdown, csv, json

    /// `header` and `rows` (summary.csv's columns) in a program's format.
    static func export(header: [String], rows: [[String]], as format: SummaryFormat) -> String {
        switch format {
        case .text, .markdown, .csv:
            return ([header] + rows).map(CSVFile.line).joined()
        case .json:
            let objects = rows.map { row in
                "  {" + zip(header, row).map { "\(json(string: $0)): \(json(cell: $1))" }.joined(separator: ", ") + "}"
            }
            return objects.isEmpty ? "[]" : "[\n" + objects.joined(separator: ",\n") + "\n]"
        }
    }

    /// A cell as a JSON value: null when empty (nothing measured), a number when it is one.
    static func json(cell: String) -> String {
        if cell.isEmpty { return "null" }
        if let number = Double(cell), number.isFinite, cell.allSatisfy({ "0123456789.-".contains($0) }) { return cell }
        return json(string: cell)
    }

    static func json(string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case let s where s.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(s.value, radix: 16).count) + String(s.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension SummaryTable {
    /// The summary of `rows` in `format`.
    public static func render(_ rows: [ConfigurationSummary], format: SummaryFormat) -> String {
        switch format {
        case .text, .markdown: render(rows.map(Line.init), kernelColumn: false, markdown: format == .markdown)
        case .csv, .json: SummaryFormat.export(header: SummaryColumns.all.header(), rows: rows.map(SummaryColumns.all.fields), as: format)
        }
    }
}
