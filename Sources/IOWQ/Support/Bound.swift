/// The range a number the command line accepts must lie in, and what it counts: a form or an option
/// declares its bound once, beside itself, and parses and checks through it, so the error names the
/// bound and no value outside it (too large to convert, infinite, NaN) ever reaches a conversion.
public struct Bound<Value: Comparable & Sendable & LosslessStringConvertible>: Sendable {
    public let range: ClosedRange<Value>
    /// What the number is, for the error: "a signal rate (signals per second)".
    public let what: String

    public init(_ range: ClosedRange<Value>, _ what: String) {
        self.range = range
        self.what = what
    }

    /// "1...1000000", as the command line would spell the ends.
    public var spelled: String { "\(Self.spell(range.lowerBound))...\(Self.spell(range.upperBound))" }

    /// `text` as a value in the range; `whole` is the form it came from, for the error.
    public func parse(_ text: some StringProtocol, in whole: String? = nil) throws(ConfigurationError) -> Value {
        guard let value = Value(String(text)), range.contains(value) else {
            let context = whole.map { " in '\($0)'" } ?? ""
            throw .invalid("\(what) must be \(Value.self == Double.self ? "a number" : "a whole number") in \(spelled), not '\(text)'\(context)")
        }
        return value
    }

    /// `value` itself when it lies in the range.
    public func check(_ value: Value) throws(ConfigurationError) -> Value {
        guard range.contains(value) else { throw .invalid("\(what) must be in \(spelled), not \(Self.spell(value))") }
        return value
    }

    private static func spell(_ value: Value) -> String {
        (value as? Double)?.parameterText ?? String(value)
    }
}
