"""The demo server without a browser: routing, templating, sessions, form posts and hit counting."""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from http.client import HTTPResponse
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml

from auditor.demo import FLOWS_DIR, DemoServer
from auditor.demo.paths import known_paths
from auditor.demo.server import FRAMEWORK_PATH, Weight
from tests.site_routes import ROUTES as SITES_ROUTES

SITES = ("fair", "iliad", "spa", "phone", "fittrack", "vertrag", "abo")
PURCHASE_FLOWS = {"gems": "gems-iap", "brightbox": "brightbox-purchase", "cartly": "cartly-purchase"}
START_PAGES = ["/fair/login", "/fair/", "/iliad/", "/spa/", "/phone/", "/fittrack/", "/vertrag/", "/abo/"]
START_PAGES += ["/gems/", "/brightbox/", "/cartly/"]
GUARD_SITES = Path(__file__).parent / "sites"


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


class _Controls(HTMLParser):
    """The visible labels of a page's links and buttons (text, or the value of a submit input)."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str, dict[str, str]]] = []
        self._open: list[tuple[str, dict[str, str], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag in ("a", "button"):
            self._open.append((tag, attributes, []))
        elif tag == "input" and attributes.get("type") in ("submit", "button"):
            self.controls.append((attributes.get("value", ""), attributes))

    def handle_data(self, data: str) -> None:
        for *_, words in self._open:
            words.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _, attributes, words = self._open.pop()
            self.controls.append((" ".join("".join(words).split()), attributes))


def _all_controls(body: str) -> list[tuple[str, dict[str, str]]]:
    """(label, attributes) of every link and button, in page order (labels may repeat)."""
    parser = _Controls()
    parser.feed(body)
    return parser.controls


def controls(body: str) -> dict[str, dict[str, str]]:
    """label -> attributes of every link and button on the page."""
    parser = _Controls()
    parser.feed(body)
    return {label: attributes for label, attributes in parser.controls}


def session_of(headers: dict[str, str]) -> str:
    return headers["Set-Cookie"].split(";", 1)[0]


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


def test_routes_come_from_each_site_and_tests_add_their_own(demo: DemoServer) -> None:
    assert fetch(demo.url + "/fair/routes.py")[0] == 404  # a site's routes are code, not a page
    assert fetch(demo.url + "/fair/__init__.py")[0] == 404
    assert fetch(demo.url + "/guard/api/charge", body=b"{}")[0] == 405  # test-only routes are not bundled
    assert ("POST", "/guard/api/charge") not in demo.routes
    assert demo.routes[("POST", "/cartly/api/order")].__module__ == "auditor.demo.sites.cartly.routes"


def test_every_noise_call_is_fresh_and_values_are_escaped(demo: DemoServer) -> None:
    body = fetch(demo.url + "/fittrack/community")[2]
    tokens = re.findall(r'(?:id="[a-z]+-|t=)([0-9a-f]{8})"', body)
    assert len(tokens) == 8 and len(set(tokens)) == 8  # rand() is a new token at every call (a loop's too)
    status, _, body = fetch(demo.url + "/vertrag/bestaetigung", cookie="sv_kuendigung=o-<i>x</i>")
    assert status == 200 and "<dd>&lt;i&gt;x&lt;/i&gt;</dd>" in body  # route values are escaped
    assert 'role="alert">Das Passwort' in fetch(demo.url + "/abo/kuendigen/anmelden", {"passwort": "x"})[2]


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
    body = fetch(demo.url + "/fittrack/community?page=7")[2]
    assert "/fittrack/community?page=8&amp;t=" in body and body.count('class="post"') == 6
    body = fetch(demo.url + "/abo/kurse?seite=3")[2]
    assert "/abo/kurse?seite=4&amp;t=" in body and body.count('class="kurs"') == 6


def test_signup_posts_redirect_to_welcome_pages(demo: DemoServer) -> None:
    cases = [
        ("/fair/signup", {"email": "n@s.test", "password": "secret-pw"}, "/fair/welcome"),
        ("/iliad/signup", {"email": "n@p.test", "password": "pw"}, "/iliad/welcome"),
        ("/phone/join", {"name": "Jo", "email": "j@g.test"}, "/phone/welcome"),
        ("/fittrack/join", {"email": "n@f.test", "password": "move-more-2025"}, "/fittrack/welcome"),
        ("/vertrag/registrieren", {"email": "n@s.test", "passwort": "filmabend-2025"}, "/vertrag/willkommen"),
        ("/abo/registrieren", {"email": "n@l.test", "passwort": "weiterlernen-2025"}, "/abo/willkommen"),
    ]
    for path, form, welcome in cases:
        status, headers, _ = fetch(demo.url + path, form)
        assert (status, headers["Location"]) == (303, welcome), path
        status, _, body = fetch(demo.url + path, {**form, "email": "no-at-sign"})
        assert status == 200 and 'role="alert"' in body, path
    for path, form, _ in cases[3:]:  # the new sites ask for 8+ characters
        password = next(k for k in form if k.startswith("pass"))
        assert fetch(demo.url + path, {**form, password: "short"})[0] == 200, path
    for page, title in [
        ("/fittrack/welcome", "Welcome to FitTrack"),
        ("/vertrag/willkommen", "Willkommen bei Streamo"),
        ("/abo/willkommen", "Willkommen bei Lernwelt"),
    ]:
        assert title in fetch(demo.url + page)[2]


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
            if flow["kind"] in ("purchase", "in_app_purchase"):
                assert "goal" not in flow, flow["name"]  # the first intercepted charge is the goal
            else:
                assert flow["goal"].get("text") or flow["goal"].get("request"), flow["name"]
    cancel_signup = {f"{s}-{k}" for s in SITES for k in ("cancel", "signup")}
    assert set(names) == cancel_signup | set(PURCHASE_FLOWS.values())
    known = known_paths()  # auditor/demo/paths.yaml
    assert set(known) == set(names)
    for name, clicks in known.items():  # the fields a known path types are fields the spec has values for
        typed = {field for click in clicks or () for field, _ in click.inputs}
        assert typed <= set(names[name].get("inputs", {})), name
    for site in SITES:
        assert names[f"{site}-cancel"]["kind"] == "cancellation"
        assert names[f"{site}-signup"]["kind"] == "signup"
        assert names[f"{site}-cancel"]["compare_with"] == f"{site}-signup"
        assert "Sign out" in names[f"{site}-cancel"]["explore"]["avoid"]
    # fittrack never says it is done: its goal is the cancel request itself
    assert names["fittrack-cancel"]["goal"] == {"request": {"method": "POST", "url": "*/fittrack/api/cancel"}}
    for site in ("vertrag", "abo"):
        assert "Abmelden" in names[f"{site}-cancel"]["explore"]["avoid"]
    assert names["vertrag-cancel"]["inputs"] == {"E-Mail": "kunde@streamo.test", "Vertragsnummer": "SV-123456"}
    assert names["abo-cancel"]["inputs"] == {"Passwort": "lernwelt-demo"}

    gems, brightbox, cartly = (names[PURCHASE_FLOWS[s]] for s in ("gems", "brightbox", "cartly"))
    assert (gems["kind"], gems["profile"]) == ("in_app_purchase", "child")
    assert gems["charges"] == [{"method": "POST", "url": "*/gems/api/charge*"}]
    assert gems["inputs"] == {"Password": "gems-parent-demo"}
    assert gems["explore"]["max_states"] == 40
    card = {"Name on card": "Sam Rivera", "Card number": "4242 4242 4242 4242", "Expiry": "12/30", "CVC": "123"}
    assert brightbox["kind"] == cartly["kind"] == "purchase"
    assert brightbox["charges"] == [{"method": "POST", "url": "*/brightbox/api/pay*"}]
    assert brightbox["inputs"] == {**card, "Account password": "brightbox-demo"}
    assert cartly["charges"] == [{"method": "POST", "url": "*/cartly/api/order*"}]
    assert cartly["inputs"] == card


# ---- fair: the EU withdrawal button ----
def test_fair_has_a_withdrawal_button_on_every_page(demo: DemoServer) -> None:
    form = {"email": "demo@streamly.test", "password": "streamly-demo"}
    session = session_of(fetch(demo.url + "/fair/login", form)[1])
    pages = ["/fair/", "/fair/login", "/fair/signup", "/fair/welcome", "/fair/browse", "/fair/help", "/fair/privacy"]
    pages += ["/fair/my-list", "/fair/account", "/fair/account/plan", "/fair/account/cancelled", "/fair/withdraw"]
    for path in pages:
        status, _, body = fetch(demo.url + path, cookie=session)
        assert status == 200, path
        assert controls(body)["Withdraw from contract here"]["href"] == "/fair/withdraw", path
    assert "Your subscription has been cancelled." in fetch(demo.url + "/fair/account/cancelled", cookie=session)[2]


def test_fair_withdrawal_form(demo: DemoServer) -> None:
    body = fetch(demo.url + "/fair/withdraw")[2]  # no login needed
    assert "14-day right of withdrawal" in body and "Confirm withdrawal" in controls(body)
    assert '<label for="withdraw-email">Email</label>' in body
    status, _, body = fetch(demo.url + "/fair/withdraw", {"email": "nope"})
    assert status == 200 and 'role="alert"' in body
    status, headers, _ = fetch(demo.url + "/fair/withdraw", {"email": "demo@streamly.test"})
    assert (status, headers["Location"]) == (303, "/fair/withdrawn")
    body = fetch(demo.url + "/fair/withdrawn")[2]
    assert "Your withdrawal has been received" in body and "cancelled" not in body


# ---- fittrack: small exit, an offer with no way out, confirmshaming, no confirmation ----
def test_fittrack_cancel_path_pages(demo: DemoServer) -> None:
    home = controls(fetch(demo.url + "/fittrack/")[2])
    for label in ("Workouts", "Progress", "Community", "Account", "Sign out", "Start free trial"):
        assert label in home, label
    assert home["Sign out"]["href"] == "/fittrack/logout"

    account = fetch(demo.url + "/fittrack/account")[2]
    assert "FitTrack Plus – $14.99/month" in account
    links = controls(account)
    assert {"Edit profile", "Notifications"} <= set(links)
    assert links["Cancel membership"] == {"class": "fine", "href": "/fittrack/cancel/offer"}

    offer = fetch(demo.url + "/fittrack/cancel/offer")[2]
    assert "Wait! Get 50% off for 3 months" in offer
    labels = controls(offer)
    assert {"Claim 50% off", "Maybe later"} <= set(labels)
    assert "/fittrack/cancel/confirm" in labels["Maybe later"]["onclick"]
    for label in labels:  # California: no click-to-cancel on the offer screen
        assert not any(word in label.lower() for word in ("cancel", "end", "exit", "stop", "quit")), label

    confirm = fetch(demo.url + "/fittrack/cancel/confirm")[2]
    assert "Are you sure?" in confirm and "You'll lose your 42-day streak." in confirm
    assert {"Keep my streak", "I don't care about my health, cancel"} <= set(controls(confirm))
    assert "fetch('/fittrack/api/cancel', {method: 'POST'})" in confirm and "location.href = '/fittrack/'" in confirm


def test_fittrack_cancel_api_and_the_silent_home(demo: DemoServer) -> None:
    status, headers, body = fetch(demo.url + "/fittrack/api/cancel", body=b"")
    assert status == 200 and headers["Content-Type"] == "application/json" and json.loads(body)["ok"] is True
    home = fetch(demo.url + "/fittrack/")[2].lower()
    assert "cancel" not in home and "renew" not in home  # nothing ever confirms it
    status, headers, _ = fetch(demo.url + "/fittrack/cancel/offer", {})
    assert (status, headers["Location"]) == (303, "/fittrack/offer-claimed")


# ---- vertrag: Streamo DE, fair under BGB 312k ----
VERTRAG_PAGES = ["/vertrag/", "/vertrag/filme", "/vertrag/serien", "/vertrag/konto", "/vertrag/hilfe"]
VERTRAG_PAGES += ["/vertrag/impressum", "/vertrag/datenschutz", "/vertrag/agb", "/vertrag/kuendigen"]
VERTRAG_PAGES += ["/vertrag/widerruf", "/vertrag/widerruf-eingegangen", "/vertrag/registrieren"]
VERTRAG_PAGES += ["/vertrag/willkommen", "/vertrag/konto/tarif", "/vertrag/konto/zahlung"]


@pytest.mark.parametrize("path", VERTRAG_PAGES)
def test_vertrag_every_page_has_the_cancel_and_withdrawal_buttons(demo: DemoServer, path: str) -> None:
    status, _, body = fetch(demo.url + path)
    assert status == 200 and 'lang="de"' in body
    links = controls(body)
    assert links["Verträge hier kündigen"]["href"] == "/vertrag/kuendigen"
    assert links["Vertrag hier widerrufen"]["href"] == "/vertrag/widerruf"
    assert links["Abmelden"]["href"] == "/vertrag/logout"


def test_vertrag_cancel_form(demo: DemoServer) -> None:
    body = fetch(demo.url + "/vertrag/kuendigen")[2]
    assert '<option value="ordentlich" selected>Ordentliche Kündigung</option>' in body
    assert '<option value="ausserordentlich">Außerordentliche Kündigung</option>' in body
    assert '<label for="k-art">Kündigungsart</label>' in body
    assert '<label class="pflicht" for="k-email">E-Mail</label>' in body  # the * marker comes from CSS
    assert '<label class="pflicht" for="k-nummer">Vertragsnummer</label>' in body
    assert 'id="k-email" name="email" type="email" autocomplete="email" required' in body
    assert 'id="k-nummer" name="vertragsnummer" type="text" required' in body
    assert "Jetzt kündigen" in controls(body)

    assert fetch(demo.url + "/vertrag/bestaetigung")[1]["Location"] == "/vertrag/kuendigen"  # nothing to confirm
    status, headers, body = fetch(
        demo.url + "/vertrag/kuendigen", {"email": "kunde@streamo.test", "vertragsnummer": ""}
    )
    assert status == 200 and 'role="alert"' in body and "Set-Cookie" not in headers

    form = {"art": "ordentlich", "email": "kunde@streamo.test", "vertragsnummer": "SV-123456"}
    status, headers, _ = fetch(demo.url + "/vertrag/kuendigen", form)
    assert (status, headers["Location"]) == (303, "/vertrag/bestaetigung")
    assert "Path=/vertrag/" in headers["Set-Cookie"]
    body = fetch(demo.url + "/vertrag/bestaetigung", cookie=session_of(headers))[2]
    assert "Ihre Kündigung ist eingegangen. Wir haben Ihren Vertrag zum nächstmöglichen Zeitpunkt gekündigt." in body
    assert "Ordentliche Kündigung" in body

    form["art"] = "ausserordentlich"
    headers = fetch(demo.url + "/vertrag/kuendigen", form)[1]
    assert "Außerordentliche Kündigung" in fetch(demo.url + "/vertrag/bestaetigung", cookie=session_of(headers))[2]


def test_vertrag_withdrawal(demo: DemoServer) -> None:
    body = fetch(demo.url + "/vertrag/widerruf")[2]
    assert "Widerrufsrecht" in body and "Widerruf bestätigen" in controls(body)
    assert fetch(demo.url + "/vertrag/widerruf", {"email": ""})[0] == 200
    status, headers, _ = fetch(demo.url + "/vertrag/widerruf", {"email": "kunde@streamo.test"})
    assert (status, headers["Location"]) == (303, "/vertrag/widerruf-eingegangen")
    assert "Ihr Widerruf ist eingegangen" in fetch(demo.url + "/vertrag/widerruf-eingegangen")[2]


# ---- abo: Lernwelt, unfair under BGB 312k ----
ABO_PAGES = ["/abo/", "/abo/kurse", "/abo/lernpfade", "/abo/zertifikate", "/abo/konto", "/abo/konto/abo"]
ABO_PAGES += ["/abo/konto/daten", "/abo/konto/zahlung", "/abo/kuendigen/angebot", "/abo/kuendigen/anmelden"]
ABO_PAGES += ["/abo/hilfe", "/abo/agb", "/abo/impressum", "/abo/datenschutz", "/abo/registrieren"]


@pytest.mark.parametrize("path", ABO_PAGES)
def test_abo_has_no_cancel_button_anywhere(demo: DemoServer, path: str) -> None:
    status, _, body = fetch(demo.url + path)
    assert status == 200 and 'lang="de"' in body
    assert "verträge hier kündigen" not in body.lower() and "jetzt kündigen" not in body.lower()
    assert "widerrufen" not in body.lower()


def test_abo_cancel_path_pages(demo: DemoServer) -> None:
    assert controls(fetch(demo.url + "/abo/")[2])["Mein Konto"]["href"] == "/abo/konto"
    assert controls(fetch(demo.url + "/abo/konto")[2])["Abo verwalten"]["href"] == "/abo/konto/abo"
    manage = controls(fetch(demo.url + "/abo/konto/abo")[2])
    assert "/abo/kuendigen/angebot" in manage["Mitgliedschaft beenden"]["onclick"]
    offer = fetch(demo.url + "/abo/kuendigen/angebot")[2]
    assert "Bevor Sie gehen: 3 Monate 50 % günstiger" in offer
    labels = controls(offer)
    assert {"Angebot annehmen", "Abo behalten"} <= set(labels)
    assert labels["Trotzdem kündigen"]["href"] == "/abo/kuendigen/anmelden"
    wall = fetch(demo.url + "/abo/kuendigen/anmelden")[2]
    assert "Bitte geben Sie Ihr Passwort erneut ein" in wall and '<label for="a-passwort">Passwort</label>' in wall


def test_abo_password_wall_and_confirmation(demo: DemoServer) -> None:
    for path in ("/abo/kuendigen/bestaetigen", "/abo/gekuendigt"):
        assert fetch(demo.url + path)[1]["Location"] == "/abo/kuendigen/anmelden"
    status, headers, body = fetch(demo.url + "/abo/kuendigen/anmelden", {"passwort": "falsch"})
    assert status == 200 and "Das Passwort ist nicht korrekt." in body and "Set-Cookie" not in headers

    status, headers, _ = fetch(demo.url + "/abo/kuendigen/anmelden", {"passwort": "lernwelt-demo"})
    assert (status, headers["Location"]) == (303, "/abo/kuendigen/bestaetigen")
    assert "Path=/abo/" in headers["Set-Cookie"]
    verified = session_of(headers)
    assert verified.startswith("lw_verified=")

    status, _, body = fetch(demo.url + "/abo/kuendigen/bestaetigen", cookie=verified)
    labels = controls(body)
    assert status == 200 and {"Abo behalten", "Weiter"} <= set(labels)
    assert not any("kündigen" in label.lower() for label in labels)  # "Weiter", not "jetzt kündigen"
    status, headers, _ = fetch(demo.url + "/abo/kuendigen/bestaetigen", {}, cookie=verified)
    assert (status, headers["Location"]) == (303, "/abo/gekuendigt")
    assert "Ihre Mitgliedschaft wurde gekündigt" in fetch(demo.url + "/abo/gekuendigt", cookie=verified)[2]
    status, headers, _ = fetch(demo.url + "/abo/kuendigen/angebot", {})
    assert (status, headers["Location"]) == (303, "/abo/angebot-aktiviert")


@pytest.mark.parametrize("site", [*SITES, "brightbox", "cartly"])
def test_sign_out_pages_exist_and_are_what_avoid_protects(demo: DemoServer, site: str) -> None:
    assert fetch(f"{demo.url}/{site}/logout")[0] in (200, 303)


# ---- charges: every purchase site has a real charge endpoint, so a leak past the crawler's guard is counted ----
def test_charge_endpoints_answer_ok_and_are_counted() -> None:
    with DemoServer() as demo:
        status, headers, body = fetch(demo.url + "/gems/api/charge", body=b'{"item": "handful", "price": 0.99}')
        assert (status, headers["Content-Type"], json.loads(body)) == (200, "application/json", CHARGED(0.99))
        form = {**BRIGHTBOX_FORM, "plan": "weekly"}
        status, headers, body = fetch(demo.url + "/brightbox/api/pay", form)
        assert (status, headers["Location"], json.loads(body)) == (303, "/brightbox/welcome", CHARGED(12.0))
        status, _, body = fetch(demo.url + "/cartly/api/order", body=json.dumps(CARTLY_ORDER).encode())
        assert (status, json.loads(body)) == (200, CHARGED(203.98))
        assert demo.count("/gems/api/charge", method="POST") == 1
        assert demo.count("/brightbox/api/pay", method="POST") == 1
        assert demo.count("/cartly/api/order", method="POST") == 1
        assert demo.count("/*/api/*") == 3


def CHARGED(amount: float) -> dict[str, object]:  # noqa: N802 - reads as a constant in the asserts
    return {"ok": True, "charged": amount}


# ---- gems: Gem Quest, in-app purchases in a children's game ----
def test_gems_is_one_page_with_a_store_and_a_password_dialog(demo: DemoServer) -> None:
    body = fetch(demo.url + "/gems/")[2]
    labels = controls(body)
    for label in ("Shop", "Map", "Leaderboard", "Settings", "Help", "Confirm purchase", "Cancel"):
        assert label in labels, label
    assert '<dialog class="store" id="shop"' in body and '<dialog class="auth" id="auth"' in body
    assert '<h2 id="auth-title">Enter your password to buy</h2>' in body
    assert '<label for="auth-password">Password</label>' in body and 'type="password"' in body
    game = fetch(demo.url + "/gems/game.js")[2]
    for item in (
        "{id: 'handful', name: 'Handful of Gems', gems: 80, price: 0.99",
        "{id: 'bag', name: 'Bag of Gems', gems: 500, price: 4.99",
        "{id: 'chest', name: 'Chest of Gems', gems: 2500, price: 19.99",
    ):
        assert item in game, item
    assert "Buy ${item.name} – ${price(item)}" in game  # "Buy Handful of Gems – $0.99"
    assert "fetch('/gems/api/charge'" in game and "fetch('/gems/api/verify'" in game
    assert "Purchase complete! +${fmt(item.gems)} gems" in game and ">Keep playing</button>" in game
    assert "const WINDOW_MS = 15 * 60 * 1000;" in game and "Date.now() - at < WINDOW_MS" in game
    assert "sessionStorage.setItem(LAST_PASSWORD, String(Date.now()))" in game
    assert "const PASSWORD_FROM = 10;" in game  # the two cheap packs never ask
    for text in (body.lower(), game.lower()):  # no parental gate anywhere
        assert "parent" not in text and "grown-up" not in text and "how old" not in text


def test_gems_verify_and_charge(demo: DemoServer) -> None:
    status, _, body = fetch(demo.url + "/gems/api/verify", body=b'{"password": "letmein"}')
    assert status == 401 and json.loads(body)["ok"] is False
    status, _, body = fetch(demo.url + "/gems/api/verify", body=b'{"password": "gems-parent-demo"}')
    assert status == 200 and json.loads(body) == {"ok": True}
    status, _, body = fetch(demo.url + "/gems/api/charge", body=b'{"item": "chest", "price": 19.99}')
    assert status == 200 and json.loads(body) == CHARGED(19.99)  # the server asks no password either
    assert fetch(demo.url + "/gems/api/charge", body=b'{"price": 0.99}')[0] == 422
    assert fetch(demo.url + "/gems/api/charge", body=b'{"item": "bag", "price": "free"}')[0] == 422


# ---- brightbox: a fair subscription checkout ----
BRIGHTBOX_FORM = {
    "card_name": "Sam Rivera",
    "card_number": "4242 4242 4242 4242",
    "expiry": "12/30",
    "cvc": "123",
    "password": "brightbox-demo",
    "agree": "yes",
}


def test_brightbox_plans_and_checkout(demo: DemoServer) -> None:
    plans = fetch(demo.url + "/brightbox/")[2]
    assert "Weekly box – $12.00/week" in plans and "Family box – $22.00/week" in plans
    hrefs = [a["href"] for label, a in _all_controls(plans) if label == "Choose plan"]
    assert hrefs == ["/brightbox/checkout?plan=weekly", "/brightbox/checkout?plan=family"]
    assert fetch(demo.url + "/brightbox/checkout")[1]["Location"] == "/brightbox/"
    assert fetch(demo.url + "/brightbox/checkout?plan=gold")[1]["Location"] == "/brightbox/"

    status, _, body = fetch(demo.url + "/brightbox/checkout?plan=weekly")
    assert status == 200 and "{{" not in body
    assert '<p class="price"><span data-price>$12.00</span> per week</p>' in body
    terms = "Your subscription renews automatically every week at <span data-price>$12.00</span> until you cancel."
    assert terms in body and "Cancel anytime in" in body
    assert '<input type="checkbox" name="dessert" value="yes" id="dessert"> Add dessert (+$3.00/week)' in body
    assert (
        '<input type="checkbox" name="agree" value="yes" id="agree" required> I agree to the automatic renewal terms'
        in body
    )
    for label, field in [
        ("Name on card", "bb-name"),
        ("Card number", "bb-number"),
        ("Expiry", "bb-expiry"),
        ("CVC", "bb-cvc"),
        ("Account password", "bb-password"),
    ]:
        assert f'<label for="{field}">{label}</label>' in body, label
    assert 'id="bb-password" name="password" type="password"' in body
    pay = controls(body)["Pay $12.00 and subscribe"]
    assert pay["type"] == "submit" and "disabled" in pay  # until the consent box is ticked
    assert '<form method="post" action="/brightbox/api/pay"' in body
    assert "Pay $22.00 and subscribe" in controls(fetch(demo.url + "/brightbox/checkout?plan=family")[2])


def test_brightbox_pay(demo: DemoServer) -> None:
    form = {**BRIGHTBOX_FORM, "plan": "weekly"}
    for broken, message in [
        ({"agree": ""}, "Please agree to the automatic renewal terms"),
        ({"card_number": "4242"}, "Please check your card details."),
        ({"expiry": "13/30"}, "Please check your card details."),
        ({"password": "wrong"}, "Your account password is incorrect."),
    ]:
        status, headers, body = fetch(demo.url + "/brightbox/api/pay", {**form, **broken})
        assert status == 200 and message in body and "Location" not in headers, broken
        assert "Pay $12.00 and subscribe" in controls(body)
    status, headers, body = fetch(demo.url + "/brightbox/api/pay", {**form, "dessert": "yes"})
    assert (status, headers["Location"], json.loads(body)) == (303, "/brightbox/welcome", CHARGED(15.0))
    status, _, body = fetch(demo.url + "/brightbox/api/pay", {**form, "plan": "family"})
    assert (status, json.loads(body)) == (303, CHARGED(22.0))
    assert "Your first box is on its way" in fetch(demo.url + "/brightbox/welcome")[2]


# ---- cartly: an unfair checkout ----
CARTLY_ORDER = {
    "item": "aurora",
    "qty": 1,
    "protection": True,
    "plus": True,
    "card": {"name": "Sam Rivera", "card_number": "4242 4242 4242 4242", "expiry": "12/30", "cvc": "123"},
}


def test_cartly_product_cart_and_checkout(demo: DemoServer) -> None:
    product = fetch(demo.url + "/cartly/")[2]
    assert "$198.99" in product and '<form method="post" action="/cartly/cart/add">' in product
    assert {"Add to cart", "Add to wish list", "Deals", "Cart", "Sign out"} <= set(controls(product))
    assert "Your cart is empty" in fetch(demo.url + "/cartly/cart")[2]
    assert fetch(demo.url + "/cartly/checkout")[1]["Location"] == "/cartly/cart"

    status, headers, _ = fetch(demo.url + "/cartly/cart/add", {"sku": "aurora"})
    assert (status, headers["Location"]) == (303, "/cartly/cart") and "Path=/cartly/" in headers["Set-Cookie"]
    cart_cookie = session_of(headers)
    cart = fetch(demo.url + "/cartly/cart", cookie=cart_cookie)[2]
    assert controls(cart)["Checkout"]["href"] == "/cartly/checkout" and "Remove" in controls(cart)

    status, _, body = fetch(demo.url + "/cartly/checkout", cookie=cart_cookie)
    assert status == 200
    assert '<input type="checkbox" name="protection" checked> Add 2-year protection plan (+$4.99/month)' in body
    assert '<input type="checkbox" name="plus" checked> Start Cartly Plus free trial' in body
    details = body[body.index("<details>") : body.index("</details>")]
    assert "<summary>Details</summary>" in details and "then $14.99/month, renews automatically" in details
    assert body.count("14.99") == 1 and "<details open" not in body  # the terms exist only folded away
    markup = re.sub(r"(?s)<script>.*?</script>", "", body)  # what can be shown, without the checkout script
    for amount in ("203.98", "198.99", "Total", "total"):
        assert amount not in markup, amount  # no total on the confirm screen
    labels = controls(body)
    assert labels["Continue"] == {"class": "btn btn-cart btn-wide", "type": "submit", "id": "continue"}
    assert not any("pay" in label.lower() or "order" in label.lower() for label in labels)
    assert 'type="password"' not in body and "I agree" not in body  # no password, no consent box
    for label in ("Name on card", "Card number", "Expiry", "CVC"):
        assert f">{label}</label>" in body, label
    assert "fetch('/cartly/api/order'" in body and "location.href = '/cartly/thanks'" in body
    thanks = fetch(demo.url + "/cartly/thanks")[2]
    assert "Order placed — total charged ${money(order.total)}${plus}" in thanks
    assert "', Cartly Plus renews at $14.99/month'" in thanks

    status, headers, _ = fetch(demo.url + "/cartly/cart/remove", {}, cookie=cart_cookie)
    assert (status, headers["Location"]) == (303, "/cartly/cart") and "Max-Age=0" in headers["Set-Cookie"]


def test_cartly_order(demo: DemoServer) -> None:
    url = demo.url + "/cartly/api/order"
    status, headers, body = fetch(url, body=json.dumps(CARTLY_ORDER).encode())
    assert (status, json.loads(body)) == (200, CHARGED(203.98)) and "Max-Age=0" in headers["Set-Cookie"]
    status, _, body = fetch(url, body=json.dumps({**CARTLY_ORDER, "protection": False}).encode())
    assert json.loads(body) == CHARGED(198.99)  # the Plus trial costs nothing today
    bad_card = {**CARTLY_ORDER, "card": {**CARTLY_ORDER["card"], "cvc": ""}}
    assert fetch(url, body=json.dumps(bad_card).encode())[0] == 422
    assert fetch(url, body=b"[]")[0] == 422


# ---- guard: the test page that sends one charge in each way a page can (tests/sites/guard) ----
GUARD_BUTTONS = ("Pay by fetch", "Pay by XHR", "Pay by form", "Pay by beacon", "Pay in frame", "Pay in popup")


def test_guard_test_page_and_charge_route() -> None:
    with DemoServer(sites_dir=GUARD_SITES, routes=SITES_ROUTES) as sites:
        for path in ("/guard/", "/guard/checkout"):  # the pushState URL loads the same page
            status, _, body = fetch(sites.url + path)
            assert status == 200 and "{{" not in body
            labels = controls(body)
            assert set(GUARD_BUTTONS) | {"Go to checkout", "Pay after route change"} <= set(labels), path
            assert '<form method="post" action="/guard/api/charge" id="pay-form">' in body
            for call in (
                "fetch(URL_",
                "new XMLHttpRequest()",
                "navigator.sendBeacon(URL_",
                "window.open('/guard/popup.html'",
            ):
                assert call in body, call
            assert "history.pushState({at: Date.now()}, '', '/guard/checkout')" in body
        assert "Pay from frame" in controls(fetch(sites.url + "/guard/frame.html")[2])
        assert "fetch('/guard/api/charge'" in fetch(sites.url + "/guard/popup.html")[2]
        assert fetch(sites.url + "/guard/_page")[0] == 404
        assert sites.count("/guard/api/charge") == 0
        status, headers, body = fetch(sites.url + "/guard/api/charge", body=b'{"way": "test"}')
        assert (status, headers["Content-Type"], json.loads(body)) == (200, "application/json", {"ok": True})
        fetch(sites.url + "/guard/api/charge", {"way": "form"})
        assert sites.count("/guard/api/charge", method="POST") == 2


def test_a_weighted_server_serves_as_real_sites_weigh():
    """bench/explore.py --realistic: every response waits, every page loads one cacheable framework script."""
    weight = Weight(delay_ms=40, script_kb=64)
    with DemoServer(weight=weight) as heavy:
        started = time.monotonic()
        with urllib.request.urlopen(heavy.url + "/fair/login") as resp:
            page = resp.read()
        assert time.monotonic() - started >= 0.04
        assert f'<script src="{FRAMEWORK_PATH}"></script>'.encode() in page
        with urllib.request.urlopen(heavy.url + FRAMEWORK_PATH) as resp:
            script = resp.read()
            assert resp.headers["Cache-Control"] == "public, max-age=3600" and resp.headers["ETag"]
        assert 64 * 1024 < len(script) < 66 * 1024
    with DemoServer() as light, urllib.request.urlopen(light.url + "/fair/login") as resp:
        assert FRAMEWORK_PATH.encode() not in resp.read() and resp.headers["Cache-Control"] == "no-store"
