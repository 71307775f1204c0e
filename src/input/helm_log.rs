//! A `helm install|upgrade|template ... [--dry-run] [--debug]` log cut into its parts: what came
//! before (shell prompt, `install.go:214: [debug]` lines), the status block, then the sections
//! helm prints in a fixed order (USER-SUPPLIED VALUES, COMPUTED VALUES, HOOKS, MANIFEST, NOTES).
//! Every section is located by line so its documents keep their position in the whole paste.

use crate::model::HelmHeader;

use super::detect::SECTION_HEADERS;
use super::position::Paste;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    UserSuppliedValues,
    ComputedValues,
    Hooks,
    Manifest,
    Notes,
}

impl SectionKind {
    fn from_header(line: &str) -> Option<Self> {
        let kinds = [Self::UserSuppliedValues, Self::ComputedValues, Self::Hooks, Self::Manifest, Self::Notes];
        SECTION_HEADERS.iter().position(|h| line.trim_end() == *h).map(|i| kinds[i])
    }

    fn is_values(self) -> bool {
        matches!(self, Self::UserSuppliedValues | Self::ComputedValues)
    }
}

/// One section: its body is lines `[from, to)` (0-based) of the paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRange {
    pub kind: SectionKind,
    pub from: usize,
    pub to: usize,
    /// True when the section had no header: manifests following the values of a log whose
    /// `MANIFEST:` line was cut out of the paste.
    pub implicit: bool,
}

/// The log's parts.
#[derive(Debug, Clone, Default)]
pub struct HelmLog {
    pub header: HelmHeader,
    pub sections: Vec<SectionRange>,
}

/// Splits the paste. Never fails: anything unrecognised before the first section is preamble.
pub fn split(paste: &Paste) -> HelmLog {
    let mut log = HelmLog::default();
    let mut current: Option<SectionRange> = None;
    for (i, line) in paste.lines.iter().enumerate() {
        if let Some(kind) = SectionKind::from_header(line) {
            close(&mut log, current.take(), i);
            current = Some(SectionRange { kind, from: i + 1, to: i + 1, implicit: false });
            continue;
        }
        match &current {
            // helm prints values with toYaml, which never emits these: a document starts here.
            Some(section) if section.kind.is_values() && (line.starts_with("# Source: ") || *line == "---") => {
                close(&mut log, current.take(), i);
                current = Some(SectionRange { kind: SectionKind::Manifest, from: i, to: i, implicit: true });
            }
            Some(_) => {}
            None => read_header_line(&mut log.header, line),
        }
    }
    close(&mut log, current, paste.len());
    log
}

fn close(log: &mut HelmLog, section: Option<SectionRange>, end: usize) {
    if let Some(mut section) = section {
        section.to = end;
        log.sections.push(section);
    }
}

fn read_header_line(header: &mut HelmHeader, line: &str) {
    let field = |prefix: &str| line.strip_prefix(prefix).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    if let Some(v) = field("NAME:") {
        header.name = Some(v);
    } else if let Some(v) = field("LAST DEPLOYED:") {
        header.last_deployed = Some(v);
    } else if let Some(v) = field("NAMESPACE:") {
        header.namespace = Some(v);
    } else if let Some(v) = field("STATUS:") {
        header.status = Some(v);
    } else if let Some(v) = field("REVISION:") {
        header.revision = v.parse().ok();
    } else if let Some(v) = field("TEST SUITE:") {
        header.test_suite = Some(v);
    } else if let Some(v) = field("DESCRIPTION:") {
        header.description = Some(v);
    } else if let Some(at) = line.find("[debug] CHART PATH:") {
        header.chart_path = Some(line[at + "[debug] CHART PATH:".len()..].trim().to_string());
    } else if header.command.is_none() && header.name.is_none() {
        // `user@host:~/k8s$ helm install ...`, `PS C:\> helm ...`, `❯ helm ...`
        if let Some(at) = line.find("helm ") {
            let command = &line[at..];
            let verb = command.split_whitespace().nth(1).unwrap_or("");
            if matches!(verb, "install" | "upgrade" | "template") || command.contains("--dry-run") {
                header.command = Some(command.trim().to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_located_in_the_whole_paste() {
        let text = "$ helm install --dry-run --debug web .\ninstall.go:231: [debug] CHART PATH: C:\\x\n\nNAME: web\nNAMESPACE: lab\nREVISION: 1\nUSER-SUPPLIED VALUES:\n{}\n\nMANIFEST:\n---\nkind: Service\nNOTES:\nhi\n";
        let paste = Paste::new(text);
        let log = split(&paste);
        assert_eq!(log.header.name.as_deref(), Some("web"));
        assert_eq!(log.header.namespace.as_deref(), Some("lab"));
        assert_eq!(log.header.revision, Some(1));
        assert_eq!(log.header.chart_path.as_deref(), Some("C:\\x"));
        assert_eq!(log.header.command.as_deref(), Some("helm install --dry-run --debug web ."));
        let kinds: Vec<_> = log.sections.iter().map(|s| (s.kind, s.from, s.to)).collect();
        assert_eq!(
            kinds,
            vec![
                (SectionKind::UserSuppliedValues, 7, 9),
                (SectionKind::Manifest, 10, 12),
                (SectionKind::Notes, 13, 15)
            ]
        );
    }

    #[test]
    fn a_source_line_inside_values_starts_the_manifests_whose_header_was_cut() {
        let paste =
            Paste::new("NAME: x\nUSER-SUPPLIED VALUES:\na: 1\n...\n# Source: c/templates/s.yaml\nkind: StatefulSet\n");
        let log = split(&paste);
        assert_eq!(log.sections[1].kind, SectionKind::Manifest);
        assert!(log.sections[1].implicit);
        assert_eq!(log.sections[1].from, 4);
    }
}
