//! What helm prints about releases: the status block (cmd/helm/status.go `statusPrinter`), the
//! `helm history` and `helm list` tables (gosuri/uitable, as helm's `output.EncodeTable` writes
//! them) and the times in them (Go's `time.ANSIC` and `Time.String`).

use super::release::Release;
use crate::civil::Civil;
use crate::engine::SimTime;
use crate::sorting::CollectMap;

/// gosuri/uitable `Table.String` with helm's settings: every cell padded on the right to its
/// column's width (the last one too), cells joined by a tab, rows by newlines; helm's
/// `output.EncodeTable` adds the final newline.
pub fn uitable(rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if widths.len() <= i {
                widths.push(0);
            }
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> =
            row.iter().enumerate().map(|(i, c)| format!("{c}{}", " ".repeat(widths[i] - c.chars().count()))).collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

fn civil(t: SimTime) -> (Civil, u64) {
    let ms = crate::engine::objects::SIM_EPOCH_SECS * 1000 + t.0 as i64;
    (Civil::from_unix(ms.div_euclid(1000)), ms.rem_euclid(1000) as u64)
}

/// Go's `time.ANSIC` (`Mon Jan _2 15:04:05 2006`), as `LAST DEPLOYED:` and `helm history` print it.
pub fn ansic(t: SimTime) -> String {
    civil(t).0.ansic()
}

/// Go's `Time.String()` for a UTC time (`2006-01-02 15:04:05.999999999 -0700 MST`, trailing zeros of
/// the fraction dropped), as `helm list` prints UPDATED.
pub fn go_time_string(t: SimTime) -> String {
    let (c, ms) = civil(t);
    let fraction = if ms == 0 { String::new() } else { format!(".{ms:03}").trim_end_matches('0').to_string() };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}{fraction} +0000 UTC",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// What the status block shows besides the release (statusPrinter's fields).
#[derive(Debug, Clone, Copy, Default)]
pub struct StatusOptions {
    /// `--debug`: USER-SUPPLIED and COMPUTED VALUES, and the hooks and manifest.
    pub debug: bool,
    /// `helm status --show-desc`.
    pub show_description: bool,
    /// `--hide-notes`.
    pub hide_notes: bool,
}

/// statusPrinter.WriteTable, for a release without `--show-resources`.
pub fn status(r: &Release, o: StatusOptions) -> String {
    let c = &r.content;
    let mut out = format!("NAME: {}\n", r.name);
    out.push_str(&format!("LAST DEPLOYED: {}\n", ansic(r.deployed_at)));
    out.push_str(&format!("NAMESPACE: {}\n", r.namespace));
    out.push_str(&format!("STATUS: {}\n", r.status.as_str()));
    out.push_str(&format!("REVISION: {}\n", r.version));
    if o.show_description {
        out.push_str(&format!("DESCRIPTION: {}\n", r.description));
    }
    // A chart with test hooks that never ran prints no TEST SUITE line at all.
    if !c.has_test_hooks {
        out.push_str("TEST SUITE: None\n");
    }
    if o.debug {
        out.push_str(&format!("USER-SUPPLIED VALUES:\n{}\n", c.config));
        out.push_str(&format!("COMPUTED VALUES:\n{}\n", c.computed));
    }
    if r.description.eq_ignore_ascii_case("Dry run complete") || o.debug {
        out.push_str("HOOKS:\n");
        out.push_str(&c.hooks);
        out.push_str(&format!("MANIFEST:\n{}\n", c.manifest));
    }
    if !o.hide_notes && !c.notes.is_empty() {
        out.push_str(&format!("NOTES:\n{}\n", c.notes.trim()));
    }
    out
}

/// `helm history NAME` (cmd/helm/history.go `releaseHistory.WriteTable`): oldest first, at most
/// `max` of the newest revisions.
pub fn history(revisions: &[&Release], max: usize) -> String {
    let mut sorted: Vec<&Release> = revisions.to_vec();
    crate::sorting::sort_by_key(&mut sorted, |r| std::cmp::Reverse(r.version));
    sorted.truncate(max);
    sorted.reverse();
    let mut rows = vec![["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
    for r in sorted {
        rows.push(vec![
            r.version.to_string(),
            ansic(r.deployed_at),
            r.status.as_str().to_string(),
            r.chart_name(),
            r.content.app_version.clone(),
            r.description.clone(),
        ]);
    }
    uitable(&rows)
}

/// `--output table|json|yaml` (pkg/cli/output `Format`): `Err` is pflag's text for another value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Yaml,
}

impl Format {
    pub fn parse(s: Option<&str>) -> Result<Format, String> {
        match s {
            None | Some("table") => Ok(Format::Table),
            Some("json") => Ok(Format::Json),
            Some("yaml") => Ok(Format::Yaml),
            Some(other) => Err(format!("invalid argument {other:?} for \"-o, --output\" flag: invalid format type")),
        }
    }
}

/// Go's `time.RFC3339Nano`, as a `helmtime.Time` marshals to JSON.
fn rfc3339(t: SimTime) -> String {
    let (c, ms) = civil(t);
    let fraction = if ms == 0 { String::new() } else { format!(".{ms:03}").trim_end_matches('0').to_string() };
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}Z", c.year, c.month, c.day, c.hour, c.minute, c.second)
}

/// output.EncodeJSON (a compact line) or output.EncodeYAML (sigs.k8s.io/yaml: keys sorted, as helm's
/// own `toYaml`) of rows of `(json name, value)`, in the Go struct's field order.
fn encode(rows: Vec<Vec<(&str, gotmpl::Value)>>, format: Format) -> String {
    use std::sync::Arc;
    match format {
        Format::Json => {
            let items: Vec<String> = rows
                .iter()
                .map(|r| {
                    let fields: Vec<String> = r
                        .iter()
                        .map(|(k, v)| {
                            let v = match v {
                                gotmpl::Value::Int(i) => i.to_string(),
                                other => serde_json::to_string(&other.to_string()).unwrap_or_default(),
                            };
                            format!("{}:{v}", serde_json::to_string(k).unwrap_or_default())
                        })
                        .collect();
                    format!("{{{}}}", fields.join(","))
                })
                .collect();
            format!("[{}]\n", items.join(","))
        }
        _ => {
            let list: Vec<gotmpl::Value> = rows
                .into_iter()
                .map(|r| gotmpl::Value::Map(Arc::new(r.into_iter().map(|(k, v)| (Arc::from(k), v)).collect_map())))
                .collect();
            crate::chart::functions::yaml::to_yaml(&gotmpl::Value::List(list.into()))
        }
    }
}

/// `helm history -o json|yaml` (releaseHistory.WriteJSON/WriteYAML).
pub fn history_as(revisions: &[&Release], max: usize, format: Format) -> String {
    if format == Format::Table {
        return history(revisions, max);
    }
    let mut sorted: Vec<&Release> = revisions.to_vec();
    crate::sorting::sort_by_key(&mut sorted, |r| std::cmp::Reverse(r.version));
    sorted.truncate(max);
    sorted.reverse();
    let s = |t: String| gotmpl::Value::String(t.into());
    let rows = sorted
        .iter()
        .map(|r| {
            vec![
                ("revision", gotmpl::Value::Int(r.version)),
                ("updated", s(rfc3339(r.deployed_at))),
                ("status", s(r.status.as_str().into())),
                ("chart", s(r.chart_name())),
                ("app_version", s(r.content.app_version.clone())),
                ("description", s(r.description.clone())),
            ]
        })
        .collect();
    encode(rows, format)
}

/// `helm list -o json|yaml` (releaseListWriter.WriteJSON/WriteYAML: the revision is a string there).
pub fn list_as(releases: &[&Release], no_headers: bool, format: Format) -> String {
    if format == Format::Table {
        return list(releases, no_headers);
    }
    let s = |t: String| gotmpl::Value::String(t.into());
    let rows = releases
        .iter()
        .map(|r| {
            vec![
                ("name", s(r.name.clone())),
                ("namespace", s(r.namespace.clone())),
                ("revision", s(r.version.to_string())),
                ("updated", s(go_time_string(r.deployed_at))),
                ("status", s(r.status.as_str().into())),
                ("chart", s(r.chart_name())),
                ("app_version", s(r.content.app_version.clone())),
            ]
        })
        .collect();
    encode(rows, format)
}

/// `helm list` (cmd/helm/list.go `releaseListWriter.WriteTable`).
pub fn list(releases: &[&Release], no_headers: bool) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !no_headers {
        rows.push(
            ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        );
    }
    for r in releases {
        rows.push(vec![
            r.name.clone(),
            r.namespace.clone(),
            r.version.to_string(),
            go_time_string(r.deployed_at),
            r.status.as_str().to_string(),
            r.chart_name(),
            r.content.app_version.clone(),
        ]);
    }
    if rows.is_empty() {
        // uitable prints nothing for no rows; EncodeTable still adds the newline.
        return "\n".into();
    }
    uitable(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uitable_pads_every_cell_and_joins_with_tabs() {
        // gosuri/uitable Table.String + strutil.Resize: the last column is padded too.
        let rows =
            vec![vec!["REVISION".to_string(), "DESCRIPTION".into()], vec!["1".into(), "Install complete".into()]];
        assert_eq!(uitable(&rows), "REVISION\tDESCRIPTION     \n1       \tInstall complete\n");
    }

    #[test]
    fn times_as_go_prints_them() {
        assert_eq!(ansic(SimTime(0)), "Tue Jun  3 10:00:00 2025");
        assert_eq!(go_time_string(SimTime(0)), "2025-06-03 10:00:00 +0000 UTC");
        assert_eq!(go_time_string(SimTime(1500)), "2025-06-03 10:00:01.5 +0000 UTC");
    }
}
