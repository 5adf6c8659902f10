"""Safe by default: the workspace answers only its own planner, on this machine.

One ASGI middleware in front of every route, static files included:

1. **Host** must be ``127.0.0.1:PORT``, ``localhost:PORT`` or the ``--host`` given
   (``[::1]:PORT`` too), else 400: a web page elsewhere cannot reach the server through a
   DNS name it rebinds to 127.0.0.1.
2. **Access token**: ``arshjul serve`` prints one URL with a random token (as Jupyter does).
   ``GET ?token=...`` with the right token starts a session — an HttpOnly, SameSite=Strict
   cookie holding a random session id, never the token — and redirects to the same address
   without the token, so it leaves the address bar and the history.  Every other request
   needs that cookie.  Wrong or missing: 403 and no data.
3. **CSRF**: every request that is not GET or HEAD carries the session's CSRF token (form
   field ``csrf`` or header ``X-CSRF-Token``), compared with :func:`hmac.compare_digest`;
   a foreign ``Origin`` or ``Sec-Fetch-Site`` is refused too.  Else 403.
4. **Headers** on every answer, errors included: a Content-Security-Policy of
   ``default-src 'self'`` with no inline script, ``frame-ancestors 'none'``, nosniff,
   ``Referrer-Policy: no-referrer`` and ``Cache-Control: no-store``.

Tokens are compared in constant time; the session's CSRF token is an HMAC of its session id
under a key made at start, so nothing but the session ids is stored.

The regions' side has its own way in, never the planner's (:class:`RegionAccess`):

- ``GET /r/<link token>``: a region link (``arshjul links create``; stored only as its
  SHA-256, expiring, revocable) starts a *region session* — its own HttpOnly, SameSite=Strict
  cookie, scoped to that one region and person — and the page moves on to ``/r`` by a meta
  refresh (a redirect would carry a SameSite=Strict cookie badly after a click in webmail).
  Every ``/r…`` route needs that cookie; the link is looked up again on every request, so a
  revoked or expired link ends its sessions at once.  A region session is no planner session
  (every planner route answers 403) and the planner's session opens no region page.
- ``GET /feed/<feed token>.ics``: the token is the credential (calendar programs send no
  cookie); its feed is scoped to one region, theme or host.
- **Rate limit**: a client (by address) with 10 failed token attempts — planner, region link
  or feed — in a minute gets 429 until the minute has passed, before any token is checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from ..i18n import Language, web_translations
from .strings import MESSAGES

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("cache-control", "no-store"),
)
MAX_BODY = 64 * 1024
"""Forms here are a few fields; anything bigger is refused before it is read whole."""
SAFE_METHODS = ("GET", "HEAD")
CSRF_SCOPE_KEY = "arshjul.csrf"
"""Where the middleware leaves the session's CSRF token for the templates."""
REGION_SCOPE_KEY = "arshjul.region"
"""Where the middleware leaves the :class:`RegionSession` of a region request."""
FEED_SCOPE_KEY = "arshjul.feed"
"""Where the middleware leaves the feed (kind, subject) a feed token opened."""
MAX_FAILURES = 10
FAILURE_WINDOW = 60.0
MIN_LINK_TOKEN = 32
"""A path segment after ``/r/`` this long is a link token; shorter ones are region pages."""


def new_token() -> str:
    """A fresh access token (``secrets.token_urlsafe(32)``: 256 random bits)."""
    return secrets.token_urlsafe(32)


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Host header values the server answers to."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    if host and host not in ("0.0.0.0", "::"):
        names.add(f"[{host}]" if ":" in host and not host.startswith("[") else host)
    return frozenset(f"{name}:{port}".lower() for name in names)


class RateLimit:
    """Failed token attempts per client in a sliding window."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._failures.setdefault(client, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client, time.monotonic())) >= self.limit

    def fail(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
            if len(self._failures) > 10_000:  # forget the oldest clients, never grow unbounded
                for key in list(self._failures)[:5_000]:
                    del self._failures[key]


@dataclass(frozen=True)
class RegionSession:
    """Who a region session is: the link it came through, its region and person."""

    link_id: int
    region: str
    person: str


class RegionAccess:
    """Region sessions (in memory; a restart asks for the link again) over the store's links."""

    def __init__(self, store: Any, cookie: str, key: bytes | None = None) -> None:
        self.store = store
        self.cookie = cookie
        self.key = key or secrets.token_bytes(32)
        self._sessions: dict[str, int] = {}
        self._lock = threading.Lock()

    def login(self, token: str) -> str | None:
        """A new region session id for a valid link token, else ``None``."""
        link = self.store.link_by_token(token)
        if link is None or not link.valid(_utc_now()):
            return None
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[sid] = link.id
        return sid

    def session(self, sid: str | None) -> RegionSession | None:
        if not sid:
            return None
        with self._lock:
            link_id = self._sessions.get(sid)
        if link_id is None:
            return None
        link = self.store.link(link_id)
        if link is None or not link.valid(_utc_now()):
            with self._lock:
                self._sessions.pop(sid, None)
            return None
        return RegionSession(link.id, link.region, link.person)

    def csrf_for(self, sid: str) -> str:
        return hmac.new(self.key, f"region-csrf:{sid}".encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, sid: str, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(self.csrf_for(sid).encode(), str(given).encode())


def _utc_now() -> Any:
    """Now as the store keeps times (UTC without a zone)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class Access:
    """Who may use this server: the token, the hosts, the live sessions."""

    token: str
    hosts: frozenset[str]
    cookie: str
    """The session cookie's name (with the port: cookies are shared across ports)."""
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    limiter: RateLimit = field(default_factory=RateLimit)
    _sessions: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def make(cls, *, token: str, host: str, port: int) -> Access:
        return cls(token=token, hosts=allowed_hosts(host, port), cookie=f"arshjul_session_{port}")

    def token_ok(self, given: str) -> bool:
        return hmac.compare_digest(given.encode(), self.token.encode())

    def open_session(self) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions.add(sid)
        return sid

    def session_ok(self, sid: str | None) -> bool:
        if not sid:
            return False
        with self._lock:
            known = list(self._sessions)
        # constant time against every live session (there are a handful)
        return any(hmac.compare_digest(sid.encode(), s.encode()) for s in known)

    def csrf_for(self, sid: str) -> str:
        return hmac.new(self.key, f"csrf:{sid}".encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, sid: str, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(self.csrf_for(sid).encode(), str(given).encode())


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookie(headers: dict[str, str], name: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is no session
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


async def _plain(send: Send, status: int, text: str, extra: tuple[tuple[str, str], ...] = ()) -> None:
    body = text.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *((k.encode(), v.encode()) for k, v in (*SECURITY_HEADERS, *extra)),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def asked_language(headers: dict[str, str]) -> Language:
    """The language a request asks for in ``Accept-Language`` (``sv-SE,sv;q=0.9,en;q=0.8``):
    the workspace's language it ranks highest, else English.  The guard answers before the
    workspace is read (a refused request reads no scenario), so this, not the scenario's
    ``language:``, chooses the words of a refusal."""
    best: tuple[float, int, Language] | None = None
    for k, item in enumerate(headers.get("accept-language", "").split(",")[:32]):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().partition("-")[0]
        lang: Language | None = "sv" if primary == "sv" else "en" if primary == "en" else None
        if lang is None:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and (best is None or (q, -k) > (best[0], best[1])):
            best = (q, -k, lang)
    return best[2] if best is not None else "en"


def said(key: str, lang: Language = "en") -> str:
    """A refusal's words (:data:`arshjul.web.strings.MESSAGES`) in ``lang``, as one line."""
    return web_translations(lang).gettext(MESSAGES[key]) + "\n"


def signed_in_region(lang: Language = "en") -> str:
    """The page a region link opens: it moves on to ``/r`` by a meta refresh."""
    words = web_translations(lang).gettext

    def w(key: str) -> str:
        return html.escape(words(MESSAGES[key]), quote=False)

    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0;url=/r"><title>{w("guard_signed_in_title")}</title></head>'
        f'<body><p>{w("guard_signed_in")} <a href="/r">{w("guard_continue_region")}</a>.</p></body></html>'
    )


FORBIDDEN = said("guard_forbidden")
REGION_FORBIDDEN = said("guard_region_forbidden")
TOO_MANY = said("guard_too_many")
SIGNED_IN_REGION = signed_in_region()
"""The English words (what a request that asks for no language gets)."""


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "?"


class Guard:
    """The middleware: see the module docstring for what it checks, in that order."""

    def __init__(self, app: ASGIApp, access: Access, regions: RegionAccess | None = None) -> None:
        self.app = app
        self.access = access
        self.regions = regions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan; there are no websockets
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        lang = asked_language(headers)
        if headers.get("host", "").lower() not in self.access.hosts:
            await _plain(send, 400, said("guard_bad_host", lang))
            return
        method = scope["method"].upper()
        path = scope.get("path", "/")
        if self.regions is not None and (path.startswith("/feed/") or path == "/r" or path.startswith("/r/")):
            await self._regions(scope, receive, send, headers, method, path, self.regions)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        tokens = [v for k, v in query if k == "token"]
        if tokens and method in SAFE_METHODS:
            await self._login(scope, send, tokens[0], [(k, v) for k, v in query if k != "token"], lang)
            return
        sid = _cookie(headers, self.access.cookie)
        if not self.access.session_ok(sid):
            region = self.regions.session(_cookie(headers, self.regions.cookie)) if self.regions else None
            if region is not None and path.startswith("/static/") and method in SAFE_METHODS:
                await self.app(scope, receive, _with_headers(send))  # the region pages' css and js
                return
            await _plain(send, 403, said("guard_forbidden", lang))
            return
        assert sid is not None
        scope[CSRF_SCOPE_KEY] = self.access.csrf_for(sid)
        await self._checked(
            scope, receive, send, headers, method, lambda given: self.access.csrf_ok(sid, given)
        )

    async def _checked(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: dict[str, str],
        method: str,
        csrf_ok: Callable[[str | None], bool],
    ) -> None:
        """Same origin and CSRF for anything but GET/HEAD, then the app."""
        if method not in SAFE_METHODS:
            if not self._same_origin(headers):
                await _plain(send, 403, said("guard_other_site", asked_language(headers)))
                return
            body = await _read_body(receive)
            if body is None:
                await _plain(send, 413, said("guard_too_large", asked_language(headers)))
                return
            given = headers.get("x-csrf-token")
            if given is None and headers.get("content-type", "").startswith(
                "application/x-www-form-urlencoded"
            ):
                form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
                given = form.get("csrf")
            if not csrf_ok(given):
                await _plain(send, 403, said("guard_stale_form", asked_language(headers)))
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, _with_headers(send))

    async def _regions(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: dict[str, str],
        method: str,
        path: str,
        regions: RegionAccess,
    ) -> None:
        client = _client(scope)
        lang = asked_language(headers)
        segment = path[len("/r/") :] if path.startswith("/r/") else ""
        is_feed = path.startswith("/feed/")
        is_login = not is_feed and len(segment) >= MIN_LINK_TOKEN and "/" not in segment
        if (is_feed or is_login) and self.access.limiter.blocked(client):
            await _plain(
                send, 429, said("guard_too_many", lang), (("retry-after", str(int(FAILURE_WINDOW))),)
            )
            return
        if is_feed:
            if method not in SAFE_METHODS:
                await _plain(send, 405, said("guard_method", lang), (("allow", "GET, HEAD"),))
                return
            token = path[len("/feed/") :].removesuffix(".ics")
            feed = regions.store.feed_by_token(token) if path.endswith(".ics") and token else None
            if feed is None:
                self.access.limiter.fail(client)
                await _plain(send, 404, said("guard_no_calendar", lang))
                return
            scope[FEED_SCOPE_KEY] = feed
            await self.app(scope, receive, _with_headers(send))
            return
        if is_login:
            if method not in SAFE_METHODS:
                await _plain(send, 403, said("guard_region_forbidden", lang))
                return
            rsid = regions.login(segment)
            if rsid is None:
                self.access.limiter.fail(client)
                await _plain(send, 403, said("guard_region_forbidden", lang))
                return
            body = signed_in_region(lang).encode()
            cookie = f"{regions.cookie}={rsid}; Path=/; HttpOnly; SameSite=Strict"
            extra = (("set-cookie", cookie),)
            out = [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *((k.encode(), v.encode()) for k, v in (*SECURITY_HEADERS, *extra)),
            ]
            await send({"type": "http.response.start", "status": 200, "headers": out})
            await send({"type": "http.response.body", "body": body})
            return
        rsid = _cookie(headers, regions.cookie)
        region = regions.session(rsid)
        if region is None or rsid is None:
            await _plain(send, 403, said("guard_region_forbidden", lang))
            return
        scope[REGION_SCOPE_KEY] = region
        scope[CSRF_SCOPE_KEY] = regions.csrf_for(rsid)
        await self._checked(scope, receive, send, headers, method, lambda given: regions.csrf_ok(rsid, given))

    def _same_origin(self, headers: dict[str, str]) -> bool:
        """No sign of another site: ``Origin`` (when the browser names one; it says ``null``
        under ``Referrer-Policy: no-referrer``) is this server, and ``Sec-Fetch-Site`` (when
        sent) is same-origin.  The CSRF token is the check that counts; this one is extra."""
        origin = headers.get("origin")
        if origin is not None and origin != "null":
            scheme, _, rest = origin.lower().partition("://")
            if scheme != "http" or rest not in self.access.hosts:
                return False
        return headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")

    async def _login(
        self, scope: Scope, send: Send, given: str, rest: list[tuple[str, str]], lang: Language = "en"
    ) -> None:
        client = _client(scope)
        if self.access.limiter.blocked(client):
            await _plain(
                send, 429, said("guard_too_many", lang), (("retry-after", str(int(FAILURE_WINDOW))),)
            )
            return
        if not self.access.token_ok(given):
            self.access.limiter.fail(client)
            await _plain(send, 403, said("guard_forbidden", lang))
            return
        sid = self.access.open_session()
        path = scope.get("path", "/")
        if not path.startswith("/") or path.startswith("//") or "\\" in path:
            path = "/"  # never a redirect that a browser could read as another host
        location = quote(path) + (f"?{urlencode(rest)}" if rest else "")
        cookie = f"{self.access.cookie}={sid}; Path=/; HttpOnly; SameSite=Strict"
        await _plain(
            send, 303, said("guard_signed_in", lang), (("location", location), ("set-cookie", cookie))
        )


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, rest: Receive) -> Receive:
    """The body read for the CSRF check, once; then the client's own messages (disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await rest()

    return receive


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            names = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS if k.encode() not in names]
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return wrapped
