//! Command-line flags as cobra/pflag parse them: `--name=value`, `--name value`, `-x value`,
//! `-xvalue`, `-x=value`, bool shorthands grouped (`-it`), `--` ending the flags, and flags
//! anywhere between the arguments. Errors carry pflag's texts.

use std::collections::BTreeMap;

/// One flag a command accepts.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    /// Takes a value (a string/int flag); otherwise a bool flag (`--x=false` is accepted).
    pub value: bool,
    /// pflag's `NoOptDefVal`: the value when the flag is given without `=value` (it then takes no
    /// following word), as helm's and kubectl's `--dry-run` (`unchanged`).
    pub no_opt: Option<&'static str>,
}

pub const fn val(long: &'static str, short: Option<char>) -> Flag {
    Flag { long, short, value: true, no_opt: None }
}

pub const fn switch(long: &'static str, short: Option<char>) -> Flag {
    Flag { long, short, value: false, no_opt: None }
}

/// A value flag with a default when given bare (pflag `NoOptDefVal`).
pub const fn optional(long: &'static str, short: Option<char>, no_opt: &'static str) -> Flag {
    Flag { long, short, value: true, no_opt: Some(no_opt) }
}

/// kubectl's global flags the lab accepts (`-n` matters; the others are accepted and ignored).
pub const GLOBAL: &[Flag] = &[
    val("namespace", Some('n')),
    val("context", None),
    val("cluster", None),
    val("user", None),
    val("kubeconfig", None),
    val("request-timeout", None),
    val("server", Some('s')),
    val("v", Some('v')),
    switch("help", Some('h')),
];

/// The words of a command line once its flags are taken out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// Positional arguments, in order.
    pub args: Vec<String>,
    /// Index in `args` where `--` was (what follows it is the command of `exec`).
    pub dash: Option<usize>,
    /// Values by long name, in the order given (a bool flag's value is `true`/`false`).
    pub flags: BTreeMap<&'static str, Vec<String>>,
}

impl Parsed {
    pub fn get(&self, long: &str) -> Option<&str> {
        self.flags.get(long).and_then(|v| v.last()).map(String::as_str)
    }

    pub fn has(&self, long: &str) -> bool {
        self.flags.contains_key(long)
    }

    /// A bool flag given and not `=false`.
    pub fn on(&self, long: &str) -> bool {
        self.get(long).is_some_and(|v| v != "false")
    }
}

/// Parses `words` (after the command path) against `known` + [`GLOBAL`]; `Err` is pflag's message.
pub fn parse(words: &[String], known: &[Flag]) -> Result<Parsed, String> {
    parse_in(words, known, GLOBAL)
}

/// As [`parse`], with another program's global flags (helm's).
pub fn parse_in(words: &[String], known: &[Flag], global: &[Flag]) -> Result<Parsed, String> {
    let all: Vec<Flag> = known.iter().chain(global.iter()).copied().collect();
    let mut out = Parsed::default();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if w == "--" {
            out.dash = Some(out.args.len());
            out.args.extend(words[i..].iter().cloned());
            break;
        }
        if let Some(rest) = w.strip_prefix("--") {
            let (name, inline) = match rest.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (rest, None),
            };
            // kubectl normalises `_` to `-` in flag names (cliflag.WarnWordSepNormalizeFunc).
            let norm = name.replace('_', "-");
            let Some(f) = all.iter().find(|f| f.long == norm) else {
                return Err(format!("unknown flag: --{name}"));
            };
            let value = if f.value {
                match (inline, f.no_opt) {
                    (Some(v), _) => v,
                    (None, Some(default)) => default.to_string(),
                    (None, None) if i < words.len() => {
                        i += 1;
                        words[i - 1].clone()
                    }
                    (None, None) => return Err(format!("flag needs an argument: --{name}")),
                }
            } else {
                bool_value(inline, &format!("--{name}"))?
            };
            out.flags.entry(f.long).or_default().push(value);
        } else if w.len() > 1 && w.starts_with('-') {
            let shorts: Vec<char> = w[1..].chars().collect();
            let mut j = 0;
            while j < shorts.len() {
                let c = shorts[j];
                let Some(f) = all.iter().find(|f| f.short == Some(c)) else {
                    // pflag parseSingleShortArg: the shorthands left from this one on.
                    let left: String = shorts[j..].iter().collect();
                    return Err(format!("unknown shorthand flag: '{c}' in -{left}"));
                };
                let rest: String = shorts[j + 1..].iter().collect();
                if f.value {
                    let value = if let Some(v) = rest.strip_prefix('=') {
                        v.to_string()
                    } else if let Some(default) = f.no_opt.filter(|_| rest.is_empty()) {
                        default.to_string()
                    } else if !rest.is_empty() {
                        rest
                    } else if i < words.len() {
                        i += 1;
                        words[i - 1].clone()
                    } else {
                        return Err(format!(
                            "flag needs an argument: '{c}' in -{}",
                            shorts[j..].iter().collect::<String>()
                        ));
                    };
                    out.flags.entry(f.long).or_default().push(value);
                    break;
                }
                if let Some(v) = rest.strip_prefix('=') {
                    out.flags.entry(f.long).or_default().push(bool_value(Some(v.to_string()), &format!("-{c}"))?);
                    break;
                }
                out.flags.entry(f.long).or_default().push("true".into());
                j += 1;
            }
        } else {
            out.args.push(w.clone());
        }
    }
    Ok(out)
}

fn bool_value(inline: Option<String>, name: &str) -> Result<String, String> {
    // strconv.ParseBool
    match inline.as_deref() {
        None => Ok("true".into()),
        Some("1" | "t" | "T" | "TRUE" | "true" | "True") => Ok("true".into()),
        Some("0" | "f" | "F" | "FALSE" | "false" | "False") => Ok("false".into()),
        Some(v) => Err(format!(
            "invalid argument \"{v}\" for \"{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn values_bools_and_dashes() {
        let known = [
            val("output", Some('o')),
            switch("watch", Some('w')),
            switch("stdin", Some('i')),
            switch("tty", Some('t')),
        ];
        let p = parse(&w("po -owide -n lab --watch=false web-0 -it -- cat /x"), &known).unwrap();
        assert_eq!(p.args, ["po", "web-0", "cat", "/x"]);
        assert_eq!(p.dash, Some(2));
        assert_eq!(p.get("output"), Some("wide"));
        assert_eq!(p.get("namespace"), Some("lab"));
        assert!(!p.on("watch") && p.on("stdin") && p.on("tty"));
        assert_eq!(parse(&w("-o=json"), &known).unwrap().get("output"), Some("json"));
        // pflag's texts
        assert_eq!(parse(&w("--foo"), &known).unwrap_err(), "unknown flag: --foo");
        assert_eq!(parse(&w("-x"), &known).unwrap_err(), "unknown shorthand flag: 'x' in -x");
        assert_eq!(parse(&w("--output"), &known).unwrap_err(), "flag needs an argument: --output");
        assert_eq!(parse(&w("-o"), &known).unwrap_err(), "flag needs an argument: 'o' in -o");
    }
}
