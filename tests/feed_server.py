"""A real HTTP server on 127.0.0.1 for the ingestion tests: fixture feeds, conditional GET, and faults.

/feeds/NAME          a file of tests/data/feeds, with an ETag and Last-Modified (304 when they match)
/typed/NAME?type=T   the same file served with Content-Type T (a wrong one, for instance)
/fault/500           an internal server error
/fault/loop          a redirect to itself, forever
/fault/moved/NAME    301 to /feeds/NAME
/fault/slow          answers after `slow` seconds
/fault/big           3 MB with no Content-Length (closed to end it)
/fault/bomb          a small gzip body that inflates to 64 MB
/fault/html          a web page
/fault/busy          429 with Retry-After: 120
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FEEDS = Path(__file__).resolve().parent / "data" / "feeds"
LAST_MODIFIED = "Mon, 16 Mar 2026 12:00:00 GMT"
TYPES = {
    ".xml": "application/rss+xml",
    ".rdf": "application/rdf+xml",
    ".json": "application/feed+json",
    ".opml": "text/x-opml",
    ".html": "text/html; charset=utf-8",
}
_BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


class FeedServer:
    """Serves the fixtures on a free port and records every request (path and headers)."""

    def __init__(self, slow: float = 3.0) -> None:
        self.slow = slow
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                with server.lock:
                    server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server.handle(self)

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # every source connects at once

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests_for(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [headers for seen, headers in self.requests if seen == path]

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        path = parts.path
        if path.startswith(("/feeds/", "/typed/")):
            name = path.split("/", 2)[2]
            file = FEEDS / name
            if "/" in name or not file.is_file():
                self.send(request, 404, b"not found")
                return
            body = file.read_bytes()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if request.headers.get("If-None-Match") == etag:
                self.send(request, 304, b"", {"ETag": etag})
                return
            kind = TYPES.get(file.suffix, "application/octet-stream")
            if path.startswith("/typed/"):
                kind = parse_qs(parts.query).get("type", ["text/plain"])[0]
            self.send(request, 200, body, {"Content-Type": kind, "ETag": etag, "Last-Modified": LAST_MODIFIED})
        elif path == "/fault/500":
            self.send(request, 500, b"oops")
        elif path == "/fault/loop":
            self.send(request, 302, b"", {"Location": "/fault/loop"})
        elif path.startswith("/fault/moved/"):
            self.send(request, 301, b"", {"Location": "/feeds/" + path.rsplit("/", 1)[1]})
        elif path == "/fault/slow":
            time.sleep(self.slow)
            self.send(request, 200, (FEEDS / "rss20.xml").read_bytes(), {"Content-Type": "application/rss+xml"})
        elif path == "/fault/big":
            request.send_response(200)
            request.send_header("Content-Type", "application/rss+xml")
            request.send_header("Connection", "close")
            request.end_headers()
            chunk = b"<!-- " + b"x" * 65000 + b" -->\n"
            for _ in range(48):
                request.wfile.write(chunk)
            request.close_connection = True
        elif path == "/fault/bomb":
            self.send(request, 200, _BOMB, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})
        elif path == "/fault/html":
            self.send(request, 200, (FEEDS / "page.html").read_bytes(), {"Content-Type": "text/html"})
        elif path == "/fault/busy":
            self.send(request, 429, b"slow down", {"Retry-After": "120"})
        else:
            self.send(request, 404, b"not found")

    @staticmethod
    def send(request: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        request.send_response(status)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if body:
            request.wfile.write(body)
