"""Measure pulse against its floors and print every figure and ratio with its target.

    python benchmarks/run.py                 # 10,000 and 100,000 items, medians of several runs
    python benchmarks/run.py --sizes 10000 --repeat 3

Each figure is the median wall time of several runs of a fresh process; the ratios
compare figures taken in the same run, so a busy machine slows both sides alike.
Corpora are generated once (deterministically) under the work folder and reused.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BARE_PARSE = (
    "import pathlib, sys, yaml\n"
    "for path in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
    "    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)\n"
)


@dataclass
class Figure:
    """A measured command: the median seconds and the peak memory (kB) of its runs."""

    seconds: float
    peak_kb: int


def measure(command: list[str], repeat: int, env: dict[str, str], before: object = None) -> Figure:
    """Run `command` `repeat` times (calling `before()` ahead of each run); median time, peak memory."""
    times, peaks = [], []
    for _ in range(repeat):
        if callable(before):
            before()
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode() if process.stderr else ''}")
    return Figure(statistics.median(times), max(peaks))


def corpus(work: Path, items: int) -> Path:
    """The generated corpus of `items` items (made once)."""
    folder = work / f"corpus-{items}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(HERE / "generate_corpus.py"), "--items", str(items), "--out", str(folder)], check=True
        )
        (folder / ".complete").touch()
    return folder


def size_on_disk(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*.yaml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (3 for the slow cold runs)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "pulse-bench")
    args = parser.parse_args()
    pulse = [str(Path(sys.executable).with_name("pulse"))]
    if not Path(pulse[0]).exists():
        pulse = [sys.executable, "-m", "pulse"]
    args.work.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "PULSE_NO_CACHE")}
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    print(f"machine: {machine}, Python {platform.python_version()}, {platform.platform()}")
    figures: dict[str, Figure] = {}

    def record(name: str, figure: Figure) -> None:
        figures[name] = figure
        print(f"{name:<48} {figure.seconds * 1000:>9.0f} ms   peak {figure.peak_kb / 1024:>6.0f} MB", flush=True)

    record("pulse --help", measure([*pulse, "--help"], args.repeat * 2, env))
    record(
        "click --help (floor)", measure([sys.executable, str(HERE / "click_floor.py"), "--help"], args.repeat * 2, env)
    )
    commands = {
        "check": ["check"],
        "list --theme funding --limit 20": ["list", "--theme", "funding", "--limit", "20"],
        "digest --week 2026-W12 --format markdown": ["digest", "--week", "2026-W12", "--format", "markdown"],
    }
    sizes_on_disk = {}
    for items in args.sizes:
        data = corpus(args.work, items)
        sizes_on_disk[items] = size_on_disk(data)
        slow = max(3, args.repeat // 2) if items >= 100_000 else args.repeat
        record(f"bare C-loader parse, {items} items", measure([sys.executable, "-c", BARE_PARSE, str(data)], slow, env))
        cache = args.work / f"cache-{items}"
        changed = sorted(data.rglob("*.yaml"))[len(list(data.rglob("*.yaml"))) // 2]
        for label, command in commands.items():
            full = [*pulse, "--cache-dir", str(cache), command[0], "--data", str(data), *command[1:]]
            record(
                f"{label}, {items}, cold",
                measure(full, slow, env, before=lambda cache=cache: shutil.rmtree(cache, ignore_errors=True)),
            )
            record(f"{label}, {items}, warm", measure(full, args.repeat, env))

            def touch_one(changed: Path = changed) -> None:
                with changed.open("a", encoding="utf-8") as handle:
                    handle.write("# touched by the benchmark\n")

            record(f"{label}, {items}, warm, one file changed", measure(full, args.repeat, env, before=touch_one))
    print()
    print(f"{'ratio':<72} {'value':>7}  target  result")
    rows = [
        (
            "pulse --help / click --help floor",
            figures["pulse --help"].seconds / figures["click --help (floor)"].seconds,
            1.5,
        )
    ]
    if 10_000 in args.sizes:
        warm_list = figures["list --theme funding --limit 20, 10000, warm"].seconds
        rows.append(
            ("warm list --theme funding over 10k / pulse --help", warm_list / figures["pulse --help"].seconds, 2.5)
        )
    if 100_000 in args.sizes:
        bare = figures["bare C-loader parse, 100000 items"].seconds
        digest = "digest --week 2026-W12 --format markdown, 100000"
        rows += [
            ("cold digest --week over 100k / bare C-loader parse", figures[f"{digest}, cold"].seconds / bare, 1.0),
            ("warm digest --week over 100k / bare C-loader parse", figures[f"{digest}, warm"].seconds / bare, 0.1),
            (
                "warm after one file changed / bare C-loader parse",
                figures[f"{digest}, warm, one file changed"].seconds / bare,
                0.15,
            ),
        ]
        peak = max(figure.peak_kb for name, figure in figures.items() if ", 100000" in name and "bare" not in name)
        rows.append(("peak memory over 100k / corpus size on disk", peak * 1024 / sizes_on_disk[100_000], 6.0))
        print(
            f"(corpus of 100,000 items: {sizes_on_disk[100_000] / 1e6:.1f} MB on disk;"
            f" peak memory {peak / 1024:.0f} MB)"
        )
    for name, value, target in rows:
        print(f"{name:<72} {value:>7.3f}  <= {target:<4} {'met' if value <= target else 'MISSED'}")


if __name__ == "__main__":
    main()
