/// The `kind` strings of `Event.documentChanged`, as the core names its
/// shared documents. The state holders use them only to route a change to
/// the screens that show it.
enum DocumentKind {
    static let answer = "answer"
    static let drill = "drill"
    static let enrolment = "enrolment"
    static let goal = "goal"
    static let dateIdea = "date_idea"
    static let appreciation = "appreciation"
    static let checkIns = "checkins"
    static let assessment = "assessment"
    static let member = "member"
}
