//! `scripts/prerequisites.sh` finds the libclang bindgen loads, whatever this
//! machine has installed: its folders are replaced by ones the test makes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A folder of the test's own, emptied first.
fn folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("prerequisites")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn touch(path: &Path) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, b"").unwrap();
}

/// `prerequisites.sh --check` with libclang searched in `dir` only, and
/// cmake, c++ and cargo stand-ins on PATH: (exit code 0?, what it printed).
fn check(dir: &Path) -> (bool, String) {
    let bin = dir.with_extension("bin");
    let _ = fs::remove_dir_all(&bin);
    fs::create_dir_all(&bin).unwrap();
    for tool in ["cmake", "c++", "cargo"] {
        let path = bin.join(tool);
        fs::write(&path, "#!/bin/sh\nexit 0\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/prerequisites.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg("--check")
        .env("PALIM_LIBCLANG_DIRS", dir)
        .env_remove("LIBCLANG_PATH")
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn libclang_cpp_alone_is_not_the_libclang_bindgen_needs() {
    let dir = folder("cpp-only");
    touch(&dir.join("libclang-cpp.so.14"));
    let (ok, text) = check(&dir);
    assert!(!ok, "{text}");
    assert!(text.contains("no libclang"), "{text}");
    assert!(text.contains("apt-get install -y libclang-dev"), "{text}");
}

#[test]
fn libclang_with_clang_s_headers_is_found() {
    for name in [
        "libclang.so",
        "libclang-14.so.1",
        "libclang.so.14",
        "libclang-16.so",
    ] {
        let dir = folder(&format!("full-{name}"));
        touch(&dir.join("libclang-cpp.so.14"));
        touch(&dir.join(name));
        touch(&dir.join("clang/14.0.6/include/stddef.h"));
        let (ok, text) = check(&dir);
        assert!(ok, "{name}: {text}");
    }
}

#[test]
fn the_runtime_library_without_clang_s_headers_is_not_enough() {
    let dir = folder("runtime-only");
    touch(&dir.join("libclang-14.so.1"));
    let (ok, text) = check(&dir);
    assert!(!ok, "{text}");
    assert!(text.contains("clang's headers"), "{text}");
}

#[test]
fn names_that_only_start_like_libclang_are_not_it() {
    let dir = folder("look-alikes");
    for name in [
        "libclang-cpp.so",
        "libclangBasic.a",
        "libclang_rt.asan.so",
        "libclang.a",
    ] {
        touch(&dir.join(name));
    }
    touch(&dir.join("clang/14/include/stddef.h"));
    let (ok, text) = check(&dir);
    assert!(!ok, "{text}");
}
