//! A std::thread::Builder pool under bench's foreign-pool contract (docs/foreign.md): a thread
//! per item when none is idle, as hand-written Rust pools do, and like most of them it treats a
//! failed spawn as impossible: `.expect()` panics, and the process exits 101.
//!
//! Build: cargo build --release --offline   Run: bench run --foreign rust-spawn=examples/foreign/rust/target/release/pool
use std::fs::File;
use std::io::{BufRead, Write};
use std::os::unix::io::FromRawFd;
use std::sync::{mpsc, Arc, Barrier, Mutex};
use std::time::Duration;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let items = env("IOWQ_ITEMS", 1);
    let block = Duration::from_micros(env("IOWQ_BLOCK_US", 200) as u64);
    let chain = env("IOWQ_CHAIN", 0);
    let fd = env("IOWQ_EVENTS_FD", 3) as i32;
    let events = Arc::new(Mutex::new(unsafe { File::from_raw_fd(fd) }));
    let say = {
        let events = events.clone();
        move |line: String| {
            let mut file = events.lock().unwrap();
            let _ = writeln!(file, "{}", line);
        }
    };
    let barrier = Arc::new(Barrier::new(chain.max(1)));
    let (send, receive) = mpsc::channel::<usize>();
    let receive = Arc::new(Mutex::new(receive));
    let idle = Arc::new(Mutex::new(0usize));

    say("ready".to_string());
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    if lines.next().and_then(|l| l.ok()).as_deref() != Some("go") {
        return;
    }
    for id in 0..items {
        send.send(id).unwrap();
        let spawn = { *idle.lock().unwrap() == 0 };
        if spawn {
            let (receive, idle, say, barrier) = (receive.clone(), idle.clone(), say.clone(), barrier.clone());
            std::thread::Builder::new()
                .spawn(move || loop {
                    *idle.lock().unwrap() += 1;
                    let next = receive.lock().unwrap().recv();
                    *idle.lock().unwrap() -= 1;
                    let Ok(id) = next else { return };
                    say(format!("start {}", id));
                    if chain > 0 { barrier.wait(); } else { std::thread::sleep(block); }
                    say(format!("end {}", id));
                })
                .expect("failed to spawn a pool thread");
        }
        say(format!("submit {} ok", id));
    }
    for _ in lines {} // the harness closes stdin when the trial is over
    std::process::exit(0);
}
