"""`MirrorServer`: serves a `MirrorSite` over HTTP on loopback, with faults and a request log."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import quote, unquote

from gpscrape.extract.record import PageRecord
from gpscrape.mirror import faults as f
from gpscrape.mirror.faults import FaultPlan
from gpscrape.mirror.render import page
from gpscrape.mirror.site import MirrorSite, Page
from gpscrape.mirror.urls import parse_target

MOVED = "/moved.php"  # the middle leg of a redirect loop


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the server saw. `status` is None when the connection was reset."""

    method: str
    target: str
    status: int | None
    time: float
    record_no: int | None = None
    fault: str | None = None
    conditional: bool = False  # sent If-None-Match or If-Modified-Since
    user_agent: str | None = None


class MirrorServer:
    """A `ThreadingHTTPServer` in a background thread; use as a context manager."""

    def __init__(
        self,
        site: MirrorSite,
        port: int = 0,
        host: str = "127.0.0.1",
        latency: float = 0.0,
        faults: FaultPlan | None = None,
    ) -> None:
        self.site = site
        self.latency = latency
        self.faults = faults or FaultPlan()
        self._log: list[RequestRecord] = []
        self._attempts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = _HTTPServer((host, port), _Handler, self)
        self._thread: threading.Thread | None = None
        host_name, bound_port = self._httpd.server_address[:2]
        self.base_url = f"http://{host_name}:{bound_port}/"

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> MirrorServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True,
                                        name="mirror-server")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # --- conveniences bound to this server's base URL ----------------------------------------
    def article_urls(self, record_no: int) -> list[str]:
        return self.site.article_urls(record_no, self.base_url)

    def url(self, target: str) -> str:
        """Absolute URL of a root-relative target."""
        return self.base_url.rstrip("/") + target

    def expected(self, record_no: int, url: str | None = None) -> PageRecord:
        return self.site.expected(record_no, self.base_url, url)

    def faulty_records(self) -> dict[int, str]:
        """recordNo -> fault kind under this server's fault plan."""
        return self.faults.faulty(self.site.record_nos())

    # --- request log ----------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of the request log, in arrival order."""
        with self._lock:
            return list(self._log)

    def article_requests(self) -> list[tuple[int, str]]:
        """(recordNo, absolute URL) of every request to an article script."""
        return [(r.record_no, self.url(r.target)) for r in self.requests
                if r.record_no is not None and parse_target(r.target).is_article]

    def count(self, status: int | None = None) -> int:
        """Number of logged requests, optionally only those answered with `status`."""
        return sum(1 for r in self.requests if status is None or r.status == status)

    def clear_log(self) -> None:
        """Forget logged requests and attempt counts (transient faults strike again)."""
        with self._lock:
            self._log.clear()
            self._attempts.clear()

    # --- handling -------------------------------------------------------------------------
    def _attempt(self, target: str) -> int:
        with self._lock:
            self._attempts[target] += 1
            return self._attempts[target]

    def _record(self, entry: RequestRecord) -> None:
        with self._lock:
            self._log.append(entry)

    def handle(self, handler: _Handler, head: bool) -> None:
        target = handler.path
        if target.startswith(MOVED):
            back = unquote(target.partition("?to=")[2]) or "/"
            reply, record_no, fault = Reply(302, {"Location": self.url(back)}), None, None
        else:
            result = self.site.respond(target, self.base_url)
            if self.faults.endless_listing:
                result = self.site.endless_archive_page(target) or result
            record_no, fault = result.record_no, None
            if parse_target(target).is_article and result.status == 200 and record_no is not None:
                fault = self.faults.active(record_no, self._attempt(target))
            reply = self._reply(handler, target, result, fault)
            if self.latency:
                time.sleep(self.latency)
            if fault == f.SLOW:
                time.sleep(self.faults.slow_seconds)
        status = None if reply.action == f.RESET else reply.status
        conditional = any(handler.headers.get(h) for h in ("If-None-Match", "If-Modified-Since"))
        self._record(RequestRecord(handler.command, target, status, time.time(), record_no, fault,
                                   conditional, handler.headers.get("User-Agent")))
        reply.send(handler, head)

    def _reply(self, handler: _Handler, target: str, result: Page, fault: str | None) -> Reply:
        plan = self.faults
        if fault == f.RESET:
            return Reply(0, action=f.RESET)
        if fault in (f.HTTP_500, f.HTTP_503, f.HTTP_429):
            extra = {} if fault == f.HTTP_500 else {"Retry-After": str(plan.retry_after)}
            body = f"<html><body><h1>Error {fault}</h1></body></html>\n".encode()
            return Reply(int(fault), extra, body)
        if fault == f.REDIRECT_LOOP:
            return Reply(302, {"Location": self.url(f"{MOVED}?to={quote(target, safe='')}")})
        if fault == f.OFFSITE:
            return Reply(302, {"Location": f"{plan.offsite_url}?recordNo={result.record_no}"})
        if fault == f.BROKEN:
            junk = ("<div class=\"content\"><p>&nbsp;</p><p>Loading&hellip;</p>"
                    "<table><tr><td>|</td></tr></table></div>")
            return Reply(200, {}, page("Global Politics", junk, ("#", "#")).encode())
        headers = {"Content-Type": result.content_type}
        if result.last_modified is not None:
            headers["ETag"] = result.etag
            headers["Last-Modified"] = format_datetime(result.last_modified, usegmt=True)
            if _not_modified(handler, result):
                return Reply(304, headers)
        action = f.TRUNCATE if fault == f.TRUNCATE else None
        return Reply(result.status, headers, result.body, action)


@dataclass(frozen=True, slots=True)
class Reply:
    """What to send back: a status, headers and body, or a broken connection (`action`)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    action: str | None = None

    def send(self, handler: _Handler, head: bool) -> None:
        if self.action == f.RESET:
            handler.reset()
            return
        handler.send_response(self.status)
        headers = {"Content-Type": "text/html; charset=utf-8", **self.headers,
                   "Content-Length": str(len(self.body))}
        if self.action == f.TRUNCATE:
            headers["Connection"] = "close"
            handler.close_connection = True
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        if head or self.status == 304:
            return
        handler.wfile.write(self.body[: len(self.body) // 2] if self.action else self.body)


def _not_modified(handler: BaseHTTPRequestHandler, result: Page) -> bool:
    tags = handler.headers.get("If-None-Match")
    if tags is not None:
        return tags.strip() == "*" or result.etag in [t.strip() for t in tags.split(",")]
    since = handler.headers.get("If-Modified-Since")
    if since and result.last_modified is not None:
        try:
            return result.last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[_Handler],
                 mirror: MirrorServer) -> None:
        self.mirror = mirror
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server: _HTTPServer
    server_version = "MirrorHTTP/1.0"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.mirror.handle(self, head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self.server.mirror.handle(self, head=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silence the per-request stderr line."""

    def reset(self) -> None:
        """Close the connection with a TCP RST, without any response."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()
