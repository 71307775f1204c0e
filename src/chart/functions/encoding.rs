//! base64, sha256sum, and the JSON/YAML conversions (`toYaml`, `toJson`, `fromYaml`, ...).

use base64::Engine;
use sha2::{Digest, Sha256};

use gotmpl::FuncMap;

use super::{add, arg_str, arity, s, strval, yaml};

pub(crate) fn register(m: &mut FuncMap) {
    add(m, "b64enc", |a| {
        arity("b64enc", a, 1)?;
        Ok(s(base64::engine::general_purpose::STANDARD.encode(strval(&a[0]))))
    });
    // Sprig returns the decoder's error text as the result instead of failing.
    add(m, "b64dec", |a| {
        arity("b64dec", a, 1)?;
        Ok(s(b64dec(&strval(&a[0]))))
    });
    add(m, "sha256sum", |a| {
        arity("sha256sum", a, 1)?;
        let digest = Sha256::digest(arg_str(a, 0)?.as_bytes());
        Ok(s(digest.iter().map(|b| format!("{b:02x}")).collect::<String>()))
    });
    // Helm: `toYaml` trims the final newline; errors become "".
    add(m, "toYaml", |a| {
        arity("toYaml", a, 1)?;
        Ok(s(yaml::to_yaml(&a[0]).trim_end_matches('\n')))
    });
    add(m, "toJson", |a| {
        arity("toJson", a, 1)?;
        Ok(s(yaml::to_json(&a[0])))
    });
    add(m, "toPrettyJson", |a| {
        arity("toPrettyJson", a, 1)?;
        Ok(s(pretty_json(&yaml::to_json(&a[0]))))
    });
    add(m, "fromYaml", |a| {
        arity("fromYaml", a, 1)?;
        Ok(yaml::from_yaml(arg_str(a, 0)?))
    });
    add(m, "fromYamlArray", |a| {
        arity("fromYamlArray", a, 1)?;
        Ok(yaml::from_yaml_array(arg_str(a, 0)?))
    });
    // JSON is YAML: Helm's fromJson also reads numbers as float64.
    add(m, "fromJson", |a| {
        arity("fromJson", a, 1)?;
        Ok(yaml::from_yaml(arg_str(a, 0)?))
    });
}

/// Sprig's base64encode.
pub fn b64enc(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Sprig's base64decode: the decoded text, or Go's error message.
pub fn b64dec(text: &str) -> String {
    match base64::engine::general_purpose::STANDARD.decode(text.as_bytes()) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(base64::DecodeError::InvalidByte(at, _)) | Err(base64::DecodeError::InvalidLastSymbol(at, _)) => {
            format!("illegal base64 data at input byte {at}")
        }
        Err(_) => format!("illegal base64 data at input byte {}", text.len() - text.len() % 4),
    }
}

/// Go's json.MarshalIndent(v, "", "  ") from compact JSON text.
fn pretty_json(compact: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    let chars: Vec<char> = compact.chars().collect();
    let nl = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    let mut i = 0;
    while i < chars.len() {
        if out.len() > crate::limits::MAX_TEMPLATE_STRING_BYTES {
            // The renderer refuses a string this long; making the rest would only fill memory.
            break;
        }
        let c = chars[i];
        if in_str {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            '{' | '[' => {
                let close = if c == '{' { '}' } else { ']' };
                if chars.get(i + 1) == Some(&close) {
                    out.push(c);
                    out.push(close);
                    i += 2;
                    continue;
                }
                out.push(c);
                depth += 1;
                nl(&mut out, depth);
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                nl(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                nl(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
        i += 1;
    }
    out
}
