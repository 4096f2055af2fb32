"""Reading one URL with limits: timeouts, a size cap (also after decompression), redirects, conditional GET.

requests is used here and nowhere else. Content-Encoding is decoded by this module
(not by urllib3) so that the cap counts decompressed bytes as they are produced: a
gzip bomb stops at the cap, it never fills memory.
"""

from __future__ import annotations

import datetime as dt
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

CHUNK = 64 * 1024


class FetchError(Exception):
    """A source could not be read; the message says why, in pulse's words."""

    def __init__(self, message: str, retry_until: dt.datetime | None = None) -> None:
        super().__init__(message)
        self.retry_until = retry_until  # a 429/503 with Retry-After: not before this time


@dataclass(frozen=True)
class Response:
    """What a source returned: a body (status 200) or nothing new (304)."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


@dataclass(frozen=True)
class Limits:
    timeout: float
    max_bytes: int
    max_redirects: int
    user_agent: str


def is_local(url: str) -> bool:
    """A file:// URL or a plain path."""
    return url.lower().startswith("file://") or "://" not in url


def fetch(url: str, limits: Limits, *, etag: str | None = None, last_modified: str | None = None) -> Response:
    """Read `url` (http(s), file:// or a path) within `limits`; raise FetchError on any failure."""
    if is_local(url):
        return _read_file(url, limits.max_bytes)
    import requests

    headers = {"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate", "Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    session = requests.Session()
    session.max_redirects = limits.max_redirects
    try:
        with session.get(url, headers=headers, timeout=(limits.timeout, limits.timeout), stream=True) as response:
            names = {name.lower(): value for name, value in response.headers.items()}
            if response.status_code == 304:
                return Response(response.url, 304, b"", names)
            if response.status_code in (429, 503):
                wait = _retry_after(names.get("retry-after"))
                until = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(seconds=wait or 0)
                raise FetchError(f"HTTP {response.status_code}: {_wait_text(wait)}", until if wait else None)
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason or ''}".rstrip())
            body = _read_capped(response.raw, names.get("content-encoding", ""), limits)
            return Response(response.url, response.status_code, body, names)
    except requests.TooManyRedirects:
        raise FetchError(f"more than {limits.max_redirects} redirects (a redirect loop?)") from None
    except requests.ConnectTimeout:
        raise FetchError(f"no connection within {limits.timeout:g} s") from None
    except (requests.ReadTimeout, requests.exceptions.ChunkedEncodingError) as exc:
        if "timed out" in str(exc).lower() or isinstance(exc, requests.ReadTimeout):
            raise FetchError(f"no data for {limits.timeout:g} s (timed out)") from None
        raise FetchError("the connection broke while reading") from None
    except requests.ConnectionError:
        raise FetchError("cannot connect") from None
    except requests.RequestException as exc:
        raise FetchError(f"request failed ({type(exc).__name__})") from None
    finally:
        session.close()


_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


def _retry_after(value: str | None) -> int | None:
    """Seconds the server asks us to wait (Retry-After: seconds or an HTTP date); None when it does not say."""
    if not value:
        return None
    if value.strip().isdigit():
        return int(value.strip())
    try:
        when = parsedate_to_datetime(value)
        return max(0, round((when - dt.datetime.now(dt.timezone.utc)).total_seconds()))
    except (TypeError, ValueError):
        return None


def _wait_text(wait: int | None) -> str:
    if wait is None:
        return "the server is busy; skipped this run"
    return f"the server asks to retry after {wait} s; skipped this run"


def _read_capped(raw: Any, encoding: str, limits: Limits) -> bytes:
    """The body, decoded from gzip/deflate, refusing more than max_bytes before or after decoding."""
    cap = limits.max_bytes
    encoding = encoding.strip().lower()
    decoder = None
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    parts: list[bytes] = []
    size = raw_size = 0
    deadline = time.monotonic() + 3 * limits.timeout  # a server that trickles bytes is cut off too
    while True:
        chunk = raw.read(CHUNK, decode_content=False)
        if not chunk:
            break
        raw_size += len(chunk)
        if raw_size > cap:
            raise FetchError(f"larger than the cap of {cap:,} bytes")
        if time.monotonic() > deadline:
            raise FetchError(f"still sending after {3 * limits.timeout:g} s (timed out)")
        if decoder is None:
            parts.append(chunk)
            size += len(chunk)
            continue
        data = chunk
        while data:
            try:
                out = decoder.decompress(data, cap + 1 - size)
            except zlib.error:
                raise FetchError(f"the {encoding} content is corrupt") from None
            size += len(out)
            parts.append(out)
            if size > cap:
                raise FetchError(f"larger than the cap of {cap:,} bytes once decompressed")
            data = decoder.unconsumed_tail
    if decoder is not None:
        tail = decoder.flush()
        size += len(tail)
        if size > cap:
            raise FetchError(f"larger than the cap of {cap:,} bytes once decompressed")
        parts.append(tail)
    return b"".join(parts)


def _read_file(url: str, cap: int) -> Response:
    if url.lower().startswith("file://"):
        parts = urlsplit(url)
        path = Path(url2pathname(unquote(parts.path)))
    else:
        path = Path(url)
    try:
        with path.open("rb") as handle:
            body = handle.read(cap + 1)
    except FileNotFoundError:
        raise FetchError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise FetchError(f"{path} is a folder, not a feed") from None
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(body) > cap:
        raise FetchError(f"larger than the cap of {cap:,} bytes")
    return Response(path.as_uri(), 200, body, {})
