"""`pulse fetch`: read every source at once, clean and suggest, store what is new in the inbox.

Sources are read on threads (the work is waiting on the network); entries are stored
by the calling thread, in the order of the sources, so the inbox is the same whatever
order the servers answer in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace

from pulse.errors import UsageError, did_you_mean
from pulse.ingest.clean import canonical_url, plain_text, title_text
from pulse.ingest.feeds import Feed, Outline, read_feed, read_opml
from pulse.ingest.http import FetchError, Limits, Response, fetch
from pulse.ingest.inbox import Inbox, NewEntry, SourceState
from pulse.ingest.settings import IngestSettings, SourceSpec
from pulse.ingest.suggest import ThemeClassifier, deal_amount, find_entities, suggest_themes
from pulse.model import Item


@dataclass(frozen=True)
class SourceResult:
    """What one source gave this run."""

    name: str
    url: str
    status: str  # ok | not-modified | error
    new: int = 0
    error: str | None = None
    warning: str | None = None
    dropped: int = 0
    seen: int = 0

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "url": self.url, "status": self.status, "new": self.new, "error": self.error}


@dataclass(frozen=True)
class FetchReport:
    sources: tuple[SourceResult, ...]

    @property
    def new(self) -> int:
        return sum(result.new for result in self.sources)

    @property
    def dropped(self) -> int:
        return sum(result.dropped for result in self.sources)

    @property
    def failed(self) -> int:
        return sum(result.status == "error" for result in self.sources)

    def as_json(self) -> dict[str, object]:
        return {"sources": [result.as_json() for result in self.sources], "new": self.new}


@dataclass(frozen=True)
class _Read:
    """A source's response, parsed on a worker thread."""

    spec: SourceSpec
    response: Response | None = None
    feed: Feed | None = None
    error: str | None = None
    retry_until: str | None = None  # ISO time a 429/503 asked us to wait until


def limits(settings: IngestSettings) -> Limits:
    options = settings.fetch
    return Limits(options.timeout, options.max_bytes, options.max_redirects, settings.user_agent)


def expand_sources(settings: IngestSettings) -> tuple[list[SourceSpec], list[SourceResult]]:
    """Feeds to read: the configured ones with every OPML list read and flattened; failed lists as results."""
    feeds: list[SourceSpec] = []
    failed: list[SourceResult] = []
    lists = [spec for spec in settings.sources if spec.opml]
    with ThreadPoolExecutor(max_workers=max(1, min(len(lists), settings.fetch.workers))) as pool:
        read = {spec.url: pool.submit(_read_opml, spec, limits(settings)) for spec in lists}
        for spec in settings.sources:
            if not spec.opml:
                feeds.append(spec)
                continue
            try:
                for outline in read[spec.url].result():
                    tags = tuple(dict.fromkeys((*spec.tags, *outline.tags)))
                    feeds.append(SourceSpec(outline.name, outline.url, spec.themes, tags))
            except FetchError as exc:
                failed.append(SourceResult(spec.name, spec.url, "error", error=str(exc)))
    unique: dict[str, SourceSpec] = {}
    for spec in feeds:
        unique.setdefault(spec.url, spec)
    return list(unique.values()), failed


def _read_opml(spec: SourceSpec, limit: Limits) -> list[Outline]:
    response = fetch(spec.url, limit)
    return read_opml(response.body, response.url)


def choose(sources: Sequence[SourceSpec], names: Sequence[str]) -> list[SourceSpec]:
    """The sources named with --source (by name or URL, case-insensitive); an unknown one is a usage error."""
    if not names:
        return list(sources)
    chosen: list[SourceSpec] = []
    for name in names:
        matches = [s for s in sources if name.lower() in (s.name.lower(), s.url.lower())]
        if not matches:
            hint = did_you_mean(name, [s.name for s in sources])
            raise UsageError(f"no source named '{name}' in pulse.yaml{hint}")
        chosen.extend(s for s in matches if s not in chosen)
    return chosen


def _read_source(spec: SourceSpec, limit: Limits, state: SourceState | None, now: dt.datetime) -> _Read:
    if state is not None and state.retry_until and dt.datetime.fromisoformat(state.retry_until) > now:
        until = state.retry_until.replace("+00:00", "Z")
        return _Read(spec, error=f"the server asked to wait until {until}; skipped", retry_until=state.retry_until)
    try:
        response = fetch(
            spec.url,
            limit,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
        )
        if response.not_modified:
            return _Read(spec, response)
        return _Read(spec, response, read_feed(response.body, response.headers, response.url))
    except FetchError as exc:
        wait = exc.retry_until.isoformat(timespec="seconds") if exc.retry_until else None
        return _Read(spec, error=str(exc), retry_until=wait)
    except Exception as exc:  # a parser bug must fail one source, not the run
        return _Read(spec, error=f"unexpected {type(exc).__name__} while reading")


def fetch_sources(
    settings: IngestSettings,
    *,
    names: Sequence[str] = (),
    items: Sequence[Item] = (),
    progress: Callable[[int, int], None] | None = None,
    now: dt.datetime | None = None,
) -> FetchReport:
    """Read the sources into the inbox and report on each."""
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    feeds, failed = expand_sources(settings)
    if names:
        feeds, failed = choose(feeds, names), [r for r in failed if r.name in names]
    classifier = ThemeClassifier.train((f"{i.title} {i.summary or ''}", i.theme) for i in items) if items else None
    from pulse.ingest.suggest import known_entities

    known = known_entities(items)
    results: dict[str, SourceResult] = {}
    with Inbox(settings.inbox_path) as inbox:
        states = {spec.url: inbox.source_state(spec.url) for spec in feeds}
        reads: dict[str, _Read] = {}
        limit = limits(settings)
        with ThreadPoolExecutor(max_workers=max(1, min(len(feeds), settings.fetch.workers))) as pool:
            futures = [pool.submit(_read_source, spec, limit, states[spec.url], now) for spec in feeds]
            for done, future in enumerate(as_completed(futures), 1):
                read = future.result()
                reads[read.spec.url] = read
                if progress is not None:
                    progress(done, len(futures))
        added: list[str] = []
        with inbox.transaction():
            for spec in feeds:
                results[spec.url] = _store(inbox, reads[spec.url], settings, classifier, known, now, added)
            touched = inbox.regroup(added, now)
            if touched:
                from pulse.ingest.clean import canonical_url
                from pulse.ingest.inbox import as_doc
                from pulse.ingest.stories import Coverage

                coverage = Coverage(items, lambda url: canonical_url(url, None))
                for story in inbox.stories(ids=sorted(touched), include_covered=True):
                    inbox.set_covered(story.id, coverage.covered_by([as_doc(e) for e in story.entries]))
    return FetchReport((*failed, *(results[spec.url] for spec in feeds)))


def _store(
    inbox: Inbox,
    read: _Read,
    settings: IngestSettings,
    classifier: ThemeClassifier | None,
    known: Sequence[str],
    now: dt.datetime,
    added: list[str],
) -> SourceResult:
    spec = read.spec
    result = SourceResult(spec.name, spec.url, "ok")
    if read.error is not None or read.response is None:
        until = dt.datetime.fromisoformat(read.retry_until) if read.retry_until else None
        inbox.record_source(spec.url, spec.name, status="error", error=read.error, fetched_at=now,
                            keep_validators=True, retry_until=until)  # fmt: skip
        return replace(result, status="error", error=read.error)
    response = read.response
    if response.not_modified or read.feed is None:
        inbox.record_source(spec.url, spec.name, status="not-modified", fetched_at=now, keep_validators=True,
                            etag=response.etag, last_modified=response.last_modified)  # fmt: skip
        return replace(result, status="not-modified")
    new = dropped = 0
    for raw in read.feed.entries:
        title = title_text(raw.title)
        summary = plain_text(raw.summary)
        url = canonical_url(raw.link, raw.base)
        guid = raw.guid or raw.written_link or raw.link
        if not guid and not url:
            continue  # nothing to know it by on the next fetch
        ident = f"guid:{raw.guid}" if raw.guid else f"url:{url}"
        if inbox.has(ident, url):
            continue
        text = f"{title}\n{summary}"
        suggestion = suggest_themes(text, spec.themes, settings.rules, classifier)
        if suggestion.drop:
            dropped += 1
            inbox.drop(
                ident, spec.url, next(r.name for r in settings.rules if r.drop and r.name in suggestion.rules), now
            )
            continue
        entry = NewEntry(
            ident=ident,
            source=spec.url,
            guid=guid or "",
            url=url,
            title=title or (summary[:80] if summary else url or guid or ""),
            summary=summary,
            published=raw.published or now,
            themes=suggestion.themes,
            rules=suggestion.rules,
            entities=find_entities(title, summary, known),
            amount=deal_amount(text),
        )
        if inbox.add(entry, now):
            new += 1
            added.append(ident)
    inbox.record_source(spec.url, spec.name, status="ok", fetched_at=now, etag=response.etag,
                        last_modified=response.last_modified, new=new, seen=len(read.feed.entries))  # fmt: skip
    return replace(result, new=new, dropped=dropped, warning=read.feed.warning, seen=len(read.feed.entries))
