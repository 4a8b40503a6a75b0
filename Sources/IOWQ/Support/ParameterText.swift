extension Double {
    /// A rate or probability as the command line spells it: whole numbers without a fraction
    /// ("1000", "1"), others as Swift prints them ("0.1"). Names of schedules, plans and scenarios
    /// use it, so a configuration's name parses back to itself.
    public var parameterText: String { self == rounded() ? String(Int(self)) : String(self) }
}
