"""A tiny hand-made site on loopback: each path answers from a table of `Reply`s, and every
request is logged (for the crawl policy and scope tests; the generated mirror is
`gpscrape.mirror`)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: str | bytes = "<html><body></body></html>"
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # serve this many times, then fall through to `then`
    delay: float = 0.0  # seconds before answering
    then: Reply | None = None


@dataclass
class Hit:
    path: str
    user_agent: str
    at: float


class Site:
    """A loopback HTTP server answering from a path -> Reply table, logging each request."""

    def __init__(self, routes: dict[str, Reply], host: str = "127.0.0.1") -> None:
        self.routes = routes
        self.hits: list[Hit] = []
        self.in_flight = self.peak_in_flight = 0
        self._lock = threading.Lock()
        self._served: dict[str, int] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.hits.append(Hit(self.path, self.headers.get("User-Agent", ""), time.time()))
                reply = site.reply_for(self.path)
                with site._lock:
                    site.in_flight += 1
                    site.peak_in_flight = max(site.peak_in_flight, site.in_flight)
                time.sleep(reply.delay)
                with site._lock:
                    site.in_flight -= 1
                data = reply.body if isinstance(reply.body, bytes) else reply.body.encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.base_url = f"http://{host}:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reply_for(self, path: str) -> Reply:
        reply = self.routes.get(path, Reply(404, "not here"))
        count = self._served.get(path, 0)
        self._served[path] = count + 1
        while reply.times is not None and count >= reply.times and reply.then is not None:
            count -= reply.times
            reply = reply.then
        return reply

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def links(*hrefs: str) -> str:
    return "<html><body>" + "".join(f'<a href="{h}">x</a>' for h in hrefs) + "</body></html>"
