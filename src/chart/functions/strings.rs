//! Sprig's string functions. Argument order as Sprig's: the string operated on comes LAST, so
//! that it can be piped (`.Values.name | trunc 63 | trimSuffix "-"`).

use gotmpl::{FuncMap, Value};

use super::{add, arg_int, arg_str, arity, fail, s, strval};

pub(crate) fn register(m: &mut FuncMap) {
    // Go's fmt.Sprint / Sprintln (text/template's print, println), numbers formatted as Go does.
    add(m, "print", |a| {
        let mut out = String::new();
        for (i, v) in a.iter().enumerate() {
            if i > 0 && !matches!(v, Value::String(_)) && !matches!(a[i - 1], Value::String(_)) {
                out.push(' ');
            }
            out.push_str(&super::go_fmt_v(v));
        }
        Ok(s(out))
    });
    add(m, "println", |a| Ok(s(format!("{}\n", a.iter().map(super::go_fmt_v).collect::<Vec<_>>().join(" ")))));
    add(m, "quote", |a| {
        Ok(s(a.iter().filter(|v| !matches!(v, Value::Nil)).map(|v| go_quote(&strval(v))).collect::<Vec<_>>().join(" ")))
    });
    add(m, "squote", |a| {
        Ok(s(a
            .iter()
            .filter(|v| !matches!(v, Value::Nil))
            .map(|v| format!("'{}'", strval(v)))
            .collect::<Vec<_>>()
            .join(" ")))
    });
    add(m, "trunc", |a| {
        arity("trunc", a, 2)?;
        Ok(s(trunc(arg_int(a, 0)?, arg_str(a, 1)?)))
    });
    add(m, "trimSuffix", |a| {
        arity("trimSuffix", a, 2)?;
        let (suffix, text) = (arg_str(a, 0)?, arg_str(a, 1)?);
        Ok(s(text.strip_suffix(suffix).unwrap_or(text)))
    });
    add(m, "trimPrefix", |a| {
        arity("trimPrefix", a, 2)?;
        let (prefix, text) = (arg_str(a, 0)?, arg_str(a, 1)?);
        Ok(s(text.strip_prefix(prefix).unwrap_or(text)))
    });
    add(m, "trim", |a| {
        arity("trim", a, 1)?;
        Ok(s(arg_str(a, 0)?.trim_matches(go_space)))
    });
    add(m, "trimAll", |a| {
        arity("trimAll", a, 2)?;
        let (cut, text) = (arg_str(a, 0)?, arg_str(a, 1)?);
        Ok(s(text.trim_matches(|c| cut.contains(c))))
    });
    add(m, "upper", |a| {
        arity("upper", a, 1)?;
        Ok(s(arg_str(a, 0)?.to_uppercase()))
    });
    add(m, "lower", |a| {
        arity("lower", a, 1)?;
        Ok(s(arg_str(a, 0)?.to_lowercase()))
    });
    add(m, "title", |a| {
        arity("title", a, 1)?;
        Ok(s(title(arg_str(a, 0)?)))
    });
    // Sprig: `replace OLD NEW STRING`.
    add(m, "replace", |a| {
        arity("replace", a, 3)?;
        let (old, new, text) = (arg_str(a, 0)?, arg_str(a, 1)?, arg_str(a, 2)?);
        Ok(s(go_replace_all(text, old, new)))
    });
    // Sprig: `contains SUBSTRING STRING`.
    add(m, "contains", |a| {
        arity("contains", a, 2)?;
        Ok(Value::Bool(arg_str(a, 1)?.contains(arg_str(a, 0)?)))
    });
    add(m, "hasPrefix", |a| {
        arity("hasPrefix", a, 2)?;
        Ok(Value::Bool(arg_str(a, 1)?.starts_with(arg_str(a, 0)?)))
    });
    add(m, "hasSuffix", |a| {
        arity("hasSuffix", a, 2)?;
        Ok(Value::Bool(arg_str(a, 1)?.ends_with(arg_str(a, 0)?)))
    });
    // `indent N STRING` pads every line; `nindent` adds a newline first.
    add(m, "indent", |a| {
        arity("indent", a, 2)?;
        Ok(s(indent(arg_int(a, 0)?, arg_str(a, 1)?)))
    });
    add(m, "nindent", |a| {
        arity("nindent", a, 2)?;
        Ok(s(format!("\n{}", indent(arg_int(a, 0)?, arg_str(a, 1)?))))
    });
    add(m, "repeat", |a| {
        arity("repeat", a, 2)?;
        let n = arg_int(a, 0)?;
        if n < 0 {
            return Err(fail("strings: negative Repeat count"));
        }
        Ok(s(arg_str(a, 1)?.repeat(n as usize)))
    });
    add(m, "substr", |a| {
        arity("substr", a, 3)?;
        Ok(s(substr(arg_int(a, 0)?, arg_int(a, 1)?, arg_str(a, 2)?)))
    });
    add(m, "nospace", |a| {
        arity("nospace", a, 1)?;
        Ok(s(arg_str(a, 0)?.chars().filter(|c| !c.is_whitespace()).collect::<String>()))
    });
    add(m, "cat", |a| Ok(s(a.iter().filter(|v| !matches!(v, Value::Nil)).map(strval).collect::<Vec<_>>().join(" "))));
    // Sprig: `join SEP LIST`.
    add(m, "join", |a| {
        arity("join", a, 2)?;
        let sep = arg_str(a, 0)?;
        let parts: Vec<String> = match &a[1] {
            Value::List(l) => l.iter().filter(|v| !matches!(v, Value::Nil)).map(strval).collect(),
            Value::Nil => Vec::new(),
            other => vec![strval(other)],
        };
        Ok(s(parts.join(sep)))
    });
    // Sprig: `splitList SEP STRING`.
    add(m, "splitList", |a| {
        arity("splitList", a, 2)?;
        let (sep, text) = (arg_str(a, 0)?, arg_str(a, 1)?);
        let parts: Vec<Value> = if sep.is_empty() {
            text.chars().map(|c| s(c.to_string())).collect()
        } else {
            text.split(sep).map(s).collect()
        };
        Ok(Value::List(parts.into()))
    });
}

/// Go's unicode.IsSpace, for `trim` (strings.TrimSpace).
fn go_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}')
        || (c.is_whitespace() && c as u32 > 0xff)
}

/// Sprig's `trunc`: a negative count keeps the end. Counts bytes, as Go slices strings.
pub fn trunc(c: i64, text: &str) -> String {
    let len = text.len() as i64;
    let cut = |from: usize, to: usize| -> String { String::from_utf8_lossy(&text.as_bytes()[from..to]).into_owned() };
    if c < 0 && len + c > 0 {
        return cut((len + c) as usize, text.len());
    }
    if c >= 0 && len > c {
        return cut(0, c as usize);
    }
    text.to_string()
}

/// Sprig's `indent`: the pad before the text and after every newline.
pub fn indent(n: i64, text: &str) -> String {
    let pad = " ".repeat(n.max(0) as usize);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

fn substr(start: i64, end: i64, text: &str) -> String {
    let b = text.as_bytes();
    let len = b.len() as i64;
    let (start, end) = if start < 0 { (0, end) } else { (start, end) };
    let end = if end < 0 || end > len { len } else { end };
    if start > len || start > end {
        return String::new();
    }
    String::from_utf8_lossy(&b[start as usize..end as usize]).into_owned()
}

/// Go's strings.Replace(s, old, new, -1) (an empty `old` inserts between every rune).
fn go_replace_all(text: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        let mut out = String::from(new);
        for c in text.chars() {
            out.push(c);
            out.push_str(new);
        }
        return out;
    }
    text.replace(old, new)
}

/// Go's strings.Title (deprecated but what Sprig uses): upper-case the first letter of each word.
pub fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_sep = true;
    for c in text.chars() {
        if prev_sep {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_sep = is_title_separator(c);
    }
    out
}

fn is_title_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    c.is_whitespace()
}

/// Go's `%q` (strconv.Quote).
pub fn go_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (0x80..0xa0).contains(&(c as u32)) || c == '\u{ad}' || c == '\u{feff}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
