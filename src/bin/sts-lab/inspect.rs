//! `sts-lab inspect FILE [--json]` (issue #3).

pub fn main(args: &[String]) -> i32 {
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: sts-lab inspect FILE [--json]");
        return 2;
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return 2;
        }
    };
    let release = sts_lab::input::parse(&text);
    for sts in &release.statefulsets {
        println!("StatefulSet {}", sts.object.metadata.name.as_deref().unwrap_or("?"));
    }
    for d in &release.diagnostics {
        println!("{path}:{}:{}: {}", d.line, d.column, d.message);
    }
    if release.has_errors() {
        2
    } else {
        0
    }
}
