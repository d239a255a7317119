"""The flow spec model: what to audit, as a user writes it in YAML (see DESIGN.md, "Flow spec").

Small frozen dataclasses; loading and validating them is spec.py's job (building them from checked data,
spec_build.py's). Secrets from `inputs` are wrapped in `Secret` so that they print as `***` wherever they travel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from auditor.pace import MAX_RPS

MAX_STATE_BYTES = 16 * 1024 * 1024  # a storage-state file (cookies and local storage: a few KB in practice)
FlowKind = Literal["cancellation", "signup", "purchase", "in_app_purchase"]
PURCHASE_KINDS: frozenset[str] = frozenset({"purchase", "in_app_purchase"})


class Secret:
    """A value from `inputs`: usable by the explorer, never shown (repr/str/format give ***)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

    def __str__(self) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class SourceRef:
    """Where a flow was written: the spec file and the line of the flow's mapping."""

    file: str
    line: int


@dataclass(frozen=True)
class RequestMatch:
    """A request pattern: HTTP method (or '*') and a URL glob (fnmatch, case-sensitive)."""

    method: str = "*"
    url: str = "*"


@dataclass(frozen=True)
class Goal:
    """The flow is done when any given criterion holds: visible text, URL glob, or a request made."""

    text: tuple[str, ...] = ()
    url: str | None = None
    request: RequestMatch | None = None

    @property
    def empty(self) -> bool:
        return not self.text and self.url is None and self.request is None


@dataclass(frozen=True)
class Timeouts:
    """Seconds. navigation: a page load; action: one click/fill; settle: waiting for the DOM to go quiet;
    flow: the whole exploration of one flow."""

    navigation: float = 15.0
    action: float = 3.0
    settle: float = 3.0
    flow: float = 300.0


@dataclass(frozen=True)
class ExploreOptions:
    max_states: int = 60
    max_depth: int = 12
    max_actions: int = 400
    avoid: tuple[str, ...] = ()  # label texts (case-insensitive substring) or `css=SELECTOR`
    allow_side_effects: tuple[str, ...] = ()  # kinds of off-the-flow forms to submit anyway (explore/sidefx.py)
    allow_domains: tuple[str, ...] = ()  # hostnames; empty = the start URL's host
    exhaustive: bool = False  # keep exploring after the goal until the budget is spent
    timeouts: Timeouts = field(default_factory=Timeouts)


@dataclass(frozen=True)
class SetupStep:
    """One step run before `start` on every fresh browser context (e.g. logging in).

    action: goto (value = URL) | click (target = label text or `css=SELECTOR`) |
            fill (target = field label/name/placeholder or `css=...`, value may be a Secret) |
            press (target as fill, value = key name) | wait_for (target = text that must appear)
    """

    action: Literal["goto", "click", "fill", "press", "wait_for"]
    target: str | None = None
    value: str | Secret | None = None
    line: int = 0
    number: int = 0  # its place in the spec's `setup` list, from 1 (a `fill` of two fields is two steps, one number)


@dataclass(frozen=True)
class Viewport:
    width: int = 1280
    height: int = 800


@dataclass(frozen=True)
class Geolocation:
    latitude: float
    longitude: float
    accuracy: float = 50.0


@dataclass(frozen=True)
class Proxy:
    """A proxy the flow's browser context goes through (`server` such as http://proxy.example:3128 or
    socks5://host:1080); `password` is a Secret, never shown."""

    server: str
    bypass: str | None = None
    username: str | None = None
    password: Secret | None = None

    def to_playwright(self) -> dict[str, str]:
        out = {"server": self.server}
        if self.bypass:
            out["bypass"] = self.bypass
        if self.username:
            out["username"] = self.username
        if self.password is not None:
            out["password"] = self.password.reveal()
        return out

    def shown(self) -> str:
        """The proxy as a report may show it: its server only, never credentials (the loader took any out of
        the URL; a `user:password@` that got in some other way is cut here too)."""
        scheme, sep, rest = self.server.rpartition("://")
        return f"{scheme}{sep}{rest.rpartition('@')[2]}"


@dataclass(frozen=True)
class FlowSpec:
    name: str
    kind: FlowKind
    start: str
    goal: Goal
    source: SourceRef
    compare_with: str | None = None
    profile: Literal["adult", "child"] = "adult"
    charges: tuple[RequestMatch, ...] = ()
    inputs: dict[str, Secret] = field(default_factory=dict)  # key: label, name or placeholder
    setup: tuple[SetupStep, ...] = ()
    explore: ExploreOptions = field(default_factory=ExploreOptions)
    viewport: Viewport = field(default_factory=Viewport)
    device: str | None = None  # a Playwright device name, e.g. "iPhone 13"; overrides viewport
    # ---- who and where the browser is (issue 16) ----
    storage_state: str | None = None  # a Playwright storage-state file (absolute: resolved against the spec file)
    locale: str | None = None  # e.g. de-DE: navigator.language and the Accept-Language header
    timezone: str | None = None  # an IANA zone, e.g. Europe/Berlin
    geolocation: Geolocation | None = None  # granted to the site's pages
    headers: dict[str, Secret] = field(default_factory=dict)  # extra HTTP headers on every request (values hidden)
    proxy: Proxy | None = None
    trace: Literal["off", "on", "retain-on-finding"] = "off"  # set by `--trace` (a run option, not a spec key)
    max_rps: float = MAX_RPS  # set by `--max-rps` (a run option): requests a second to a host, per flow (pace.py)
    default_charges: bool = True  # a purchase flow's shipped charge patterns (charges.yaml); `--no-default-charges`
    digest: str = ""  # sha256 of the spec file's bytes: which version of the spec a report was made from

    def context_record(self) -> dict[str, object]:
        """Who and where the browser was, for the graph and the report: nothing secret (header names only,
        the proxy's server only, the storage-state file's name only)."""
        return {
            "device": self.device,
            "viewport": None if self.device else {"width": self.viewport.width, "height": self.viewport.height},
            "locale": self.locale,
            "timezone": self.timezone,
            "geolocation": None
            if self.geolocation is None
            else {"latitude": self.geolocation.latitude, "longitude": self.geolocation.longitude},
            "headers": sorted(self.headers),
            "proxy": self.proxy.shown() if self.proxy else None,
            "storage_state": self.storage_state,
        }
