//! The talking points and narration mark commands as Markdown code spans (`` `kubectl rollout
//! status` ``), which the lab report keeps as Markdown; the page shows them as code, never as
//! raw backticks in front of a classroom.

/// A text cut into plain runs (`false`) and code spans (`true`). A backtick without its pair stays
/// plain text, as Markdown leaves it.
pub fn code_spans(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else { break };
        if open > 0 {
            out.push((false, &rest[..open]));
        }
        let code = &rest[open + 1..open + 1 + len];
        if !code.is_empty() {
            out.push((true, code));
        }
        rest = &rest[open + 2 + len..];
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::code_spans;

    #[test]
    fn backtick_pairs_are_code_and_a_lone_backtick_is_text() {
        assert_eq!(
            code_spans("then `kubectl rollout status` prints every change"),
            vec![(false, "then "), (true, "kubectl rollout status"), (false, " prints every change")]
        );
        assert_eq!(code_spans("`a` and `b`"), vec![(true, "a"), (false, " and "), (true, "b")]);
        assert_eq!(code_spans("a lone ` stays"), vec![(false, "a lone ` stays")]);
        assert_eq!(code_spans("`a` then ` alone"), vec![(true, "a"), (false, " then ` alone")]);
        assert_eq!(code_spans("empty `` pair"), vec![(false, "empty "), (false, " pair")]);
        assert_eq!(code_spans(""), Vec::<(bool, &str)>::new());
    }
}
