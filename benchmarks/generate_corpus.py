"""Write a deterministic synthetic corpus: realistic items, all five themes, two years, 100 items a file.

Usage: python benchmarks/generate_corpus.py --items 10000 --out /tmp/corpus10k
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

THEMES = ("funding", "hardware", "edge", "sector", "safety")
ENTITIES = (
    "Together AI", "Nscale", "AMD", "Nvidia", "PixVerse", "Sandbar", "Kai", "Portkey", "AgentMail",
    "Sectra", "RadNet", "Gleamer", "Oxipit", "Mind Robotics", "Sunday", "Voxtral", "Qwen", "Gemini",
    "Amber Semiconductor", "JetStream Security", "AMI", "Alibaba", "OpenAI", "Anthropic",
)  # fmt: skip
SECTORS = ("Healthcare", "Media and Content Creation", "Enterprise Automation and Cybersecurity", "Robotics")
REGIONS = ("US", "UK", "France", "Saudi Arabia", "Germany", "Japan")
WORDS = (
    "infrastructure", "model", "inference", "cluster", "sovereign", "edge", "device", "wearable", "governance",
    "security", "robotics", "diagnostic", "imaging", "funding", "valuation", "datacenter", "power", "chips",
    "accelerator", "multimodal", "reasoning", "agents",
)  # fmt: skip
START = dt.date(2025, 1, 6)
SPAN_DAYS = 728  # two years of ISO weeks


def sentence(rng: random.Random, words: int) -> str:
    """A plain sentence of `words` words."""
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def item_yaml(rng: random.Random, number: int, date: dt.date) -> str:
    """One item as YAML text, in the style a curator writes."""
    themes = rng.sample(THEMES, rng.choice((1, 1, 1, 2)))
    entities = rng.sample(ENTITIES, rng.randint(1, 3))
    lines = [
        f"  - id: item-{number:07d}",
        f"    title: {entities[0]} {sentence(rng, rng.randint(5, 10))}",
        "    summary: >-",
        f"      {sentence(rng, rng.randint(20, 35))} {sentence(rng, rng.randint(10, 20))}",
        f"    date: {date.isoformat()}",
        f"    themes: [{', '.join(themes)}]",
        f"    entities: [{', '.join(entities)}]",
    ]
    if rng.random() < 0.5:
        lines.append(f"    amount: ${rng.choice((5, 23, 125, 300, 500))}{rng.choice(('M', 'M', 'B'))}")
    if "sector" in themes:
        lines.append(f"    sector: {rng.choice(SECTORS)}")
    lines += [
        f"    region: {rng.choice(REGIONS)}",
        f"    importance: {rng.randint(1, 5)}",
        "    sources:",
        f"      - https://news.example.com/{date.year}/{number}",
        f"    tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
    ]
    return "\n".join(lines) + "\n"


def write_corpus(out: Path, items: int, per_file: int = 100, seed: int = 2026) -> list[Path]:
    """Write `items` items into files of `per_file` under `out`; returns the files."""
    rng = random.Random(seed)
    files = []
    for start in range(0, items, per_file):
        path = out / f"{start // (per_file * 100):03d}" / f"batch-{start // per_file:05d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        # Items come in date order, as a curator files them: each file holds a few days.
        body = "".join(
            item_yaml(rng, n, START + dt.timedelta(days=n * SPAN_DAYS // items))
            for n in range(start, min(start + per_file, items))
        )
        path.write_text("items:\n" + body, encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000, help="how many items (default 10000)")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write (created)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    files = write_corpus(args.out, args.items, seed=args.seed)
    size = sum(f.stat().st_size for f in files)
    print(f"{args.items} items in {len(files)} files, {size / 1e6:.1f} MB, under {args.out}")


if __name__ == "__main__":
    main()
