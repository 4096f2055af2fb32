"""Start-up time of `pulse browse` to its first screen, in a real terminal (tmux, 120x40).

Usage: python benchmarks/tui_startup.py [--data FOLDER] [--runs 5]

Time from starting the command to the status line ("N of M items") on the screen,
polled every 10 ms: the load (through the parse cache, warm after the first run) and
the app's first frame. Prints the median and the fastest run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def once(tmux: str, data: Path | None) -> float:
    name = f"bench-{uuid.uuid4().hex[:8]}"
    command = f"{sys.executable} -m pulse browse" + (f" --data {data}" if data else "")
    env = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm-256color"}
    start = time.perf_counter()
    subprocess.run([tmux, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-c", str(REPO), command],
                   check=True, env=env)  # fmt: skip
    try:
        while time.perf_counter() - start < 60:
            capture = [tmux, "capture-pane", "-p", "-t", name]
            screen = subprocess.run(capture, check=False, capture_output=True, text=True).stdout
            if " items · themes:" in screen:
                return time.perf_counter() - start
            time.sleep(0.01)
        raise SystemExit("the app never showed its first screen")
    finally:
        subprocess.run([tmux, "kill-session", "-t", name], check=False, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="the corpus folder [default: the sample]")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmux = shutil.which("tmux")
    if tmux is None:
        raise SystemExit("needs tmux")
    once(tmux, args.data)  # warms the parse cache
    times = [once(tmux, args.data) for _ in range(args.runs)]
    print(f"{args.data or 'sample'}: median {statistics.median(times):.2f} s, fastest {min(times):.2f} s")


if __name__ == "__main__":
    main()
