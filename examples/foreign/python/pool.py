"""concurrent.futures.ThreadPoolExecutor under bench's foreign-pool contract, written from
docs/foreign.md alone. The executor starts a thread per submit while it has fewer than max_workers
and none idle; when the thread cannot start, submit() raises RuntimeError ("can't start new thread").

Run: bench run --foreign py-tpe='python3 examples/foreign/python/pool.py'
"""
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

items = int(os.environ.get("IOWQ_ITEMS", "1"))
block = int(os.environ.get("IOWQ_BLOCK_US", "200")) / 1e6
chain = int(os.environ.get("IOWQ_CHAIN", "0"))
events = os.fdopen(int(os.environ.get("IOWQ_EVENTS_FD", "3")), "w", buffering=1)
lock = threading.Lock()
barrier = threading.Barrier(chain) if chain > 0 else None


def say(line):
    with lock:
        events.write(line + "\n")


def body(i):
    say(f"start {i}")
    if barrier:
        barrier.wait(timeout=30)
    else:
        time.sleep(block)
    say(f"end {i}")


pool = ThreadPoolExecutor(max_workers=64)
say("ready")
if sys.stdin.readline().strip() != "go":
    sys.exit(0)
for i in range(items):
    try:
        pool.submit(body, i)
        say(f"submit {i} ok")
    except RuntimeError as error:
        say(f"submit {i} refused {error}")
sys.stdin.read()
os._exit(0)
