/// Columns padded to their widest cell, for the tables printed on the terminal.
enum TextTable {
    /// `header` and `rows` as aligned lines; columns in `rightAligned` (numbers) pad on the left,
    /// and with `underline` a rule follows the header. With `maxWidth`, the columns in `wrappable`
    /// are narrowed, each step where it adds the fewest lines (then breaks the fewest names in the
    /// `hyphenated` columns), until the table fits (or no word would
    /// fit any narrower); their cells wrap at spaces (and after a `+` or `-` inside a word in the
    /// columns in `hyphenated`), and a row takes as many lines as its tallest cell. A row in `sections` is preceded by its title on a line of its own (the
    /// rows under it are indented), and with `maxWidth` the header wraps too.
    static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = [], underline: Bool = false,
                       maxWidth: Int? = nil, wrappable: Set<Int> = [], hyphenated: Set<Int> = [],
                       sections: [Int: String] = [:]) -> String {
        let indent = sections.isEmpty ? "" : "  "
        let table = [header] + rows
        let wraps = { (row: Int, column: Int) in maxWidth != nil && (row == 0 || wrappable.contains(column)) }
        func width(_ cell: String, row: Int, column: Int) -> Int {
            wraps(row, column) ? words(cell, hyphenated: hyphenated.contains(column)).map(\.count).max() ?? 0 : cell.count
        }
        var widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        if let maxWidth {
            let narrowest = header.indices.map { column in
                table.indices.map { width(table[$0][column], row: $0, column: column) }.max() ?? 0
            }
            // each step narrows the column that adds the fewest lines to the table (widest on a tie)
            var counts: [[Int: [Int]]] = Array(repeating: [:], count: header.count)
            func lineCounts(_ column: Int, _ width: Int) -> [Int] {
                if let known = counts[column][width] { return known }
                let made = table.indices.map { wraps($0, column) ? wrap(table[$0][column], width: width, hyphenated: hyphenated.contains(column)).count : 1 }
                counts[column][width] = made
                return made
            }
            func height(_ widths: [Int]) -> Int {
                let columns = header.indices.map { lineCounts($0, widths[$0]) }
                return table.indices.reduce(0) { sum, row in sum + (columns.map { $0[row] }.max() ?? 1) }
            }
            // then the fewest broken names (the hyphenated columns hold a configuration's)
            func broken(_ widths: [Int]) -> Int {
                hyphenated.reduce(0) { sum, column in sum + lineCounts(column, widths[column]).reduce(0, +) }
            }
            func total() -> Int { indent.count + widths.reduce(0, +) + 2 * (widths.count - 1) }
            while total() > maxWidth {
                let candidates = header.indices.filter { widths[$0] > narrowest[$0] }
                guard let column = candidates.min(by: { a, b in
                    var narrowerA = widths, narrowerB = widths
                    narrowerA[a] -= 1
                    narrowerB[b] -= 1
                    return (height(narrowerA), broken(narrowerA), -widths[a], a) < (height(narrowerB), broken(narrowerB), -widths[b], b)
                }) else { break }
                widths[column] -= 1
            }
            // what the wrapped cells really take
            widths = header.indices.map { column in
                table.indices.map { row in
                    (wraps(row, column) ? wrap(table[row][column], width: widths[column], hyphenated: hyphenated.contains(column)) : [table[row][column]]).map(\.count).max() ?? 0
                }.max() ?? 0
            }
        }
        var lines: [String] = []
        for (index, cells) in table.enumerated() {
            if index > 0, let title = sections[index - 1] { lines.append(title) }
            let wrapped = cells.enumerated().map { column, cell in wraps(index, column) ? wrap(cell, width: widths[column], hyphenated: hyphenated.contains(column)) : [cell] }
            for line in 0..<(wrapped.map(\.count).max() ?? 1) {
                lines.append(indent + wrapped.enumerated().map { column, parts in
                    let cell = line < parts.count ? parts[line] : ""
                    let pad = String(repeating: " ", count: max(0, widths[column] - cell.count))
                    return rightAligned.contains(column) ? pad + cell : cell + pad
                }.joined(separator: "  ").trailingSpacesRemoved)
            }
            if index == 0 && underline { lines.append(String(repeating: "-", count: indent.count + widths.reduce(0, +) + 2 * (widths.count - 1))) }
        }
        return lines.joined(separator: "\n")
    }

    /// A cell's words: split at spaces (a number kept with the name before it), and `hyphenated`, after each `+` (a compound schedule or
    /// plan) or `-` (a hyphenated name).
    static func words(_ cell: String, hyphenated: Bool = false) -> [String] {
        // a number stays with the name before it: "hung 0.60", "no-worker 5", "exit-hung 2/2"
        var tokens: [String] = []
        for token in cell.split(separator: " ").map(String.init) {
            if let last = tokens.last, token.first?.isNumber == true, last.last?.isLetter == true { tokens[tokens.count - 1] += " " + token } else { tokens.append(token) }
        }
        return tokens.flatMap { word -> [String] in
            guard !word.contains(" ") else { return [word] }
            guard hyphenated else { return [String(word)] }
            var parts: [String] = []
            var current = ""
            for character in word {
                current.append(character)
                if "+-".contains(character) { parts.append(current); current = "" }
            }
            if !current.isEmpty { parts.append(current) }
            return parts
        }
    }

    /// `cell` in lines of at most `width` characters (a longer word keeps its own line).
    static func wrap(_ cell: String, width: Int, hyphenated: Bool = false) -> [String] {
        guard cell.count > width else { return [cell] }
        var lines: [String] = []
        var current = ""
        for word in words(cell, hyphenated: hyphenated) {
            let joiner = current.isEmpty || (hyphenated && "+-".contains(current.last!)) ? "" : " "
            if !current.isEmpty && current.count + joiner.count + word.count > width {
                lines.append(current)
                current = word
            } else {
                current += joiner + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

private extension String {
    var trailingSpacesRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
