//! Builds the web UI (`web/`, with the front-end packages `npm ci` installs from its lockfile)
//! and embeds it: the files land in OUT_DIR/web, and OUT_DIR/assets.rs lists them for
//! `include_bytes!`. Without Node.js and npm the binary still builds, serving a page that says
//! how to build the UI.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    for watched in ["src", "build.mjs", "package.json", "package-lock.json"] {
        println!("cargo:rerun-if-changed={}", web.join(watched).display());
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let dist = out.join("web");
    let built = build(&web, &dist);
    let files: Vec<(String, PathBuf)> = match &built {
        Ok(()) => ["index.html", "app.js", "app.css", "countries.json"]
            .iter()
            .map(|f| (f.to_string(), dist.join(f)))
            .collect(),
        Err(reason) => {
            println!("cargo:warning=the web UI was not built: {reason}");
            let page = dist.join("index.html");
            std::fs::create_dir_all(&dist).expect("OUT_DIR is writable");
            std::fs::write(
                &page,
                format!(
                    "<!doctype html><title>sitrep</title><h1>sitrep's web UI was not built</h1>\
                     <p>{reason}</p><p>Install Node.js and npm and build sitrep again; the JSON API \
                     is at <a href=\"/api/openapi.json\">/api/openapi.json</a>.</p>"
                ),
            )
            .expect("OUT_DIR is writable");
            vec![("index.html".to_string(), page)]
        }
    };
    let entries: String = files
        .iter()
        .map(|(name, path)| {
            format!(
                "    ({name:?}, include_bytes!({:?})),\n",
                path.display().to_string()
            )
        })
        .collect();
    std::fs::write(
        out.join("assets.rs"),
        format!("/// The web UI's files: (name, bytes).\npub const ASSETS: &[(&str, &[u8])] = &[\n{entries}];\n"),
    )
    .expect("OUT_DIR is writable");
}

/// `npm ci` when the installed packages are missing or older than the lockfile, then the
/// project's own build script.
fn build(web: &Path, dist: &Path) -> Result<(), String> {
    let lock = web.join("package-lock.json");
    let installed = web.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if modified(&installed).is_none() || modified(&installed) < modified(&lock) {
        run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(web),
            "npm ci",
        )?;
    }
    run(
        Command::new("node")
            .arg("build.mjs")
            .arg(dist)
            .current_dir(web),
        "node build.mjs",
    )
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("{what} could not start ({e})"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or_default()
        ))
    }
}
