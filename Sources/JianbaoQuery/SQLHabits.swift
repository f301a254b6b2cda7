/// Habits brought from SQL shells, each turned into an error that names what Jianbao has
/// instead (LANGUAGE.md "Errors"), with the caret under the habit.
extension Parser {
    /// SQL words where Jianbao has something else: an error that names it. `field` is the
    /// field a condition is on, for the rewrite of `between`.
    func rejectSQLHabit(after field: Name? = nil) throws(QueryError) {
        guard let word = current.word?.lowercased() else { return }
        let name = field?.text ?? "field"
        let instead: String
        var span = current.span
        switch word {
        case "like", "ilike":
            instead = "write 'contains' for a part of the text (\(name) contains 科创) or 'matches' for a regular expression"
        case "between":
            let (low, high) = position + 3 < tokens.count && tokens[position + 2].isKeyword("and")
                ? (tokens[position + 1].word ?? "A", tokens[position + 3].word ?? "B") : ("A", "B")
            instead = "write '\(name) >= \(low) and \(name) <= \(high)'"
        case "is":
            if position + 2 < tokens.count, tokens[position + 1].isKeyword("not"), tokens[position + 2].isKeyword("null") {
                span = span.lowerBound..<tokens[position + 2].span.upperBound
                instead = "a text value that is there contains the empty text: write '\(name) contains \"\"'"
            } else {
                if position + 1 < tokens.count, tokens[position + 1].isKeyword("null") { span = span.lowerBound..<tokens[position + 1].span.upperBound }
                instead = "an absent text value is one that does not contain the empty text: write 'not \(name) contains \"\"'"
            }
            throw QueryError(.sqlHabit(sqlText(span), instead: instead), span: span)
        case "as":
            instead = "fields keep their names; there are no aliases"
        default:
            return
        }
        throw QueryError(.sqlHabit(word, instead: instead), span: span)
    }

    /// The words of a span, lowercased and joined by one space (`is not null`).
    func sqlText(_ span: Range<Int>) -> String {
        tokens.filter { $0.span.lowerBound >= span.lowerBound && $0.span.upperBound <= span.upperBound }
            .compactMap { $0.word?.lowercased() }.joined(separator: " ")
    }
}
