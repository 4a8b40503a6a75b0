/// Columns padded to their widest cell, for the tables printed on the terminal.
enum TextTable {
    /// `header` and `rows` as aligned lines; columns in `rightAligned` (numbers) pad on the left,
    /// and with `underline` a rule follows the header.
    static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = [], underline: Bool = false) -> String {
        let table = [header] + rows
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        var lines = table.map { cells in
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
        if underline { lines.insert(String(repeating: "-", count: lines[0].count), at: 1) }
        return lines.joined(separator: "\n")
    }
}
