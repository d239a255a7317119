"""The demo server without a browser: routing, templating, sessions, form posts and hit counting."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.client import HTTPResponse
from urllib.parse import urlencode

import pytest
import yaml

from auditor.demo import FLOWS_DIR, DemoServer

START_PAGES = ["/fair/login", "/fair/", "/iliad/", "/spa/", "/phone/"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # hand 3xx back to the caller as an HTTPError


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(
    url: str, form: dict[str, str] | None = None, cookie: str | None = None, body: bytes | None = None
) -> tuple[int, dict[str, str], str]:
    """One request, redirects not followed: (status, headers, body text)."""
    data = urlencode(form).encode() if form is not None else body
    req = urllib.request.Request(url, data=data)
    if cookie:
        req.add_header("Cookie", cookie)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        resp: HTTPResponse = _opener.open(req, timeout=10)
    except urllib.error.HTTPError as err:
        with err:
            return err.code, dict(err.headers.items()), err.read().decode()
    with resp:
        return resp.status, dict(resp.headers.items()), resp.read().decode()


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


def test_binds_a_random_port_on_loopback(demo: DemoServer) -> None:
    assert demo.url == f"http://127.0.0.1:{demo.port}"
    assert demo.alt_origin == f"http://localhost:{demo.port}"
    assert demo.port > 0


@pytest.mark.parametrize("path", START_PAGES)
def test_start_pages_render_with_placeholders_replaced(demo: DemoServer, path: str) -> None:
    status, headers, body = fetch(demo.url + path)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "{{" not in body and "}}" not in body
    assert "<html" in body


def test_noise_differs_between_visits(demo: DemoServer) -> None:
    first, second = fetch(demo.url + "/iliad/")[2], fetch(demo.url + "/iliad/")[2]
    assert first != second
    assert f"{demo.alt_origin}/iliad/music" in first


def test_extensionless_paths_and_404(demo: DemoServer) -> None:
    assert fetch(demo.url + "/iliad/cancel/step-1")[0] == 200
    assert fetch(demo.url + "/phone/contact/sent")[0] == 200
    assert fetch(demo.url + "/phone/no-such-page")[0] == 404
    assert fetch(demo.url + "/fair/_header")[0] == 404  # partials are not pages
    assert fetch(demo.url + "/fair/../server.py")[0] == 404
    assert fetch(demo.url + "/phone")[0] == 200  # <path>/index.html


def test_spa_history_fallback_serves_the_app_for_deep_paths(demo: DemoServer) -> None:
    status, _, body = fetch(demo.url + "/spa/settings/plan/cancel")
    assert status == 200
    assert '<script src="/spa/app.js' in body
    status, headers, _ = fetch(demo.url + "/spa/app.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")


def test_spa_json_api(demo: DemoServer) -> None:
    status, _, body = fetch(demo.url + "/spa/api/cancel", body=b'{"reason": "Too expensive"}')
    assert status == 200 and json.loads(body)["status"] == "cancelled"
    assert fetch(demo.url + "/spa/api/subscribe", body=b'{"email": "nope"}')[0] == 422
    status, _, body = fetch(demo.url + "/spa/api/subscribe", body=b'{"email": "a@b.test"}')
    assert status == 200 and json.loads(body)["status"] == "subscribed"


def test_fair_login_sets_a_session_and_guards_the_account(demo: DemoServer) -> None:
    status, headers, _ = fetch(demo.url + "/fair/account")
    assert status == 303 and headers["Location"] == "/fair/login"

    status, _, body = fetch(demo.url + "/fair/login", {"email": "demo@streamly.test", "password": "bad"})
    assert status == 200 and 'role="alert"' in body
    assert "Set-Cookie" not in fetch(demo.url + "/fair/login", {"email": "x", "password": "y"})[1]

    form = {"email": "demo@streamly.test", "password": "streamly-demo"}
    status, headers, _ = fetch(demo.url + "/fair/login", form)
    assert status == 303 and headers["Location"] == "/fair/"
    assert "Path=/fair/" in headers["Set-Cookie"]
    session = headers["Set-Cookie"].split(";", 1)[0]

    status, _, body = fetch(demo.url + "/fair/account", cookie=session)
    assert status == 200 and "Cancel subscription" in body and "demo@streamly.test" in body
    status, headers, _ = fetch(demo.url + "/fair/account/cancel", {}, cookie=session)
    assert status == 303 and headers["Location"] == "/fair/account/cancelled"
    assert "Your subscription has been cancelled" in fetch(demo.url + "/fair/account/cancelled", cookie=session)[2]

    fetch(demo.url + "/fair/logout", cookie=session)
    assert fetch(demo.url + "/fair/account", cookie=session)[0] == 303


def test_iliad_verify_rejects_a_wrong_password_and_accepts_the_right_one(demo: DemoServer) -> None:
    assert fetch(demo.url + "/iliad/cancel/confirm")[1].get("Location") == "/iliad/cancel/verify"

    status, headers, body = fetch(demo.url + "/iliad/cancel/verify", {"password": "letmein"})
    assert status == 200 and "Your password is incorrect" in body and "Set-Cookie" not in headers

    status, headers, _ = fetch(demo.url + "/iliad/cancel/verify", {"password": "primebox-demo"})
    assert status == 303 and headers["Location"] == "/iliad/cancel/confirm"
    verified = headers["Set-Cookie"].split(";", 1)[0]
    assert verified.startswith("pb_verified=")

    status, _, body = fetch(demo.url + "/iliad/cancel/confirm", cookie=verified)
    assert status == 200 and "<iframe" in body and "/iliad/billing-widget" in body
    status, headers, _ = fetch(demo.url + "/iliad/cancel/done", {}, cookie=verified)
    assert status == 303 and headers["Location"] == "/iliad/cancelled"


def test_endless_lists_keep_going(demo: DemoServer) -> None:
    body = fetch(demo.url + "/iliad/deals?page=41&t=abc")[2]
    assert "/iliad/deals?page=42&amp;t=" in body
    body = fetch(demo.url + "/phone/timetable?week=9")[2]
    assert "/phone/timetable?week=10&amp;t=" in body


def test_signup_posts_redirect_to_welcome_pages(demo: DemoServer) -> None:
    cases = [
        ("/fair/signup", {"email": "n@s.test", "password": "secret-pw"}, "/fair/welcome"),
        ("/iliad/signup", {"email": "n@p.test", "password": "pw"}, "/iliad/welcome"),
        ("/phone/join", {"name": "Jo", "email": "j@g.test"}, "/phone/welcome"),
    ]
    for path, form, welcome in cases:
        status, headers, _ = fetch(demo.url + path, form)
        assert (status, headers["Location"]) == (303, welcome), path


def test_count_filters_hits_by_path_host_and_method() -> None:
    with DemoServer() as demo:
        fetch(demo.url + "/phone/faq?x=1")
        fetch(demo.url + "/phone/faq")
        fetch(demo.url + "/phone/")
        # the alt origin is this server under the name localhost: what counts is the Host header
        req = urllib.request.Request(demo.url + "/iliad/music", headers={"Host": f"localhost:{demo.port}"})
        urllib.request.urlopen(req, timeout=10).close()
        fetch(demo.url + "/phone/contact", {"name": "a", "email": "a@b.c", "message": "hi"})

        assert demo.count() == 5
        assert demo.count("/phone/faq") == 2
        assert demo.count("/phone/*") == 4
        assert demo.count(host="localhost") == 1
        assert demo.count("/iliad/*", host="127.0.0.1") == 0
        assert demo.count(method="POST") == 1
        assert demo.count("/phone/contact", method="get") == 0
        assert demo.count("/fair/logout") == 0
        demo.clear_hits()
        assert demo.count() == 0


def test_stop_releases_the_port() -> None:
    demo = DemoServer().start()
    port = demo.port
    assert fetch(demo.url + "/phone/")[0] == 200
    demo.stop()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    with socket.socket() as s:  # the port can be bound again
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))


def test_flow_specs_name_every_site_flow() -> None:
    names = {}
    for path in sorted(FLOWS_DIR.glob("*.yaml")):
        for flow in yaml.safe_load(path.read_text())["flows"]:
            names[flow["name"]] = flow
            assert flow["start"].startswith("${DEMO_URL}/"), flow["name"]
            assert flow["goal"]["text"]
    assert set(names) == {f"{s}-{k}" for s in ("fair", "iliad", "spa", "phone") for k in ("cancel", "signup")}
    for site in ("fair", "iliad", "spa", "phone"):
        assert names[f"{site}-cancel"]["compare_with"] == f"{site}-signup"
        assert "Sign out" in names[f"{site}-cancel"]["explore"]["avoid"]
