//! `sts-lab run SCENARIO [--json]` (issue #4): runs a scenario file and prints its transcript.
//! A bad scenario exits 2 with `FILE:LINE:COL: message`.

use std::path::Path;

pub fn main(args: &[String]) -> i32 {
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [file] = files.as_slice() else {
        eprintln!("usage: sts-lab run SCENARIO [--json]");
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
    let scenario = match sts_lab::scenario::parse(&text, &load) {
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
