//! The Kubernetes release a simulated cluster runs (issue #12). A StatefulSet behaves differently
//! from one release to the next, and a student's cluster may be any of them: the release decides
//! which feature gates are on by default ([`super::FeatureGates::for_version`]) and which code the
//! controller runs where a fix landed in a later release (kubernetes/kubernetes #137666 in 1.37).
//!
//! Only 1.33 to 1.37 are offered: the releases whose StatefulSet code the lab has read.

use std::fmt;

/// A release `1.MINOR.PATCH`. Ordered, so "fixed in 1.35.4" reads `v >= KubeVersion::new(35, 4)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct KubeVersion {
    pub minor: u32,
    pub patch: u32,
}

impl KubeVersion {
    /// The oldest release offered.
    pub const OLDEST: KubeVersion = KubeVersion { minor: 33, patch: 0 };
    /// The newest release offered, and the default (issue #12: "default: the newest").
    pub const LATEST: KubeVersion = KubeVersion { minor: 37, patch: 0 };
    /// The choices the web app lists: each minor, plus 1.35.2 where the maxUnavailable regression
    /// is on by default (1.35.0-1.35.3) and 1.35.4 where it was switched off again (#137926).
    pub const CHOICES: [KubeVersion; 6] = [
        KubeVersion { minor: 33, patch: 0 },
        KubeVersion { minor: 34, patch: 0 },
        KubeVersion { minor: 35, patch: 2 },
        KubeVersion { minor: 35, patch: 4 },
        KubeVersion { minor: 36, patch: 0 },
        KubeVersion { minor: 37, patch: 0 },
    ];

    /// Releases a running cluster can be upgraded to in place (`minikube start
    /// --kubernetes-version`): the choices, plus 1.34.1 (the last with the spurious-rollout bug,
    /// #134773) and 1.34.2 (its fix, #135017).
    pub const UPGRADES: [KubeVersion; 7] = [
        KubeVersion { minor: 34, patch: 0 },
        KubeVersion { minor: 34, patch: 1 },
        KubeVersion { minor: 34, patch: 2 },
        KubeVersion { minor: 35, patch: 2 },
        KubeVersion { minor: 35, patch: 4 },
        KubeVersion { minor: 36, patch: 0 },
        KubeVersion { minor: 37, patch: 0 },
    ];

    pub const fn new(minor: u32, patch: u32) -> KubeVersion {
        KubeVersion { minor, patch }
    }

    /// Reads `1.35.2`, `v1.35.2` or `1.35` (patch 0). Refuses other majors and releases outside
    /// 1.33-1.37, naming the range, because the lab has no model of their code.
    pub fn parse(text: &str) -> Result<KubeVersion, String> {
        let t = text.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let bad = || format!("{text:?} is not a Kubernetes version: write it as 1.MINOR or 1.MINOR.PATCH, e.g. 1.35.2");
        let mut parts = t.split('.');
        let major = parts.next().ok_or_else(bad)?;
        let minor = parts.next().ok_or_else(bad)?;
        let patch = parts.next();
        if parts.next().is_some() {
            return Err(bad());
        }
        let num = |s: &str| {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 4 {
                Err(bad())
            } else {
                s.parse::<u32>().map_err(|_| bad())
            }
        };
        if num(major)? != 1 {
            return Err(bad());
        }
        let v = KubeVersion { minor: num(minor)?, patch: patch.map(num).transpose()?.unwrap_or(0) };
        if v.minor < Self::OLDEST.minor || v.minor > Self::LATEST.minor {
            return Err(format!(
                "the lab simulates Kubernetes {} to {}, not {v}",
                Self::OLDEST.minor_text(),
                Self::LATEST.minor_text()
            ));
        }
        Ok(v)
    }

    /// `1.35`, for sentences about a whole release line.
    pub fn minor_text(self) -> String {
        format!("1.{}", self.minor)
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        Self::LATEST
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}.{}", self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_people_write() {
        assert_eq!(KubeVersion::parse("1.35.2"), Ok(KubeVersion::new(35, 2)));
        assert_eq!(KubeVersion::parse("v1.35.2"), Ok(KubeVersion::new(35, 2)));
        assert_eq!(KubeVersion::parse("1.35"), Ok(KubeVersion::new(35, 0)));
        assert_eq!(KubeVersion::parse(" 1.37 "), Ok(KubeVersion::LATEST));
        assert_eq!(KubeVersion::new(35, 2).to_string(), "1.35.2");
    }

    #[test]
    fn refuses_what_the_lab_has_no_model_of() {
        assert!(KubeVersion::parse("1.32").unwrap_err().contains("1.33 to 1.37"));
        assert!(KubeVersion::parse("1.38.0").unwrap_err().contains("1.33 to 1.37"));
        assert!(KubeVersion::parse("2.35").is_err());
        assert!(KubeVersion::parse("1.35.x").is_err());
        assert!(KubeVersion::parse("1.35.2.1").is_err());
        assert!(KubeVersion::parse("1").is_err());
        assert!(KubeVersion::parse("").is_err());
    }

    #[test]
    fn orders_releases_and_patches() {
        assert!(KubeVersion::new(35, 3) < KubeVersion::new(35, 4));
        assert!(KubeVersion::new(35, 9) < KubeVersion::new(36, 0));
        assert_eq!(KubeVersion::default(), KubeVersion::LATEST);
    }
}
