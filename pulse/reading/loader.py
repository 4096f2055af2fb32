"""Loading the corpus fast: cached files are decoded, the others are parsed on every core.

`pulse.reading.corpus.read_corpus` is the plain, sequential reference; this module gives the
same Corpus (a test holds them equal) with two speed-ups the commands use:

- the parse cache (pulse.reading.cache): a file whose path, size and mtime are unchanged is
  decoded, not parsed;
- parallel parsing: when many files must be parsed, worker processes parse and
  validate them and send back their content encoded as msgpack (cheaper to move
  between processes than pickled objects), which also becomes the cache entry.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from pulse.errors import display_path
from pulse.model import ThemeRegistry
from pulse.reading.cache import ParseCache, decode_content, encode_content
from pulse.reading.corpus import Corpus, FileContent, Progress, cross_file_problems, find_files, read_file

PARALLEL_MIN_BYTES = 2_000_000
"""Below this much YAML to parse, starting worker processes costs more than it saves."""


def load(
    paths: Iterable[Path],
    themes: ThemeRegistry,
    currency: str = "USD",
    *,
    cache: ParseCache | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Corpus:
    """Every file under `paths`, from the cache where it is current, parsed (in parallel) where not."""
    files = find_files(paths)
    shown = [display_path(path) for path in files]
    contents: list[FileContent | None] = [None] * len(files)
    stats: list[os.stat_result | None] = [None] * len(files)
    misses = []
    done = 0
    collecting = gc.isenabled()
    gc.disable()  # a load creates millions of objects and no cycles: collections only cost time
    try:
        for index, path in enumerate(files):
            stats[index] = _stat(path)
            stat = stats[index]
            cached = cache.get(path.absolute(), stat, shown[index]) if cache and stat else None
            if cached is None:
                misses.append(index)
            else:
                contents[index] = cached
                done += 1
                if progress:
                    progress(done, len(files))
        for index, encoded in _parse(files, shown, misses, stats, themes, currency, workers):
            contents[index] = decode_content(encoded, shown[index])
            stat = stats[index]
            if cache and stat:
                cache.put_encoded(files[index].absolute(), stat, encoded)
            done += 1
            if progress:
                progress(done, len(files))
    finally:
        if collecting:
            gc.enable()
    loaded = [content for content in contents if content is not None]
    items = tuple(item for content in loaded for item in content.items)
    digests = tuple(digest for content in loaded for digest in content.digests)
    problems = [problem for content in loaded for problem in content.problems]
    problems += cross_file_problems(items, digests)
    return Corpus(items, digests, tuple(shown), tuple(problems))


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None  # read_file reports why


def _parse_one(path: Path, shown: str, themes: ThemeRegistry, currency: str) -> bytes:
    gc.disable()
    return encode_content(read_file(path, shown, themes, currency))


def _can_fork() -> bool:
    """True where worker processes can be forked (POSIX); elsewhere files are parsed one by one."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _parse(
    files: Sequence[Path],
    shown: Sequence[str],
    misses: Sequence[int],
    stats: Sequence[os.stat_result | None],
    themes: ThemeRegistry,
    currency: str,
    workers: int | None,
) -> Iterator[tuple[int, bytes]]:
    """(index, encoded content) of each file to parse, in file order."""
    size = sum(stat.st_size for stat in (stats[i] for i in misses) if stat)
    count = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if count < 2 or size < PARALLEL_MIN_BYTES or len(misses) < 2 or not _can_fork():
        for index in misses:
            yield index, _parse_one(files[index], shown[index], themes, currency)
        return
    import multiprocessing  # only when there is enough to parse to use every core
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        results = pool.map(
            _parse_one,
            [files[i] for i in misses],
            [shown[i] for i in misses],
            [themes] * len(misses),
            [currency] * len(misses),
            chunksize=max(1, len(misses) // (count * 8)),
        )
        yield from zip(misses, results, strict=True)
