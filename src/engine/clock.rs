//! Simulated time. The engine never reads a wall clock (it must run the same natively, in wasm and in
//! tests), so time is a number of milliseconds since the simulation started, moved only by the engine.

use std::fmt;

/// A moment of simulated time: milliseconds since the cluster was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct SimTime(pub u64);

/// A span of simulated time in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct SimDuration(pub u64);

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);

    /// Saturating: a probe period of i32::MAX times a failure threshold must not overflow.
    pub const fn from_secs(s: u64) -> Self {
        SimDuration(s.saturating_mul(1000))
    }

    pub const fn from_millis(ms: u64) -> Self {
        SimDuration(ms)
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// Whole seconds, truncated (what kubectl's HumanDuration works with).
    pub fn whole_secs(self) -> u64 {
        self.0 / 1000
    }

    /// Parses a Go-style duration as scenario files write it: `30s`, `2m`, `1m30s`, `500ms`, `1h`,
    /// or a bare number of seconds.
    pub fn parse(text: &str) -> Result<SimDuration, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("empty duration".into());
        }
        let too_long = || {
            format!(
                "the wait {t:?} is longer than a day; the lab waits at most 24h at once (the longest timer it \
                 simulates, the crash-loop back-off, is 5 minutes)"
            )
        };
        if let Ok(secs) = t.parse::<u64>() {
            let d = SimDuration::from_secs(secs);
            return if d.0 > crate::limits::MAX_WAIT_MS { Err(too_long()) } else { Ok(d) };
        }
        let mut total: u64 = 0;
        let mut rest = t;
        while !rest.is_empty() {
            let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
            if digits == 0 {
                return Err(format!("invalid duration {t:?}: expected a number before {rest:?}"));
            }
            let number: f64 = rest[..digits].parse().map_err(|_| format!("invalid duration {t:?}"))?;
            rest = &rest[digits..];
            let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
            let factor = match &rest[..unit_len] {
                "ms" => 1.0,
                "s" => 1000.0,
                "m" => 60_000.0,
                "h" => 3_600_000.0,
                "d" => 86_400_000.0,
                other => return Err(format!("invalid duration {t:?}: unknown unit {other:?} (use ms, s, m, h)")),
            };
            rest = &rest[unit_len..];
            // `as` saturates a float; the sum saturates too, and the whole is checked below.
            total = total.saturating_add((number * factor).round() as u64);
        }
        if total > crate::limits::MAX_WAIT_MS {
            return Err(too_long());
        }
        Ok(SimDuration(total))
    }
}

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    pub fn plus(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }

    /// Time elapsed since `earlier` (zero if `earlier` is in the future).
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl fmt::Display for SimTime {
    /// `12.5s`: one decimal is enough, every built-in delay is a multiple of 100 ms.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}s", self.0 / 1000, (self.0 % 1000) / 100)
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        SimTime(self.0).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_go_durations() {
        assert_eq!(SimDuration::parse("30s"), Ok(SimDuration::from_secs(30)));
        assert_eq!(SimDuration::parse("1m30s"), Ok(SimDuration::from_secs(90)));
        assert_eq!(SimDuration::parse("500ms"), Ok(SimDuration(500)));
        assert_eq!(SimDuration::parse("45"), Ok(SimDuration::from_secs(45)));
        assert!(SimDuration::parse("3x").is_err());
    }
}
