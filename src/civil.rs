//! Civil (calendar) time from Unix seconds, for the few wall-clock strings the tools print:
//! Helm's `LAST DEPLOYED:` (Go's ANSIC layout) and kubectl's `restartedAt` annotation (RFC 3339).
//! Written by hand (Howard Hinnant's days-from-civil inverse) rather than pulling a date crate
//! into the wasm for two format strings.

/// A UTC date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1..=12
    pub month: i64,
    /// 1..=31
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    /// 0 = Sunday.
    pub weekday: usize,
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

impl Civil {
    pub fn from_unix(secs: i64) -> Civil {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // 1970-01-01 was a Thursday.
        let weekday = (days + 4).rem_euclid(7) as usize;
        Civil { year, month, day, hour: rem / 3600, minute: rem % 3600 / 60, second: rem % 60, weekday }
    }

    /// `2025-06-03T10:00:00Z`
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// Go's `time.ANSIC`: `Mon Jan _2 15:04:05 2006`.
    pub fn ansic(&self) -> String {
        format!(
            "{} {} {:>2} {:02}:{:02}:{:02} {}",
            WEEKDAYS[self.weekday],
            MONTHS[(self.month - 1) as usize],
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.year
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Civil;

    #[test]
    fn the_lab_log_date_prints_as_helm_prints_it() {
        // LAST DEPLOYED: Wed Nov 29 03:03:14 2023 (the lab's helm --debug log)
        assert_eq!(
            Civil::from_unix(1_701_227_000 - 1_701_227_000 % 86_400 + 3 * 3600 + 3 * 60 + 14).ansic(),
            "Wed Nov 29 03:03:14 2023"
        );
    }

    #[test]
    fn rfc3339_of_a_known_instant() {
        assert_eq!(Civil::from_unix(1_748_944_800).rfc3339(), "2025-06-03T10:00:00Z");
        assert_eq!(Civil::from_unix(0).ansic(), "Thu Jan  1 00:00:00 1970");
    }
}
