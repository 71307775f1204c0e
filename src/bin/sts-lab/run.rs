//! `sts-lab run SCENARIO [--json] [--version 1.35.2]` (issues #4, #12): runs a scenario file and
//! prints its transcript. `--version` runs it on another Kubernetes release than the file names,
//! with that release's gate defaults (the file's `gates:` still flip them). A bad scenario exits 2
//! with `FILE:LINE:COL: message`.

use std::path::Path;

pub fn main(args: &[String]) -> i32 {
    const USAGE: &str = "usage: sts-lab run SCENARIO [--json] [--version 1.MINOR[.PATCH]]";
    let mut json = false;
    let mut version = None;
    let mut files: Vec<&String> = Vec::new();
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        let value = match a.as_str() {
            "--json" => {
                json = true;
                continue;
            }
            "--version" => match rest.next() {
                Some(v) => v.as_str(),
                None => {
                    eprintln!("--version needs a release, e.g. --version 1.35.2\n{USAGE}");
                    return 2;
                }
            },
            other => match other.strip_prefix("--version=") {
                Some(v) => v,
                None if other.starts_with("--") => {
                    eprintln!("unknown option {other}\n{USAGE}");
                    return 2;
                }
                None => {
                    files.push(a);
                    continue;
                }
            },
        };
        match sts_lab::engine::KubeVersion::parse(value) {
            Ok(v) => version = Some(v),
            Err(e) => {
                eprintln!("--version: {e}");
                return 2;
            }
        }
    }
    let [file] = files.as_slice() else {
        eprintln!("{USAGE}");
        return 2;
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{file}: {e}");
            return 2;
        }
    };
    let base = Path::new(file.as_str()).parent().map(Path::to_path_buf).unwrap_or_default();
    let load = |p: &str| std::fs::read_to_string(base.join(p)).map_err(|e| e.to_string());
    let scenario = match sts_lab::scenario::format::parse_on(&text, &load, version) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{file}:{}:{}: {}", e.line, e.column, e.message);
            return 2;
        }
    };
    match sts_lab::scenario::run(&scenario) {
        Ok(t) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&t.to_json()).unwrap_or_default());
            } else {
                print!("{}", t.to_text());
            }
            0
        }
        Err(e) => {
            eprintln!("{file}:1:1: {e}");
            2
        }
    }
}
