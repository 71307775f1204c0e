//! Escaping user text for any Markdown viewer (issue #14): an image, a name or a comment the user
//! typed must read as text, never as Markdown or HTML. CommonMark rules followed: a code span ends
//! at the first backtick run as long as its opening one (spec "Code spans"), and raw HTML is any
//! `<tag` outside code (spec "Raw HTML"); entities start with `&` (spec "Entity references").

/// `s` as an inline code span: delimited by a backtick run longer than any run inside, and padded
/// with one space where `s` starts or ends with a backtick (CommonMark strips one such space on
/// each side, so the content is shown exactly).
pub fn code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = s.starts_with('`') || s.ends_with('`') || (s.len() > 1 && s.starts_with(' ') && s.ends_with(' '));
    let pad = if pad { " " } else { "" };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// A fence for a fenced code block around `body`: longer than any backtick run inside it, so a
/// pasted log cannot close the block early (at least three backticks).
pub fn fence(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// `s` as plain text outside code: `&`, `<` and `>` as entities (so `<script>` or `&lt;` stay
/// text), backticks, `*`, `_`, `[` and `]` backslash-escaped (so they open no span, emphasis or
/// link), and line breaks as spaces (a sentence stays one paragraph).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' | '*' | '_' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backtick_in_an_image_name_does_not_end_the_code_span() {
        assert_eq!(code("nginx:1.25"), "`nginx:1.25`");
        assert_eq!(code("evil`image:v1"), "``evil`image:v1``");
        assert_eq!(code("a``b"), "```a``b```");
        // Starting or ending with a backtick: padded, CommonMark strips the padding.
        assert_eq!(code("`x"), "`` `x ``");
    }

    #[test]
    fn html_in_user_text_is_not_live() {
        assert_eq!(text("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(text("a &amp; b"), "a &amp;amp; b");
        assert_eq!(text("*bold* `code` [link](x)"), "\\*bold\\* \\`code\\` \\[link\\](x)");
    }

    #[test]
    fn a_fence_outlasts_every_backtick_run_in_its_body() {
        assert_eq!(fence("plain"), "```");
        assert_eq!(fence("````four"), "`````");
    }
}
