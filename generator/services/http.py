"""One polite HTTP client for every scholarly service: retries, rate limits, a cache, offline.

Services are third parties that ask to be treated well (arXiv: one request every 3 s; Crossref:
a `mailto` for its polite pool), so every request goes through `Client.get`. Responses are
cached on disk as JSON data (never pickle, never executable), keyed by the URL's SHA-256, so a
second run and `--offline` need no network. The clock and sleep are injectable so tests check
the spacing and the backoff without waiting.
"""

from __future__ import annotations

import email.utils
import hashlib
import importlib.metadata
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from generator.errors import ReadingListError

VERSION = importlib.metadata.version("readinglist")
"""The installed package's version (pyproject.toml says it), named in the User-Agent."""
RETRIES = 4
"""Attempts after the first on 429/5xx/timeouts: with 1-2-4-8 s backoff, under half a minute."""
MAX_RETRY_AFTER = 60.0
"""A longer Retry-After is not worth waiting for in an interactive command: fail instead."""
CACHE_MAX_BYTES = 50_000_000
"""The cache is trimmed (oldest first) to this size: enough for thousands of responses."""
MIN_INTERVAL = {
    "arxiv": 3.0,
    "crossref": 0.1,
    "datacite": 0.1,
    "openalex": 0.1,
    "semanticscholar": 1.0,
}
"""Seconds between two requests to one service (arXiv's API terms ask for 3 s)."""


class ServiceError(ReadingListError):
    """A service failed for one paper; the message is one line naming both."""


@dataclass(frozen=True)
class Response:
    status: int
    text: str
    content_type: str


@dataclass
class Client:
    """GET with retries, per-service spacing, an on-disk cache and an offline mode."""

    cache_dir: Path | None = None
    contact: str | None = None
    offline: bool = False
    transport: httpx.BaseTransport | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    timeout: float = 20.0
    _last: dict[str, float] = field(default_factory=dict)
    _http: httpx.Client | None = None

    @property
    def user_agent(self) -> str:
        contact = f" (mailto:{self.contact})" if self.contact else ""
        return f"readinglist/{VERSION}{contact}"

    def get(self, service: str, url: str, what: str) -> Response:
        """The response to GET url (any status below 500 but 429); ServiceError otherwise.

        `what` names the paper in messages."""
        cached = self._cached(url)
        if cached is not None:
            return cached
        if self.offline:
            raise ServiceError(f"{service}: {what}: not in the cache and --offline is set ({url})")
        delay = 1.0
        for attempt in range(RETRIES + 1):
            self._space(service)
            try:
                reply = self._client().get(url)
            except httpx.TimeoutException:
                problem = "timed out"
                wait = delay
            except httpx.HTTPError as exc:
                raise ServiceError(f"{service}: {what}: {type(exc).__name__}: {exc}") from None
            else:
                if reply.status_code != 429 and reply.status_code < 500:
                    response = Response(
                        reply.status_code, reply.text, reply.headers.get("content-type", "")
                    )
                    if reply.status_code < 400 or reply.status_code == 404:
                        self._store(url, response)
                    return response
                problem = f"HTTP {reply.status_code}"
                asked = _retry_after(reply.headers.get("retry-after"), now=time.time())
                wait = delay if asked is None else asked
                if wait > MAX_RETRY_AFTER:
                    raise ServiceError(
                        f"{service}: {what}: {problem}, asked to wait {wait:.0f} s; try later"
                    )
            if attempt == RETRIES:
                break
            self.sleep(wait)
            delay *= 2
        raise ServiceError(f"{service}: {what}: {problem} after {RETRIES + 1} attempts ({url})")

    def get_json(self, service: str, url: str, what: str) -> Any | None:
        """The JSON body of a 200 answer; None on 404 (the thing is not known there, whatever
        the body: Crossref's is plain text, OpenAlex's HTML); ServiceError otherwise."""
        response = self.get(service, url, what)
        if response.status == 404:
            return None
        if response.status != 200:
            raise ServiceError(f"{service}: {what}: HTTP {response.status}")
        try:
            return json.loads(response.text)
        except ValueError:
            raise ServiceError(f"{service}: {what}: malformed response (not JSON)") from None

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(
                transport=self.transport,
                timeout=self.timeout,
                headers={"User-Agent": self.user_agent},
                follow_redirects=True,
            )
        return self._http

    def _space(self, service: str) -> None:
        gap = MIN_INTERVAL.get(service, 1.0)
        last = self._last.get(service)
        if last is not None:
            wait = last + gap - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[service] = self.clock()

    def _path(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()}.json"

    def _cached(self, url: str) -> Response | None:
        path = self._path(url)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("url") != url:
                return None
            return Response(int(data["status"]), str(data["text"]), str(data["content_type"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is fetched again, not trusted

    def _store(self, url: str, response: Response) -> None:
        path = self._path(url)
        if path is None or self.cache_dir is None:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        data = {
            "url": url,
            "status": response.status,
            "content_type": response.content_type,
            "text": response.text,
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
        _trim(self.cache_dir, CACHE_MAX_BYTES)


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _trim(folder: Path, limit: int) -> None:
    entries = [(p.stat().st_mtime, p.stat().st_size, p) for p in folder.glob("*.json")]
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        path.unlink(missing_ok=True)
        total -= size
