//! `sts-lab template [--chart DIR] [-f values.yaml]... [--name RELEASE] [--namespace NS]
//! [--debug]` (issue #6): prints what `helm template` would (with `--debug`, what
//! `helm install --dry-run --debug` prints). The built-in lab chart `helm-python` is the default;
//! `--chart done-right` names the other built-in chart.

use std::path::Path;

use sts_lab::chart::{render, Chart, RenderOptions};

const USAGE: &str = "usage: sts-lab template [--chart DIR|helm-python|done-right] [-f values.yaml]... [--name RELEASE] [--namespace NS] [--debug]";

pub fn main(args: &[String]) -> i32 {
    let mut chart_arg: Option<String> = None;
    let mut values_files: Vec<String> = Vec::new();
    let mut options = RenderOptions::default();
    let mut debug = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| -> Option<String> {
            let v = it.next().cloned();
            if v.is_none() {
                eprintln!("sts-lab template: {name} needs a value\n{USAGE}");
            }
            v
        };
        match arg.as_str() {
            "--chart" => match value("--chart") {
                Some(v) => chart_arg = Some(v),
                None => return 2,
            },
            "-f" | "--values" => match value("-f") {
                Some(v) => values_files.push(v),
                None => return 2,
            },
            "--name" => match value("--name") {
                Some(v) => options.release_name = v,
                None => return 2,
            },
            "-n" | "--namespace" => match value("--namespace") {
                Some(v) => options.namespace = v,
                None => return 2,
            },
            "--debug" => debug = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return 0;
            }
            other => {
                eprintln!("sts-lab template: unknown argument {other}\n{USAGE}");
                return 2;
            }
        }
    }

    let chart = match chart_arg.as_deref() {
        None => Chart::builtin("helm-python"),
        Some(name) if Chart::builtin_names().contains(&name) && !Path::new(name).is_dir() => Chart::builtin(name),
        Some(dir) => match read_chart_dir(Path::new(dir)) {
            Ok(files) => match Chart::from_files(files) {
                Ok(c) => {
                    options.chart_path = std::fs::canonicalize(dir).ok().map(|p| p.display().to_string());
                    Some(c)
                }
                Err(e) => {
                    eprintln!("Error: {e}");
                    return 2;
                }
            },
            Err(e) => {
                eprintln!("Error: {dir}: {e}");
                return 2;
            }
        },
    };
    let Some(chart) = chart else {
        eprintln!("Error: no built-in chart by that name");
        return 2;
    };
    for f in &values_files {
        match std::fs::read_to_string(f) {
            Ok(text) => options.user_values.push(text),
            Err(e) => {
                eprintln!("Error: open {f}: {e}");
                return 2;
            }
        }
    }
    if debug {
        options.last_deployed = Some(ansic_now());
    }
    match render(&chart, &options) {
        Ok(rendered) => {
            if debug {
                print!("{}", rendered.helm_debug_output());
            } else {
                print!("{}", rendered.helm_template_output());
            }
            0
        }
        Err(e) => {
            eprintln!("Error: {e}");
            2
        }
    }
}

/// Every UTF-8 file under the chart folder, paths relative to it.
fn read_chart_dir(root: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                out.push((rel, text));
            }
        }
    }
    Ok(out)
}

/// Now in Go's time.ANSIC layout (`Mon Jan _2 15:04:05 2006`), UTC.
fn ansic_now() -> String {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    sts_lab::civil::Civil::from_unix(secs).ansic()
}
