/// Which accounting group a worker or an item belongs to.
public enum GroupKind: Int, Sendable, CaseIterable, CustomStringConvertible {
    case bound = 0
    case unbound = 1

    public var description: String { self == .bound ? "bound" : "unbound" }
}
