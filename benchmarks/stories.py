"""Time to group N generated entries into stories (default 10,000): `python benchmarks/stories.py [N]`.

Entries are generated: N/3 events (a company, an amount, a kind of headline, a day in a
60-day window), each reported by 1 to 5 outlets in their own phrasing.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from decimal import Decimal

from pulse.ingest.features import Doc
from pulse.ingest.stories import group, pairwise
from pulse.model.money import Money

VERBS = ["raises", "secures", "lands", "closes", "bags"]
KINDS = ["{c} {v} ${a}M Series {r}", "{c} launches new AI chip", "{c} signs cloud deal with Microsoft",
         "{c} acquires rival for ${a}M"]  # fmt: skip


def entries(count: int, seed: int = 18) -> list[Doc]:
    rng = random.Random(seed)
    docs: list[Doc] = []
    event = 0
    while len(docs) < count:
        company = "".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3)).title()
        amount, round_ = rng.choice([20, 50, 85, 120, 300]), rng.choice("ABCD")
        kind = rng.choice(KINDS)
        day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(60))
        for outlet in range(rng.randint(1, 5)):
            title = kind.format(c=company, v=rng.choice(VERBS), a=amount, r=round_)
            money = Money(Decimal(amount) * 1_000_000, "USD") if "$" in title else None
            docs.append(Doc(f"url:https://o{outlet}.example/{event}", f"https://o{outlet}.example/{event}", title,
                            f"{company} said on the day.", day + dt.timedelta(days=rng.randrange(2)), (company,),
                            money))  # fmt: skip
        event += 1
    return docs[:count]


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    docs = entries(count)
    started, cpu = time.perf_counter(), time.process_time()
    stories = group(docs)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    precision, recall = pairwise(stories, {doc.ident: doc.ident.rsplit("/", 1)[1] for doc in docs})  # the event
    print(
        f"grouped {len(docs)} entries into {len(stories)} stories in {wall:.2f} s ({cpu:.2f} s of CPU); "
        f"against the generated events: precision {precision:.3f}, recall {recall:.3f}"
    )
