//! The command line on the same engine as the web app: `inspect`, `run`, `template`.
//! Exit codes: 0 fine, 2 the input (or the scenario) has errors or the call is wrong.

mod inspect;
mod report;
mod run;
mod template;

const USAGE: &str = "usage:
  sts-lab inspect FILE [--json]      what was understood from a paste
  sts-lab run SCENARIO [--json] [--version 1.35.2]
                                     run a scenario file (on another Kubernetes release) and print its transcript
  sts-lab report SCENARIO            the scenario's session as a Markdown lab report
  sts-lab template [--chart DIR] [-f values.yaml]... [--name RELEASE]   render a chart as helm template";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("inspect") => inspect::main(&args[1..]),
        Some("run") => run::main(&args[1..]),
        Some("report") => report::main(&args[1..]),
        Some("template") => template::main(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            0
        }
        _ => {
            eprintln!("{USAGE}");
            2
        }
    };
    std::process::exit(code);
}
