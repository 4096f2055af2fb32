"""Measure `pulse fetch` on the acceptance set, the suggestions on the fixtures, and the theme classifier.

Usage: .venv/bin/python benchmarks/ingest.py

Prints: the wall time and peak memory (max RSS of a `pulse fetch` child process) of
a fetch of the fixture feeds plus the faults; how many fixture entries got the amount
and a theme right; and the classifier's cross-validated accuracy on the sample
corpus (digests/) and on a generated corpus.
"""

from __future__ import annotations

import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pulse.ingest.suggest import cross_validate, item_text  # noqa: E402
from pulse.reading.corpus import read_corpus  # noqa: E402
from pulse.reading.settings import load_settings  # noqa: E402
from tests.feed_server import FeedServer  # noqa: E402
from tests.test_ingest import FAULT_PATHS, FEED_PATHS, TIMEOUT, project  # noqa: E402

# What a curator would file each fixture entry as: (amount as pulse prints it or None, an acceptable theme).
TRUTH = {
    "Amber Semiconductor raises $40 million for power chips": ("$40 million", "funding"),
    "A new inference accelerator ships to data centers": (None, "hardware"),
    "Regulators publish AI safety guidance for frontier models": (None, "safety"),
    "Independent audit finds gaps in AI model security": (None, "safety"),
    "Nscale raises $2bn in Europe's biggest AI round": ("$2 billion", "funding"),
    "Together AI eyes $1B round at $7.5B valuation": ("$1 billion", "funding"),
    "AMD unveils MI450 accelerator & rack-scale systems": (None, "hardware"),
    "Qwen ships a 3B model that runs on-device": (None, "edge"),
    "Sandbar raises $13M for AI wearable ring": ("$13 million", "funding"),
    "RadNet acquires Gleamer for €200 million": ("€200 million", "sector"),
    "A link that must not survive": (None, "sector"),
    "Mistral lève 600 millions déuros": ("€600 million", "funding"),
    "Kai raises $10M seed & more": ("$10 million", "funding"),
    "Portkey lands $15M to govern AI agents": ("$15 million", "funding"),
}


def fetch_run() -> tuple[float, float, list[dict[str, object]]]:
    folder = Path(tempfile.mkdtemp(prefix="pulse-ingest-"))
    try:
        with FeedServer(slow=3 * TIMEOUT) as server:
            project(folder, server, {**FEED_PATHS, **FAULT_PATHS})
            pulse = [sys.executable, "-m", "pulse"]
            started = time.monotonic()
            fetched = subprocess.run([*pulse, "fetch"], cwd=folder, capture_output=True, text=True, check=False)
            elapsed = time.monotonic() - started
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(fetched.stdout, end="")
            print(f"exit status {fetched.returncode}")
            listed = subprocess.run(
                [*pulse, "inbox", "--format", "json"], cwd=folder, capture_output=True, text=True, check=False
            )
            return elapsed, peak, json.loads(listed.stdout)
    finally:
        shutil.rmtree(folder)


def generated_corpus(count: int = 1000, seed: int = 7) -> list[tuple[str, str]]:
    """Headlines written from per-theme vocabularies with shared words and noise, like a real week's."""
    rng = random.Random(seed)
    vocab = {
        "funding": [
            "raises",
            "round",
            "series",
            "seed",
            "investors",
            "valuation",
            "backed",
            "funding",
            "led",
            "capital",
            "venture",
        ],
        "hardware": [
            "chip",
            "gpu",
            "accelerator",
            "datacenter",
            "rack",
            "memory",
            "hbm",
            "power",
            "cluster",
            "silicon",
            "server",
        ],
        "edge": [
            "device",
            "phone",
            "wearable",
            "on-device",
            "local",
            "glasses",
            "offline",
            "latency",
            "small",
            "laptop",
        ],
        "sector": [
            "acquires",
            "acquisition",
            "merger",
            "deal",
            "buys",
            "healthcare",
            "radiology",
            "robotics",
            "enterprise",
        ],
        "safety": [
            "regulation",
            "policy",
            "audit",
            "governance",
            "risk",
            "safety",
            "law",
            "evaluation",
            "oversight",
            "security",
        ],
    }
    shared = ["ai", "model", "startup", "company", "launch", "new", "platform", "agents", "inference", "data"]
    rows = []
    for _ in range(count):
        theme = rng.choice(list(vocab))
        words = [rng.choice(vocab[theme]) for _ in range(rng.randint(2, 4))]
        words += [rng.choice(shared) for _ in range(rng.randint(3, 6))]
        words += [rng.choice(vocab[rng.choice(list(vocab))]) for _ in range(rng.randint(0, 2))]  # noise
        rng.shuffle(words)
        rows.append((" ".join(words), theme))
    return rows


def main() -> None:
    elapsed, peak, stories = fetch_run()
    print(f"fetch: {elapsed:.2f} s wall (timeout {TIMEOUT:g} s), peak memory {peak:.0f} MB (max RSS)")
    amounts = themes = 0
    for story in stories:
        amount, theme = TRUTH[str(story["title"])]
        got = story["amount"]
        from pulse.model.money import money_from_number

        shown = str(money_from_number(got["value"], got["currency"])) if isinstance(got, dict) else None
        amounts += shown == amount
        themes += theme in story["themes"]  # type: ignore[operator]
    total = len(stories)
    print(f"fixture entries: {total}; amount right {amounts}/{total}, theme right {themes}/{total}")
    settings = load_settings(cwd=REPO)
    items = read_corpus([settings.data], settings.themes).items
    sample = [(item_text(item), item.theme) for item in items]
    print(f"classifier, sample corpus ({len(sample)} items, leave-one-out): {cross_validate(sample, len(sample)):.2f}")
    generated = generated_corpus()
    print(f"classifier, generated corpus ({len(generated)} items, 10-fold): {cross_validate(generated):.2f}")


if __name__ == "__main__":
    main()
