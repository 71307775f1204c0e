//! `sts-lab report SCENARIO`: the scenario's session as the Markdown lab report the web app exports.

use std::path::Path;

pub fn main(args: &[String]) -> i32 {
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: sts-lab report SCENARIO");
        return 2;
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return 2;
        }
    };
    let dir = Path::new(path).parent().unwrap_or(Path::new(".")).to_path_buf();
    let load = move |p: &str| std::fs::read_to_string(dir.join(p)).map_err(|e| format!("{p}: {e}"));
    match sts_lab::share::import_scenario(&text, &load, sts_lab::share::Granularity::AsWritten) {
        Ok(imported) => {
            let options = sts_lab::report::ReportOptions {
                input_text: Some(imported.state.input_text.clone()),
                ..Default::default()
            };
            print!("{}", sts_lab::report::lab_report(&imported.session, &options));
            0
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            2
        }
    }
}
