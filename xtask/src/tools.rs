//! Installs the tools the site and the tests need, at pinned versions, only when missing.
//!
//! Versions are pinned here (Trunk, wasm-opt) or read from Cargo.lock (wasm-bindgen-cli must equal
//! the wasm-bindgen crate the app links, or the generated JS does not fit the wasm).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Trunk 0.22.1 declares rustc 1.96.1 but builds and works with 1.95, hence --ignore-rust-version.
pub const TRUNK_VERSION: &str = "0.22.1";
/// wasm-bindgen-cli without its default `rustls-tls`: its only network use is
/// wasm-bindgen-test-runner talking to chromedriver, over plain HTTP on loopback.
const WASM_BINDGEN_FEATURES: [&str; 1] = ["--no-default-features"];
/// wasm-opt is npm's `binaryen` package (binaryen 116, built to run on Node.js), pinned in
/// package-lock.json: `npm ci` installs it in seconds, where `cargo install wasm-opt` compiled
/// binaryen's C++ for 6 to 22 minutes. Never Debian's binaryen (108): it corrupts the externref
/// table export and the page stays blank.
pub const BINARYEN_VERSION: &str = "116";

/// What the site build needs to know about the installed tools.
pub struct Tools {
    /// PATH with cargo's bin folder first, so Trunk finds our wasm-opt before any system one.
    pub path: OsString,
    pub wasm_bindgen_version: String,
}

impl Tools {
    /// A command with PATH and Trunk's tool pins set, so Trunk never looks for other versions.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path)
            .env("TRUNK_TOOLS_WASM_BINDGEN", &self.wasm_bindgen_version)
            .env("TRUNK_TOOLS_WASM_OPT", format!("version_{BINARYEN_VERSION}"))
            .env("TRUNK_OFFLINE", "true")
            .current_dir(project_root());
        cmd
    }
}

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the project").to_path_buf()
}

fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// npm's bin folder for this project (wasm-opt from the pinned `binaryen` package).
fn npm_bin() -> PathBuf {
    project_root().join("node_modules").join(".bin")
}

/// PATH with the project's npm bin folder and cargo's bin folder first, so Trunk finds our pinned
/// wasm-opt and wasm-bindgen before any system one.
fn path_with_cargo_bin() -> OsString {
    let mut parts = vec![npm_bin(), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&path).filter(|p| p != &cargo_bin() && p != &npm_bin()));
    }
    std::env::join_paths(parts).unwrap_or_default()
}

/// Runs a command, echoing it; an error says which command failed.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{:?}", cmd).replace('"', "");
    println!("$ {shown}");
    let status = cmd.status().map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// The first line a tool prints for `--version`, if it runs at all.
fn version_of(program: &Path, arg: &str) -> Option<String> {
    let out = Command::new(program).arg(arg).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    Some(text.lines().next().unwrap_or("").trim().to_string())
}

/// The wasm-bindgen version locked in Cargo.lock.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e} (run `cargo generate-lockfile`)"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// The site a command builds: its cargo profile, and whether Trunk runs wasm-opt on it.
#[derive(Clone, Copy)]
pub struct Site {
    pub profile: &'static str,
    pub wasm_opt: bool,
}

impl Site {
    /// Trunk's arguments for this site: its profile, and `--release`, which is what makes Trunk run
    /// wasm-opt (and minify the JS, CSS and HTML); without it Trunk 0.22's
    /// `RustApp::wasm_opt_build` returns at once.
    pub fn trunk_args(&self) -> Vec<&'static str> {
        let mut args = vec!["--cargo-profile", self.profile];
        if self.wasm_opt {
            args.push("--release");
        }
        args
    }
}

/// What `cargo xtask serve` builds: quick to compile, not optimised for size (see site::serve).
pub const SERVED: Site = Site { profile: "wasm-serve", wasm_opt: false };
/// What `dist`, `test` and `bench` build: the published site.
pub const PUBLISHED: Site = Site { profile: "wasm-release", wasm_opt: true };

/// The wasm32 target, Trunk, wasm-bindgen-cli and (when the site is optimised) wasm-opt: installed
/// when missing, with the site's crates downloaded. While tools compile, the site's own build
/// runs beside them, so that Trunk later finds it done.
pub fn ensure_web_tools(site: Site) -> Result<Tools, String> {
    let bin = cargo_bin();
    let path = path_with_cargo_bin();

    let targets = Command::new("rustup").args(["target", "list", "--installed"]).output();
    let has_target = targets
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "wasm32-unknown-unknown"))
        .unwrap_or(false);
    if !has_target {
        println!("Installing the wasm32-unknown-unknown target with rustup (under a minute)...");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    // Trunk builds offline (Trunk.toml), so the crates the wasm build needs must be here first; on
    // a machine that has them this takes a second.
    run(Command::new("cargo").current_dir(project_root()).args([
        "fetch",
        "--locked",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;

    let mut jobs = Vec::new();
    let trunk = bin.join("trunk");
    if version_of(&trunk, "--version").as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
        let mut cmd = quick_install();
        cmd.args(["install", "--locked", "trunk", "--version", TRUNK_VERSION, "--ignore-rust-version"]);
        jobs.push(Job { what: format!("install Trunk {TRUNK_VERSION}"), log: "install-trunk.log", cmd });
    }

    let wasm_bindgen_version = locked_wasm_bindgen()?;
    let bindgen = bin.join("wasm-bindgen");
    if version_of(&bindgen, "--version").as_deref() != Some(&format!("wasm-bindgen {wasm_bindgen_version}")) {
        // Without --locked: the CLI's own lock file names a webpki-roots release the registry lacks.
        let mut cmd = quick_install();
        cmd.args(["install", "wasm-bindgen-cli", "--version", &wasm_bindgen_version]).args(WASM_BINDGEN_FEATURES);
        jobs.push(Job {
            what: format!("install wasm-bindgen-cli {wasm_bindgen_version}, the version in Cargo.lock"),
            log: "install-wasm-bindgen-cli.log",
            cmd,
        });
    }
    if !jobs.is_empty() {
        // The build Trunk will run, with the same arguments so that Trunk's own finds nothing to do.
        let mut cmd = Command::new("cargo");
        cmd.current_dir(project_root()).args([
            "build",
            "--target=wasm32-unknown-unknown",
            "--profile",
            site.profile,
            "--locked",
            "--bin",
            &site_bin()?,
        ]);
        jobs.push(Job { what: format!("build the site (profile {})", site.profile), log: "build-site.log", cmd });
        run_together(jobs)?;
    }

    if site.wasm_opt {
        let wasm_opt = npm_bin().join("wasm-opt");
        let opt_ok = version_of(&wasm_opt, "--version")
            .map(|v| v.contains(&format!("version {BINARYEN_VERSION}")))
            .unwrap_or(false);
        if !opt_ok {
            npm_ci()?;
        }
    }

    Ok(Tools { path, wasm_bindgen_version })
}

/// The binary Trunk builds for the page: index.html's `data-bin`.
fn site_bin() -> Result<String, String> {
    let index = project_root().join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let at = html.find("data-bin=\"").ok_or("index.html names no data-bin")? + "data-bin=\"".len();
    let len = html[at..].find('"').ok_or("index.html: an unclosed data-bin")?;
    Ok(html[at..at + len].to_string())
}

/// `cargo install` with the release profile made quick to compile, through the environment so that
/// only these installs see it: Trunk's manifest asks for fat LTO in one codegen unit, a long last step
/// on one core, to make a tool that runs for seconds a little faster (README.md has the times). Each install
/// builds in a temporary folder of its own (cargo's default), not in a `CARGO_TARGET_DIR` the
/// project is built in, whose lock would make the installs and the site's build wait for each other.
fn quick_install() -> Command {
    let mut cmd = Command::new("cargo");
    cmd.env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false");
    cmd
}

/// A cargo command that runs beside others, and the file its output goes to meanwhile.
struct Job {
    what: String,
    log: &'static str,
    cmd: Command,
}

/// Runs the jobs at once, each one's output in its log file under the target folder (its last
/// lines shown when it fails): on 2 cores one job's long serial stretches (one big crate such as
/// k8s-openapi or swc, a link) leave a core idle that another fills. An error names every job
/// that failed.
fn run_together(jobs: Vec<Job>) -> Result<(), String> {
    let logs = target_dir().join("xtask");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    println!("Compiling the missing tools once, beside the site's build (README.md gives the times measured)...");
    let mut running = Vec::new();
    for mut job in jobs {
        let log = logs.join(job.log);
        let file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = file.try_clone().map_err(|e| format!("{}: {e}", log.display()))?;
        let shown = format!("{:?}", job.cmd).replace('"', "");
        println!("$ {shown}\n  ({}; output in {})", job.what, log.display());
        let child = job.cmd.stdout(file).stderr(err).spawn().map_err(|e| format!("could not start `{shown}`: {e}"))?;
        running.push((job.what, log, shown, child));
    }
    let mut failed = Vec::new();
    for (what, log, shown, mut child) in running {
        let why = match child.wait() {
            Ok(status) if status.success() => {
                println!("done: {what}");
                continue;
            }
            Ok(status) => status.to_string(),
            Err(e) => e.to_string(),
        };
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        eprintln!("{}", lines[lines.len().saturating_sub(30)..].join("\n"));
        failed.push(format!("`{shown}` failed ({why}; its output is in {})", log.display()));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}

/// Where cargo builds: `CARGO_TARGET_DIR`, else `target/` in the project.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| project_root().join("target"))
}

/// Headless Chromium and its WebDriver, for the browser tests (Debian's packages on Linux).
pub fn ensure_browser() -> Result<(PathBuf, PathBuf), String> {
    let chromium = find_on_path(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = find_on_path(&["chromedriver"]);
    if let (Some(c), Some(d)) = (chromium.clone(), driver.clone()) {
        return Ok((c, d));
    }
    if cfg!(target_os = "linux") && find_on_path(&["apt-get"]).is_some() {
        println!("Installing Debian's chromium and chromium-driver with apt-get (1-3 minutes)...");
        let root = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
        let apt = |args: &[&str]| {
            let mut cmd = if root { Command::new("apt-get") } else { Command::new("sudo") };
            if !root {
                cmd.arg("apt-get");
            }
            cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            run(&mut cmd)
        };
        apt(&["update", "-q"])?;
        apt(&["install", "-y", "-q", "chromium", "chromium-driver"])?;
    }
    match (find_on_path(&["chromium", "chromium-browser", "google-chrome"]), find_on_path(&["chromedriver"])) {
        (Some(c), Some(d)) => Ok((c, d)),
        _ => Err("the browser tests need chromium and chromedriver on PATH (on Debian: apt-get install chromium chromium-driver)".into()),
    }
}

pub fn find_on_path(names: &[&str]) -> Option<PathBuf> {
    let path = path_with_cargo_bin();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// The npm packages pinned in package-lock.json (wasm-opt from `binaryen`, axe-core), installed
/// from the npm registry with `npm ci` (Node.js and npm from Debian when missing).
fn npm_ci() -> Result<(), String> {
    if find_on_path(&["npm"]).is_none() && cfg!(target_os = "linux") && find_on_path(&["apt-get"]).is_some() {
        println!("Installing Debian's nodejs and npm (1-2 minutes)...");
        run(Command::new("apt-get")
            .args(["install", "-y", "-q", "nodejs", "npm"])
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    println!("Installing wasm-opt (binaryen {BINARYEN_VERSION}) and axe-core from package-lock.json with npm ci (seconds)...");
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(project_root()))
}

/// axe-core for the accessibility audit (installed by `npm ci` with wasm-opt).
pub fn ensure_axe() -> Result<PathBuf, String> {
    let axe = project_root().join("node_modules/axe-core/axe.min.js");
    if axe.is_file() {
        return Ok(axe);
    }
    npm_ci()?;
    if axe.is_file() {
        Ok(axe)
    } else {
        Err("npm ci did not install node_modules/axe-core/axe.min.js".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `[profile.NAME]` table of the project's Cargo.toml, as `key = value` lines.
    fn profile(name: &str) -> Vec<String> {
        let manifest = std::fs::read_to_string(project_root().join("Cargo.toml")).unwrap();
        let header = format!("[profile.{name}]");
        let start = manifest.find(&header).unwrap_or_else(|| panic!("Cargo.toml has no {header}"));
        manifest[start + header.len()..]
            .lines()
            .take_while(|l| !l.starts_with('['))
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn the_served_page_is_release_code_without_wasm_opt_and_the_published_one_is_optimised() {
        // Release, not dev: the page on this machine behaves as the published one (no debug
        // assertions, the same panic strategy); only what makes the first build long is dropped.
        let served = profile(SERVED.profile);
        let published = profile(PUBLISHED.profile);
        for line in ["inherits = \"release\"", "lto = false", "panic = \"abort\""] {
            assert!(served.iter().any(|l| l == line), "{:?} lacks {line}", served);
        }
        assert!(published.iter().any(|l| l == "panic = \"abort\""), "{published:?}");
        assert!(published.iter().any(|l| l == "lto = true"), "{published:?}");
        assert_eq!(SERVED.trunk_args(), ["--cargo-profile", "wasm-serve"]);
        assert_eq!(PUBLISHED.trunk_args(), ["--cargo-profile", "wasm-release", "--release"]);
        assert_eq!(site_bin().unwrap(), "statefulset-lab");
    }
}
