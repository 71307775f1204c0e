//! `semverCompare CONSTRAINT VERSION` with Masterminds/semver v3 rules, as Sprig uses: loose
//! versions (`v1.28`, `1.2`), operators `= != > < >= <= ~ ^`, wildcards (`1.2.x`, `*`), hyphen
//! ranges, `,`/space for AND and `||` for OR. A pre-release version only satisfies a constraint
//! that itself names a pre-release (hence the common `>=1.21-0`).

use std::cmp::Ordering;

use gotmpl::{FuncMap, Value};

use super::{add, arg_str, arity, fail};

pub(crate) fn register(m: &mut FuncMap) {
    add(m, "semverCompare", |a| {
        arity("semverCompare", a, 2)?;
        semver_compare(arg_str(a, 0)?, arg_str(a, 1)?).map(Value::Bool).map_err(fail)
    });
}

/// A parsed version.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
}

impl Version {
    /// Masterminds `NewVersion` (loose: an optional `v`, missing minor/patch are 0).
    pub fn parse(text: &str) -> Result<Version, String> {
        let invalid = || "Invalid Semantic Version".to_string();
        let t = text.strip_prefix('v').unwrap_or(text);
        let (t, _meta) = t.split_once('+').unwrap_or((t, ""));
        let (core, pre) = t.split_once('-').unwrap_or((t, ""));
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(invalid());
        }
        let num = |p: &str| -> Result<u64, String> {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            p.parse().map_err(|_| invalid())
        };
        let major = num(parts[0])?;
        let minor = parts.get(1).map(|p| num(p)).transpose()?.unwrap_or(0);
        let patch = parts.get(2).map(|p| num(p)).transpose()?.unwrap_or(0);
        if !pre.is_empty()
            && !pre.split('.').all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        {
            return Err(invalid());
        }
        Ok(Version { major, minor, patch, pre: pre.to_string() })
    }

    fn cmp(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| cmp_pre(&self.pre, &other.pre))
    }
}

fn cmp_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (ai, bi): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for (x, y) in ai.iter().zip(bi.iter()) {
        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(p), Ok(q)) => p.cmp(&q),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            _ => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    ai.len().cmp(&bi.len())
}

/// One `OP VERSION` with the wildcard level of its version (`1.x` has minor and patch dirty).
struct Constraint {
    op: String,
    v: Version,
    minor_dirty: bool,
    patch_dirty: bool,
    any: bool,
}

fn is_x(p: &str) -> bool {
    matches!(p, "x" | "X" | "*")
}

fn parse_one(text: &str) -> Result<Constraint, String> {
    let bad = || format!("improper constraint: {text}");
    let t = text.trim();
    let op_len = t.find(|c: char| c.is_ascii_alphanumeric() || c == '*').ok_or_else(bad)?;
    let op = t[..op_len].trim().to_string();
    let ver = t[op_len..].trim();
    if !matches!(op.as_str(), "" | "=" | "!=" | ">" | "<" | ">=" | "=>" | "<=" | "=<" | "~" | "~>" | "^") {
        return Err(bad());
    }
    let ver = ver.strip_prefix('v').unwrap_or(ver);
    let (core, rest) = match ver.find(['-', '+']) {
        Some(at) => (&ver[..at], &ver[at..]),
        None => (ver, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(bad());
    }
    let any = is_x(parts[0]);
    let minor_dirty = any || parts.len() < 2 || is_x(parts[1]);
    let patch_dirty = minor_dirty || parts.len() < 3 || is_x(parts[2]);
    let fill = |i: usize, dirty: bool| if dirty { "0" } else { parts[i] };
    let text_v =
        format!("{}.{}.{}{}", if any { "0" } else { parts[0] }, fill(1, minor_dirty), fill(2, patch_dirty), rest);
    let v = Version::parse(&text_v).map_err(|_| bad())?;
    Ok(Constraint { op, v, minor_dirty, patch_dirty, any })
}

impl Constraint {
    fn check(&self, v: &Version) -> bool {
        // Masterminds v3: a pre-release only matches a constraint that names one.
        if !v.pre.is_empty() && self.v.pre.is_empty() {
            return false;
        }
        let c = &self.v;
        let dirty = self.minor_dirty || self.patch_dirty;
        match self.op.as_str() {
            "" | "=" => {
                if self.any {
                    return true;
                }
                if dirty {
                    v.major == c.major && (self.minor_dirty || v.minor == c.minor)
                } else {
                    v.cmp(c) == Ordering::Equal
                }
            }
            "!=" => {
                if self.any {
                    return false;
                }
                if dirty {
                    !(v.major == c.major && (self.minor_dirty || v.minor == c.minor))
                } else {
                    v.cmp(c) != Ordering::Equal
                }
            }
            ">" => {
                if !dirty {
                    return v.cmp(c) == Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major > c.major;
                }
                !self.minor_dirty && v.minor > c.minor
            }
            "<" => v.cmp(c) == Ordering::Less,
            ">=" | "=>" => v.cmp(c) != Ordering::Less,
            "<=" | "=<" => {
                if !dirty {
                    return v.cmp(c) != Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major < c.major;
                }
                self.minor_dirty || v.minor <= c.minor
            }
            "~" | "~>" => {
                if v.cmp(c) == Ordering::Less {
                    return false;
                }
                if self.any {
                    return true;
                }
                v.major == c.major && (self.minor_dirty || v.minor == c.minor)
            }
            "^" => {
                if v.cmp(c) == Ordering::Less {
                    return false;
                }
                if self.any {
                    return true;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.major == 0 && v.minor == c.minor;
                }
                v.major == 0 && v.minor == 0 && v.patch == c.patch
            }
            _ => false,
        }
    }
}

/// Splits an AND group into single constraints: `>=1.2, <2`, `>=1.2 <2`, `1.2 - 1.4`.
fn parse_group(group: &str) -> Result<Vec<Constraint>, String> {
    let g = group.trim();
    if let Some((lo, hi)) = g.split_once(" - ") {
        return Ok(vec![parse_one(&format!(">={}", lo.trim()))?, parse_one(&format!("<={}", hi.trim()))?]);
    }
    // Glue an operator to its version ("> = 1.2" is not allowed, "> 1.2" is).
    let mut tokens: Vec<String> = Vec::new();
    for tok in g.split([',', ' ']).filter(|t| !t.is_empty()) {
        match tokens.last_mut() {
            Some(prev) if prev.chars().all(|c| "=<>!~^".contains(c)) => prev.push_str(tok),
            _ => tokens.push(tok.to_string()),
        }
    }
    if tokens.is_empty() {
        return Err(format!("improper constraint: {group}"));
    }
    tokens.iter().map(|t| parse_one(t)).collect()
}

/// Sprig's `semverCompare`: does VERSION satisfy CONSTRAINT?
pub fn semver_compare(constraint: &str, version: &str) -> Result<bool, String> {
    let groups: Vec<Vec<Constraint>> = constraint.split("||").map(parse_group).collect::<Result<_, _>>()?;
    let v = Version::parse(version)?;
    Ok(groups.iter().any(|g| g.iter().all(|c| c.check(&v))))
}

#[cfg(test)]
mod tests {
    use super::semver_compare;

    #[test]
    fn masterminds_rules() {
        assert_eq!(semver_compare(">=1.20-0", "v1.28.0"), Ok(true));
        assert_eq!(semver_compare(">=1.20", "v1.28.3-gke.100"), Ok(false));
        assert_eq!(semver_compare(">=1.20-0", "v1.28.3-gke.100"), Ok(true));
        assert_eq!(semver_compare("<1.19", "1.18.9"), Ok(true));
        assert_eq!(semver_compare("~1.2.3", "1.2.9"), Ok(true));
        assert_eq!(semver_compare("~1.2.3", "1.3.0"), Ok(false));
        assert_eq!(semver_compare("^1.2.3", "1.9.0"), Ok(true));
        assert_eq!(semver_compare("^0.2.3", "0.3.0"), Ok(false));
        assert_eq!(semver_compare("1.2.x", "1.2.7"), Ok(true));
        assert_eq!(semver_compare(">=1.0, <2.0", "2.0.0"), Ok(false));
        assert_eq!(semver_compare("<1.0 || >=3", "3.1.0"), Ok(true));
        assert_eq!(semver_compare("1.1 - 1.3", "1.3.0"), Ok(true));
        assert!(semver_compare(">=1.0", "not-a-version").is_err());
    }
}
