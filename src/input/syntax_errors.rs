//! Parser messages in plain words. libyaml's wording ("did not find expected key while parsing a
//! block mapping") names grammar productions; a student needs to know what to look at. The
//! original text is kept after the explanation, for searching the web.

/// A plain-words message for a yaml_serde error text, with its location suffix removed.
pub fn explain(raw: &str) -> String {
    let detail = strip_locations(raw);
    let plain = if detail.contains("found character that cannot start any token") {
        "a character YAML cannot start a value with (a tab in the indentation? YAML indents with spaces only)"
    } else if detail.contains("mapping values are not allowed in this context") {
        "a `key: value` where YAML does not allow one: check this line's indentation, or quote a value that contains `: `"
    } else if detail.contains("did not find expected key") {
        "this line does not fit the mapping it sits in: its indentation is off, or a line above it is"
    } else if detail.contains("did not find expected '-' indicator") {
        "this line breaks the list above it: list items must all start with `- ` at the same indentation"
    } else if detail.contains("could not find expected ':'") {
        "a key without its `:`, or a quoted/flow value that is not closed"
    } else if detail.contains("did not find expected ',' or ']'") {
        "a `[...]` list that is not closed, or a missing comma in it"
    } else if detail.contains("did not find expected ',' or '}'") {
        "a `{...}` mapping that is not closed, or a missing comma in it"
    } else if detail.contains("found unexpected end of stream") {
        "the text ends in the middle of a value (an unclosed quote or bracket?)"
    } else if detail.contains("unknown anchor") || detail.contains("undefined alias") {
        "an alias `*name` without a matching anchor `&name` before it"
    } else if detail.contains("found undefined tag handle") {
        "an unknown `!tag`"
    } else if detail.contains("block sequence entries are not allowed in this context") {
        "a `- ` list item where a value was expected on the same line: put the list on the next lines"
    } else if detail.contains("did not find expected <document start>") {
        "this line is less indented than the document's first line: is the line above (or the first line) stray?"
    } else if detail.contains("recursion limit exceeded") {
        "the document nests deeper than 128 levels"
    } else if detail.contains("repetition limit exceeded") {
        "aliases `*name` repeat an anchor `&name` too many times (a YAML \"billion laughs\" bomb?): reading stopped"
    } else {
        return format!("invalid YAML: {detail}");
    };
    format!("{plain} ({detail})")
}

/// Removes `at line N column M` parts: the caller gives the position in the whole paste.
fn strip_locations(raw: &str) -> String {
    let mut out = raw.to_string();
    while let Some(start) = out.find(" at line ") {
        let rest = &out[start + " at line ".len()..];
        let end = rest
            .find(" column ")
            .map(|c| {
                let after = &rest[c + " column ".len()..];
                c + " column ".len() + after.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(after.len())
            })
            .unwrap_or_else(|| rest.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(rest.len()));
        out.replace_range(start..start + " at line ".len() + end, "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libyaml_wording_gets_an_explanation_and_loses_its_local_position() {
        let m = explain("mapping values are not allowed in this context at line 3 column 9");
        assert!(m.starts_with("a `key: value` where YAML"));
        assert!(!m.contains("line 3"));
    }
}
