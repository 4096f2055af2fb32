"""Loading the corpus fast: cached files are decoded, the others are parsed on every core.

`pulse.reading.corpus.read_corpus` is the plain, sequential reference; this module gives the
same Corpus (a test holds them equal) with the speed-ups the commands use:

- the parse cache (pulse.reading.cache): a file whose stat key is unchanged is decoded, not
  parsed;
- parallel parsing: when many files must be parsed, worker processes parse and validate
  them, store each one's cache entry (msgpack) and send back its manifest row, and its
  encoded content only when the caller needs every file;
- the manifest (pulse.reading.manifest, through Snapshot): a windowed command decodes only
  the files that overlap its window, on a cold run (the manifest is built as the files are
  parsed) as on a warm one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pulse import reading
from pulse.errors import Problem, display_path
from pulse.model import ThemeRegistry
from pulse.reading.cache import ParseCache, decode_content, encode_content, short_digest, stat_key
from pulse.reading.corpus import Corpus, FileContent, Progress, cross_file_problems, read_file, scan
from pulse.reading.manifest import (
    DigestSpan,
    FileSummary,
    Key,
    Manifest,
    Names,
    has_duplicates,
    manifest_path,
    newest_digest,
    numbers_near,
    read_manifest,
    read_remembered,
    summarize,
    write_manifest,
    write_remembered,
)

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
    found = _Files(paths, themes, currency, cache, progress, workers)
    everything = range(len(found.files))
    contents = found.contents(everything)
    return _assemble([contents[i] for i in everything], found.shown)


def _assemble(contents: Sequence[FileContent], shown: Sequence[str], counts: tuple[int, int] | None = None) -> Corpus:
    items = tuple(item for content in contents for item in content.items)
    digests = tuple(digest for content in contents for digest in content.digests)
    problems = [problem for content in contents for problem in content.problems]
    if counts is None:
        problems += cross_file_problems(items, digests)
    return Corpus(items, digests, tuple(shown), tuple(problems), counts)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A file parsed in this run: its manifest row, and its encoded content (None once the parse cache holds it,
    unless asked to keep it)."""

    summary: FileSummary
    names: Names
    encoded: bytes | None


NO_KEY: Key = (-1, -1, -1, -1)
"""The stat key of a file that could not be stat'ed (never a cache hit)."""


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    """The garbage collector off while a load makes millions of objects with no cycles; in a one-shot command
    (pulse.reading.FREEZE_LOADS) what it made is then moved out of the collector's sight, as it lives as long
    as the command."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if reading.FREEZE_LOADS:
            gc.freeze()
        if collecting:
            gc.enable()


def _parse_one(
    path: Path,
    shown: str,
    stat: os.stat_result | None,
    themes: ThemeRegistry,
    currency: str,
    cache: ParseCache | None,
    keep: bool,
) -> Parsed:
    """Parse and check one file, store it in the cache and summarize it (in a worker process, or not)."""
    gc.disable()
    content = read_file(path, shown, themes, currency)
    encoded = encode_content(content)
    summary, names = summarize(content, stat_key(stat) if stat else NO_KEY, currency)
    stored = cache is not None and stat is not None and cache.put_encoded(path.absolute(), stat, encoded)
    return Parsed(summary, names, encoded if keep or not stored else None)


def _can_fork() -> bool:
    """True where worker processes can be forked (POSIX); elsewhere files are parsed one by one."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class _Files:
    """The files under some paths as one scan found them, and how to read them: from the parse cache where it
    is current, parsed (in worker processes when there is much to parse) where not."""

    cache: ParseCache | None

    def __init__(
        self,
        paths: Iterable[Path],
        themes: ThemeRegistry,
        currency: str,
        cache: ParseCache | None,
        progress: Progress | None,
        workers: int | None,
    ) -> None:
        found = scan(paths)
        self.files = [path for path, _ in found]
        self.stats = [stat for _, stat in found]
        self.shown = [display_path(path) for path in self.files]
        self.themes, self.currency, self.cache = themes, currency, cache
        self.progress, self.workers = progress, workers

    def contents(self, wanted: Iterable[int]) -> dict[int, FileContent]:
        """The content of each wanted file (by index), decoded from the cache or parsed."""
        fetched = self.fetch(wanted, keep=True)
        with _collector_off():
            return {
                index: decode_content(got.encoded, self.shown[index]) if isinstance(got, Parsed) else got  # type: ignore[arg-type]
                for index, got in fetched.items()
            }

    def fetch(self, wanted: Iterable[int], *, keep: bool) -> dict[int, FileContent | Parsed]:
        """Each wanted file (by index): its content from the cache, or parsed (and stored in the cache) now."""
        wanted = list(wanted)
        fetched: dict[int, FileContent | Parsed] = {}
        misses = []
        done = 0
        with _collector_off():
            for index in wanted:
                stat = self.stats[index]
                cached = (
                    self.cache.get(self.files[index].absolute(), stat, self.shown[index])
                    if self.cache and stat
                    else None
                )
                if cached is None:
                    misses.append(index)
                else:
                    fetched[index] = cached
                    done += 1
                    if self.progress:
                        self.progress(done, len(wanted))
            for index, parsed in self._parse(misses, keep):
                fetched[index] = parsed
                done += 1
                if self.progress:
                    self.progress(done, len(wanted))
        return fetched

    def _parse(self, misses: Sequence[int], keep: bool) -> Iterator[tuple[int, Parsed]]:
        """(index, parsed) of each file to parse, in file order."""
        size = sum(stat.st_size for stat in (self.stats[i] for i in misses) if stat)
        count = self.workers if self.workers is not None else min(os.cpu_count() or 1, 4)
        jobs = [
            (self.files[i], self.shown[i], self.stats[i], self.themes, self.currency, self.cache, keep) for i in misses
        ]
        if count < 2 or size < PARALLEL_MIN_BYTES or len(misses) < 2 or not _can_fork():
            for index, job in zip(misses, jobs, strict=True):
                yield index, _parse_one(*job)
            return
        import multiprocessing  # only when there is enough to parse to use every core
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            # Each worker stores what it parsed in the cache itself: only summaries travel back, unless kept.
            results = pool.map(_parse_one, *zip(*jobs, strict=True), chunksize=max(1, len(misses) // (count * 8)))
            yield from zip(misses, results, strict=True)


KnownRate = Callable[[str, dt.date], bool]
"""True when an amount in this currency on this day can be valued in the base currency."""


class Snapshot(_Files):
    """The data folder as a scan and the manifest see it: all of it, a window of it, or its summary.

    A window holds every item and digest block dated inside it (the files that overlap
    it, decoded from the cache); the whole corpus is loaded instead, with identical
    output, whenever the manifest cannot answer: missing, stale beyond repair, corrupt,
    written by another version, or a corpus with problems to report in full.
    """

    cache: ParseCache

    def __init__(
        self,
        folder: Path,
        themes: ThemeRegistry,
        currency: str,
        cache: ParseCache,
        *,
        known_rate: KnownRate | None = None,
        progress: Progress | None = None,
        workers: int | None = None,
    ) -> None:
        super().__init__([folder], themes, currency, cache, progress, workers)
        self._loaded: dict[int, FileContent] = {}
        self._parsed: dict[int, Parsed] = {}  # parsed in this run, decoded only when asked for
        self._root = str(folder.absolute())
        self._path = manifest_path(cache.folder, cache.fingerprint, self._root)
        cwd = os.getcwd()
        self._names = [os.path.join(cwd, path) for path in self.files]  # absolute, as Path.absolute() gives them
        self.summaries: list[FileSummary] | None = None
        """Each file's summary, in file order; None when the manifest cannot answer."""
        # Without a usable manifest every file is new to it: a cold run parses every file (and keeps only
        # what the manifest needs) and then decodes just the files its window asks for.
        found_manifest = read_manifest(self._path, cache.fingerprint, self._root)
        self.manifest = self._refresh(found_manifest or Manifest(self._root, 0, {}, {}))
        if self.manifest is None or self.manifest.clashes:
            return
        summaries = [self.manifest.files[name] for name in self._names]
        if known_rate is not None and not all(
            known_rate(code, dt.date.fromordinal(day)) for s in summaries for code, day in s.moneys
        ):
            return  # a missing exchange rate is a problem the full load reports at its item
        self.summaries = summaries

    def _key(self, index: int) -> Key:
        stat = self.stats[index]
        return stat_key(stat) if stat else NO_KEY

    def _refresh(self, manifest: Manifest) -> Manifest | None:
        """The manifest brought up to date with the files that changed, appeared or went (and stored)."""
        changed = [
            index
            for index, name in enumerate(self._names)
            if self.stats[index] is None
            or name not in manifest.files
            or manifest.files[name].key != stat_key(self.stats[index])  # type: ignore[arg-type]
        ]
        if not changed and len(manifest.files) == len(self._names):
            return manifest
        rows = self._summarize(changed)
        try:
            old_names = manifest.names()
            files, names = {}, {}
            for index, name in enumerate(self._names):
                if index in rows:
                    files[name], names[name] = rows[index]
                else:
                    files[name], names[name] = manifest.files[name], old_names[name]
        except Exception:  # a manifest whose parts disagree: rebuilt by a full load
            return None
        fresh = Manifest(self._root, int(has_duplicates(names.values())), files, names)
        write_manifest(self._path, self.cache.fingerprint, fresh)
        return fresh

    def _summarize(self, wanted: Sequence[int]) -> dict[int, tuple[FileSummary, Names]]:
        """The manifest rows of the wanted files: parsed now where the cache misses them, decoded where it has
        them."""
        missing = [index for index in wanted if index not in self._loaded and index not in self._parsed]
        for index, got in self.fetch(missing, keep=False).items():
            if isinstance(got, Parsed):
                self._parsed[index] = got
            else:
                self._loaded[index] = got
        rows = {}
        for index in wanted:
            parsed = self._parsed.get(index)
            if parsed is not None:
                rows[index] = parsed.summary, parsed.names
            else:
                rows[index] = summarize(self._loaded[index], self._key(index), self.currency)
        return rows

    def _load(self, wanted: Iterable[int]) -> dict[int, FileContent]:
        missing = [index for index in wanted if index not in self._loaded]
        with _collector_off():
            for index in [index for index in missing if index in self._parsed]:
                encoded = self._parsed.pop(index).encoded
                if encoded is not None:
                    self._loaded[index] = decode_content(encoded, self.shown[index])
        missing = [index for index in missing if index not in self._loaded]  # the cache has the parsed ones
        if missing:
            self._loaded.update(self.contents(missing))
        return self._loaded

    def corpus(
        self,
        since: dt.date | None = None,
        until: dt.date | None = None,
        *,
        words: Sequence[str] = (),
        whole: bool = False,
    ) -> Corpus:
        """The files that overlap since..until (open ends: None) and, through the search index, may hold
        an item with every one of `words` (folded); with `whole`, or when neither narrows, every file."""
        summaries = self.summaries
        if whole or summaries is None or any(summary.problems for summary in summaries):
            return self._whole()
        found = self._search(words) if words else None
        if found is None and since is None and until is None:
            return self._whole()
        first, last = (since.toordinal() if since else None), (until.toordinal() if until else None)
        wanted = [
            index
            for index, summary in enumerate(summaries)
            if summary.overlaps(first, last) and (found is None or index in found)
        ]
        loaded = self._load(wanted)
        counts = (sum(s.items for s in summaries), sum(len(s.digests) for s in summaries))
        return _assemble([loaded[index] for index in wanted], self.shown, counts)

    def _search(self, words: Sequence[str]) -> set[int] | None:
        from pulse.reading.search import index_path, matching_files  # sqlite3 only when searching

        files = [(name, ",".join(map(str, self._key(index)))) for index, name in enumerate(self._names)]
        return matching_files(index_path(self._path), self.cache.fingerprint, files, self._load, words)

    def summary(self) -> Corpus:
        """The corpus's problems and counts, without its items when the manifest can answer."""
        summaries = self.summaries
        if summaries is None:
            return self._whole()
        problems = tuple(
            Problem(self.shown[index], line, column, message)
            for index, summary in enumerate(summaries)
            for line, column, message in summary.problems
        )
        counts = (sum(s.items for s in summaries), sum(len(s.digests) for s in summaries))
        return Corpus((), (), tuple(self.shown), problems, counts)

    def newest(self) -> tuple[DigestSpan | None, dt.date | None]:
        """The newest digest block and the newest date of the corpus; (None, None) when the manifest cannot answer."""
        if not self.summaries:
            return None, None
        newest = max((s.last for s in self.summaries if s.last is not None), default=None)
        return newest_digest(self.summaries), (dt.date.fromordinal(newest) if newest else None)

    def state(self, context: str = "") -> str | None:
        """A digest of every file's name, cache key and shown path, and of `context` (what else the remembered
        result depends on): the same only for the same files seen from the same folder (None without a usable
        manifest)."""
        if self.summaries is None:
            return None
        files = [(name, self._key(index), self.shown[index]) for index, name in enumerate(self._names)]
        return short_digest(repr((files, context)))

    def remembered(self, kind: str, context: str = "") -> list[Problem] | None:
        """Problems of the whole corpus remembered under `kind` for exactly these files and context, or None."""
        state = self.state(context)
        rows = read_remembered(self._path.with_suffix(f".{kind}"), state) if state else None
        return None if rows is None else [Problem(*row) for row in rows]

    def remember(self, kind: str, problems: Sequence[Problem], context: str = "") -> None:
        """Remember problems of the whole corpus for these files and context (an unchanged run reads them back)."""
        state = self.state(context)
        if state:
            rows = tuple((p.path, p.line, p.column, p.message) for p in problems)
            write_remembered(self._path.with_suffix(f".{kind}"), state, rows)

    def numbers_near(self, since: dt.date, until: dt.date) -> bool:
        """Whether a digest block that may frame since..until has "In numbers" (True when the manifest cannot say)."""
        return self.summaries is None or numbers_near(self.summaries, since.toordinal(), until.toordinal())

    def _whole(self) -> Corpus:
        loaded = self._load(range(len(self.files)))
        contents = [loaded[index] for index in range(len(self.files))]
        corpus = _assemble(contents, self.shown)
        if self.manifest is None:
            files, names = {}, {}
            for index, name in enumerate(self._names):
                files[name], names[name] = summarize(contents[index], self._key(index), self.currency)
            clashes = len(corpus.problems) - sum(len(content.problems) for content in contents)
            write_manifest(self._path, self.cache.fingerprint, Manifest(self._root, clashes, files, names))
        return corpus
