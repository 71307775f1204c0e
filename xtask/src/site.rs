//! Building and serving the site with Trunk, and measuring what a visitor downloads.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::tools::{self, project_root};

/// `cargo xtask serve [--port N]`: build the release site and serve it on loopback.
pub fn serve(args: &[String]) -> Result<(), String> {
    let mut port = "8080".to_string();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--port" => port = iter.next().ok_or("--port needs a number")?.clone(),
            other => return Err(format!("serve: unknown argument {other}")),
        }
    }
    port.parse::<u16>().map_err(|_| format!("--port {port}: not a port number"))?;
    let tools = tools::ensure_web_tools()?;
    // A display is there to open a browser on; over SSH or in CI there is none.
    let has_display = cfg!(any(target_os = "macos", target_os = "windows"))
        || std::env::var_os("DISPLAY").is_some()
        || std::env::var_os("WAYLAND_DISPLAY").is_some();
    println!("Building and serving StatefulSet Lab on http://127.0.0.1:{port}/ (Ctrl-C stops it)");
    let mut cmd = tools.command("trunk");
    cmd.args(["serve", "--release", "--cargo-profile", "wasm-release", "--address", "127.0.0.1", "--port", &port]);
    if has_display {
        cmd.arg("--open");
    }
    tools::run(&mut cmd)
}

/// One built file and what it weighs on the wire.
pub struct Asset {
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// `cargo xtask dist`: the release site in dist/, with relative URLs so it works from any sub-path.
pub fn dist() -> Result<Vec<Asset>, String> {
    let tools = tools::ensure_web_tools()?;
    let dist = project_root().join("dist");
    tools::run(
        tools
            .command("trunk")
            .args(["build", "--release", "--cargo-profile", "wasm-release", "--public-url", "./", "--dist"])
            .arg(&dist),
    )?;
    let assets = measure(&dist)?;
    print_sizes(&assets);
    Ok(assets)
}

fn measure(dist: &Path) -> Result<Vec<Asset>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css" | "html")))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(Asset {
                name: path.file_name().unwrap_or_default().to_string_lossy().into_owned(),
                raw: bytes.len(),
                gzip: gzip_len(&bytes),
                brotli: brotli_len(&bytes),
            })
        })
        .collect()
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len()).unwrap_or(0)
}

fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out.len()
}

fn print_sizes(assets: &[Asset]) {
    println!("\n{:<44} {:>10} {:>10} {:>10}", "dist/", "raw", "gzip", "brotli");
    for a in assets {
        println!("{:<44} {:>10} {:>10} {:>10}", a.name, a.raw, a.gzip, a.brotli);
    }
    let (r, g, b) = totals(assets);
    println!("{:<44} {:>10} {:>10} {:>10}\n", "total", r, g, b);
}

pub fn totals(assets: &[Asset]) -> (usize, usize, usize) {
    assets.iter().fold((0, 0, 0), |(r, g, b), a| (r + a.raw, g + a.gzip, b + a.brotli))
}
