"""Building FlowSpecs from spec data that already passed the schema (see spec.py for the model).

Kept apart from spec.py only for length. What remains to check after the schema is what needs the
environment (`${VAR}` expansion) or the expanded value (is `start` a web URL?); both are gathered as
problems at the value's line so the user sees every one in a single run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import zoneinfo
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from auditor.files import FileProblem, read_capped
from auditor.spec_model import (
    MAX_STATE_BYTES,
    ExploreOptions,
    FlowSpec,
    Geolocation,
    Goal,
    Proxy,
    RequestMatch,
    Secret,
    SetupStep,
    SourceRef,
    Timeouts,
    Viewport,
)
from auditor.yamlsource import KeyPath, Problem, YamlDoc, clip, label

_VAR = re.compile(r"\$\$|\$\{([^}]*)\}")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)?[^/?#]*@")
_BAD_VAR = "a ${...} reference needs a name of letters, digits and _ (write $$ for a literal $)"


class Loaded(NamedTuple):
    """A built flow plus the lines the cross-file checks point at."""

    spec: FlowSpec
    name_line: int
    compare_line: int


class FlowBuilder:
    """Turns schema-valid data into FlowSpecs, expanding `${VAR}` and gathering the problems it finds."""

    def __init__(self, doc: YamlDoc, *, need_state: bool = True) -> None:
        """`need_state`: a `storage_state` file must exist and be one (False for `auditor login`, which
        writes it)."""
        self.doc = doc
        self.need_state = need_state
        self.problems: list[Problem] = []

    def flow(self, raw: dict[str, Any], at: KeyPath) -> Loaded:
        start = self.web_url(raw["start"], at + ("start",))
        geo = raw.get("geolocation")
        spec = FlowSpec(
            name=raw["name"],
            kind=raw["kind"],
            start=start or "",
            goal=self.goal(raw.get("goal", {}), at + ("goal",)),
            source=SourceRef(self.doc.file, self.doc.line(at)),
            compare_with=raw.get("compare_with"),
            profile=raw.get("profile", "adult"),
            charges=tuple(self.request(c, at + ("charges", i)) for i, c in enumerate(raw.get("charges", []))),
            inputs={key: self.secret(value, at + ("inputs", key)) for key, value in raw.get("inputs", {}).items()},
            setup=tuple(self.setup(raw.get("setup", []), at + ("setup",), start)),
            explore=_explore(raw.get("explore", {})),
            viewport=Viewport(**raw.get("viewport", {})),
            device=raw.get("device"),
            storage_state=self.state_file(raw["storage_state"], at + ("storage_state",))
            if "storage_state" in raw
            else None,
            locale=raw.get("locale"),
            timezone=self.timezone(raw["timezone"], at + ("timezone",)) if "timezone" in raw else None,
            geolocation=Geolocation(**{k: float(v) for k, v in geo.items()}) if geo else None,
            headers={key: self.secret(value, at + ("headers", key)) for key, value in raw.get("headers", {}).items()},
            proxy=self.proxy(raw["proxy"], at + ("proxy",)) if "proxy" in raw else None,
            digest=hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest(),
        )
        return Loaded(spec, self.doc.line(at + ("name",)), self.doc.line(at + ("compare_with",)))

    def goal(self, raw: dict[str, Any], at: KeyPath) -> Goal:
        text = raw.get("text", ())
        return Goal(
            text=(text,) if isinstance(text, str) else tuple(text),
            url=self.expand(raw["url"], at + ("url",)) if "url" in raw else None,
            request=self.request(raw["request"], at + ("request",)) if "request" in raw else None,
        )

    def request(self, raw: dict[str, Any], at: KeyPath) -> RequestMatch:
        method = raw.get("method", "*").upper()
        return RequestMatch(method, self.expand(raw["url"], at + ("url",)) or "")

    def secret(self, value: str | float, at: KeyPath) -> Secret:
        """Numbers become the text as written, so `pin: 0123` stays "0123" (YAML alone would give 83)."""
        text = value if isinstance(value, str) else self.doc.written(at) or str(value)
        return Secret(self.expand(text, at) or "")

    def state_file(self, value: str, at: KeyPath) -> str | None:
        """The storage-state file, relative to the spec file's folder; with `need_state`, it must be a
        Playwright storage state (a JSON object with `cookies` and `origins` lists)."""
        expanded = self.expand(value, at)
        if expanded is None:
            return None
        path = Path(expanded).expanduser()
        if not path.is_absolute():
            path = Path(self.doc.file).parent / path
        if self.need_state:
            hint = "write one with `auditor login SPEC --save FILE`"
            try:
                data = json.loads(read_capped(path, MAX_STATE_BYTES).decode("utf-8"))
            except FileNotFoundError:
                self.note(at, f"no such file {clip(str(path))}; {hint}")
                return None
            except FileProblem as exc:  # /dev/zero, a FIFO: never read forever or wait forever
                self.note(at, f"{clip(str(path))} {exc}; {hint}")
                return None
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                self.note(at, f"{clip(str(path))} is not a readable JSON file ({type(exc).__name__}); {hint}")
                return None
            if not (
                isinstance(data, dict)
                and isinstance(data.get("cookies", []), list)
                and isinstance(data.get("origins", []), list)
            ):
                self.note(at, f"{clip(str(path))} is not a Playwright storage state (cookies and origins); {hint}")
                return None
        return str(path)

    def timezone(self, value: str, at: KeyPath) -> str | None:
        """An IANA time zone the tz database knows (Chromium refuses any other when the flow starts, too late
        to be a usage error). Without a tz database on this machine, the schema's pattern is all that is checked."""
        known = _time_zones()
        if known and value not in known:
            self.note(at, f"{clip(value)} is not a time zone of the IANA database, such as Europe/Berlin")
            return None
        return value

    def proxy(self, raw: str | dict[str, Any], at: KeyPath) -> Proxy | None:
        """`proxy: http://host:3128` or {server, bypass, username, password}; the server must be a proxy URL.
        Credentials written into the server URL (http://user:password@host:3128) are taken out of it and
        handed to Playwright as username and password: Chromium ignores them in the URL (every request then
        fails with ERR_INVALID_AUTH_CREDENTIALS), and the server is shown in reports, they must never be."""
        if isinstance(raw, str):
            raw = {"server": raw}
            server_at = at
        else:
            server_at = at + ("server",)
        server = self.expand(raw["server"], server_at)
        if server is None:
            return None
        parts = urlsplit(server if "://" in server else f"http://{server}")
        try:
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            port_ok = False
        if parts.scheme not in ("http", "https", "socks4", "socks5") or not parts.hostname or not port_ok:
            shown = clip(_without_userinfo(raw["server"]))
            self.note(server_at, f"{shown} is not a proxy such as http://proxy.example:3128 or socks5://host:1080")
            return None
        username = self.expand(raw["username"], at + ("username",)) if "username" in raw else None
        password = self.secret(raw["password"], at + ("password",)) if "password" in raw else None
        if parts.username is not None or parts.password is not None:
            if username is not None or password is not None:
                self.note(server_at, "give the proxy's credentials once: in the URL or as username and password")
            username, password = unquote(parts.username or ""), Secret(unquote(parts.password or ""))
            server = _without_userinfo(server)
        return Proxy(server=server, bypass=raw.get("bypass"), username=username or None, password=password)

    def setup(self, raw: list[dict[str, Any]], at: KeyPath, start: str = "") -> Iterable[SetupStep]:
        for i, step in enumerate(raw):
            ((action, arg),) = step.items()  # the schema allows exactly one key per step
            line = self.doc.line(at + (i,))
            number = i + 1
            if action == "goto":  # relative to `start`, so one spec serves staging and production
                url = self.web_url(arg, at + (i, "goto"), base=start)
                yield SetupStep("goto", value=url, line=line, number=number)
            elif action == "fill":  # one step per field, in the order written
                for name, value in arg.items():
                    path = at + (i, "fill", name)
                    value = self.secret(value, path)
                    yield SetupStep("fill", target=name, value=value, line=self.doc.line(path), number=number)
            elif action == "press":
                yield SetupStep("press", target=arg["target"], value=arg["key"], line=line, number=number)
            elif action == "click":
                yield SetupStep("click", target=arg, line=line, number=number)
            else:
                yield SetupStep("wait_for", target=arg, line=line, number=number)

    def web_url(self, value: str, at: KeyPath, base: str = "") -> str:
        """A URL the browser can open on its own: absolute http(s) with a host, after expansion (with `base`,
        a relative URL such as /login or ../login is resolved against it first)."""
        url = self.expand(value, at)
        if url is not None and base and _is_web_url(base) and not urlsplit(url).scheme:
            url = urljoin(base, url)
        if url is not None and not _is_web_url(url):
            # Show the value as written: what ${VAR} expanded to may be a secret (or a megabyte).
            shown = clip(value) + (" (after ${...} expansion)" if url != value else "")
            self.note(at, f"{shown} is not an absolute http(s) URL such as https://shop.example/account")
        return url or ""

    def expand(self, value: str, at: KeyPath) -> str | None:
        """`${VAR}` from the environment and `$$` for a literal `$`; None (and a problem noted) if a
        variable is missing or malformed. Values may be secrets, so messages name variables only."""
        before = len(self.problems)

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name is None:
                return "$"
            if not _VAR_NAME.fullmatch(name):
                self.note(at, _BAD_VAR)
            elif name not in os.environ:
                self.note(at, f"environment variable {name} is not set")
            elif not _is_text(os.environ[name]):  # undecodable bytes: no report or browser could carry them
                self.note(at, f"environment variable {name} is not UTF-8 text")
            return os.environ.get(name, "")

        expanded = _VAR.sub(replace, value)
        return expanded if len(self.problems) == before else None

    def note(self, at: KeyPath, message: str) -> None:
        self.problems.append(self.doc.problem(at, f"{label(at)}: {message}"))


def _explore(raw: dict[str, Any]) -> ExploreOptions:
    options = dict(raw)
    options["timeouts"] = Timeouts(**{key: float(value) for key, value in raw.get("timeouts", {}).items()})
    options["avoid"] = tuple(raw.get("avoid", ()))
    options["allow_side_effects"] = tuple(raw.get("allow_side_effects", ()))
    options["allow_domains"] = tuple(domain.lower() for domain in raw.get("allow_domains", ()))
    return ExploreOptions(**options)


def _without_userinfo(url: str) -> str:
    """The URL with no `user:password@` before its host (kept as written otherwise)."""
    return _USERINFO.sub(r"\1", url, count=1)


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number from 0 to 65535
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
