/// One line a foreign pool program writes on fd 3 (docs/foreign.md).
enum ForeignEvent: Equatable, Sendable {
    /// Set up (its runtime and pool started): the harness arms the fault plan, then says go.
    case ready
    /// Its submit call for item `id` returned: ok, or the error the caller saw (`refused`).
    case submitted(id: Int, refused: String?)
    case started(id: Int)
    case ended(id: Int)
    /// It has nothing more to say.
    case done

    /// The grammar, for errors and docs.
    static let grammar = "ready | submit ID ok | submit ID refused [TEXT] | start ID | end ID | done"

    /// `line` as an event about items 0..<items, or why it is not one.
    init(line: String, items: Int) throws(ForeignProtocolError) {
        let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true).map(String.init)
        func id(_ index: Int) throws(ForeignProtocolError) -> Int {
            guard index < words.count, let id = Int(words[index]), (0..<items).contains(id) else {
                throw .malformed(line, "its item id is not one of 0..\(items - 1)")
            }
            return id
        }
        switch (words.first, words.count) {
        case ("ready", 1): self = .ready
        case ("done", 1): self = .done
        case ("start", 2): self = .started(id: try id(1))
        case ("end", 2): self = .ended(id: try id(1))
        case ("submit", 3) where words[2] == "ok": self = .submitted(id: try id(1), refused: nil)
        case ("submit", 3...) where words[2] == "refused":
            self = .submitted(id: try id(1), refused: words.count > 3 ? words[3] : "")
        default: throw .malformed(line, "expected \(Self.grammar)")
        }
    }
}

/// Why a foreign program's trial measured nothing: it broke the line protocol.
enum ForeignProtocolError: Error, Equatable, CustomStringConvertible {
    case malformed(String, String)
    case neverReady(String)
    case exitedBeforeReady(String, String)
    case cannotStart(String)
    case notInterposed

    var description: String {
        switch self {
        case .malformed(let line, let why): "wrote '\(line.prefix(80))' on fd 3, which is not an event: \(why)"
        case .neverReady(let budget): "never said ready within \(budget)"
        case .exitedBeforeReady(let how, let output): "\(how) before it said ready" + (output.isEmpty ? "" : ": \(output)")
        case .cannotStart(let why): "could not be started: \(why)"
        case .notInterposed: "said ready without the interposer loaded (a static binary, or LD_PRELOAD cleared): its faults could not act"
        }
    }
}
