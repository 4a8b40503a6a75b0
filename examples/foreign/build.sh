#!/usr/bin/env bash
# Builds the example foreign pools (docs/foreign.md) in place: C with cc, Java with javac, Rust with
# cargo (std only, offline). A toolchain that is missing is skipped with a line saying so.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if command -v cc >/dev/null; then cc -O2 -Wall -pthread -o "$here/c/pool" "$here/c/pool.c" && echo "built c/pool"; else echo "skipped c: no cc"; fi
if command -v javac >/dev/null; then javac -d "$here/java" "$here/java/Pool.java" && echo "built java/Pool.class"; else echo "skipped java: no javac"; fi
if command -v cargo >/dev/null; then (cd "$here/rust" && cargo build --release --offline --quiet) && echo "built rust/target/release/pool"; else echo "skipped rust: no cargo"; fi
