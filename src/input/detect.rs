//! What was pasted. A helm log is recognised by its status block and section headers; a raw
//! template by a `{{ }}` action where YAML structure is (not inside a quoted string, a block
//! scalar or a comment, where real logs and values files legitimately carry Go templates:
//! Vault agent annotations, NOTES, bitnami's `configuration: |` blocks). Whether the rest is
//! manifests or values is decided after parsing, by whether documents have `apiVersion`+`kind`.

use super::position::Paste;

/// The headers helm prints before each part of a release.
pub const SECTION_HEADERS: [&str; 5] = ["USER-SUPPLIED VALUES:", "COMPUTED VALUES:", "HOOKS:", "MANIFEST:", "NOTES:"];

/// Whether the paste is a `helm install|upgrade ... [--dry-run] [--debug]` log.
pub fn is_helm_log(paste: &Paste) -> bool {
    let has = |prefix: &str| paste.lines.iter().any(|l| l.starts_with(prefix));
    let exact = |header: &str| paste.lines.iter().any(|l| l.trim_end() == header);
    exact("MANIFEST:")
        || exact("HOOKS:")
        || exact("USER-SUPPLIED VALUES:")
        || exact("COMPUTED VALUES:")
        || (has("NAME:") && (has("LAST DEPLOYED:") || has("STATUS:")))
}

/// The line (1-based) of a `kubectl get` table header (`NAME   READY   STATUS ...`), if the paste
/// starts with one: students paste what they see, and a table is not a manifest.
pub fn kubectl_table_line(paste: &Paste) -> Option<usize> {
    let (i, first) = paste.lines.iter().enumerate().find(|(_, l)| !l.trim().is_empty())?;
    let columns: Vec<&str> = first.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    let known = ["READY", "STATUS", "AGE", "TYPE", "CLUSTER-IP", "CAPACITY", "RESTARTS"];
    (first.starts_with("NAME ") && columns.len() >= 3 && columns.iter().any(|c| known.contains(c))).then_some(i + 1)
}

/// The first line (1-based) holding a template action in YAML structure, if any.
pub fn first_template_line(paste: &Paste) -> Option<usize> {
    let mut block_indent: Option<usize> = None;
    for (i, line) in paste.lines.iter().enumerate() {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if let Some(parent) = block_indent {
            if content.trim().is_empty() || indent > parent {
                continue;
            }
            block_indent = None;
        }
        let code = strip_comment_and_quotes(content);
        if code.contains("{{") {
            return Some(i + 1);
        }
        if opens_block_scalar(&code) {
            block_indent = Some(indent);
        }
    }
    None
}

/// `key: |`, `- >-`, `key: |2+`: the following more-indented lines are text, not YAML.
fn opens_block_scalar(code: &str) -> bool {
    let code = code.trim_end();
    let Some(pos) = code.rfind(['|', '>']) else {
        return false;
    };
    let indicator_ok = code[pos + 1..].chars().all(|c| c == '-' || c == '+' || c.is_ascii_digit());
    let before = code[..pos].trim_end();
    indicator_ok && (before.is_empty() || before.ends_with(':') || before.ends_with('-') || before.ends_with("---"))
}

/// The line with quoted strings blanked and any trailing comment removed.
fn strip_comment_and_quotes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    quote = None;
                    out.push(c);
                }
            }
            Some(_) => {}
            None if c == '#' && prev.is_whitespace() => break,
            // A quote only opens a scalar at its start, not inside a word (`it's`).
            None if (c == '"' || c == '\'') && (prev.is_whitespace() || "[{,:-".contains(prev)) => {
                quote = Some(c);
                out.push(c);
            }
            None => out.push(c),
        }
        prev = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template_line(text: &str) -> Option<usize> {
        first_template_line(&Paste::new(text))
    }

    #[test]
    fn template_action_in_structure_is_a_template() {
        assert_eq!(template_line("kind: StatefulSet\nspec:\n  replicas: {{ .Values.replicaCount }}\n"), Some(3));
        assert_eq!(template_line("{{- if .Values.enabled }}\napiVersion: v1\n"), Some(1));
    }

    #[test]
    fn template_text_in_block_scalars_quotes_and_comments_is_data() {
        let values = "config: |\n  {{- if .Values.x }}\n  a = {{ .Values.y }}\n  {{- end }}\nport: \"{{ .Values.port }}\"\n# {{ not this }}\nnext: 1\n";
        assert_eq!(template_line(values), None);
    }

    #[test]
    fn helm_log_is_recognised_by_its_headers() {
        assert!(is_helm_log(&Paste::new("NAME: x\nLAST DEPLOYED: now\n")));
        assert!(is_helm_log(&Paste::new("foo\nMANIFEST:\n---\n")));
        assert!(!is_helm_log(&Paste::new("name: x\nstatus: y\n")));
    }
}
