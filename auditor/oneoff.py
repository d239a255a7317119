"""A first try without YAML: one flow from command-line options (`auditor audit --url URL --kind KIND
--goal-text TEXT`), and `auditor init URL`, a commented spec to start from.

The options become the same mapping a spec file holds and go through the same schema and checks, so a
mistake reads as in a file, with `(command line)` for the file: `(command line):1: start: 'shop' is not an
absolute http(s) URL ...`, exit 2.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from auditor.schema_check import schema_problems
from auditor.spec import PURCHASE_KINDS, SCHEMA, SECRET_KEYS, FlowSpec
from auditor.spec_build import FlowBuilder
from auditor.yamlsource import YamlDoc, raise_problems

COMMAND_LINE = "(command line)"


def default_name(url: str, kind: str) -> str:
    host = (urlsplit(url).hostname or "site").removeprefix("www.")
    return f"{re.sub(r'[^A-Za-z0-9.-]+', '-', host)}-{kind}"


def spec_from_options(options: dict[str, Any]) -> FlowSpec:
    """One flow from `--url`, `--kind`, `--goal-text`... (None values are left out), checked like a file."""
    data = {key: value for key, value in options.items() if value not in (None, (), [])}
    data.setdefault("name", default_name(str(data.get("start", "")), str(data.get("kind", "flow"))))
    doc = YamlDoc(data=data, file=COMMAND_LINE)
    raise_problems(schema_problems(doc, SCHEMA, SECRET_KEYS))
    builder = FlowBuilder(doc)
    loaded = builder.flow(data, ())
    raise_problems(builder.problems)
    return loaded.spec


INIT_TEMPLATE = """\
# A flow spec for {url}, written by `auditor init`. Fill in the goal, then run:
#   auditor audit {file} --format html
# Every key is described in docs/reference/flow-specs.md; uncomment a line to use it. ${{VAR}} expands from the
# environment (quoted inside {{ }}: "${{VAR}}").
name: {name}
kind: {kind}  # cancellation | signup | purchase | in_app_purchase
start: {quoted_url}
goal:                              # the flow is done when any one of these holds
  text: {goal}
  # url: "*/cancelled*"            # a glob on the URL
  # request: {{method: POST, url: "*/api/cancel*"}}
# compare_with: {host}-signup      # a sign-up flow that cancelling must not be harder than
# inputs:                          # form values by a field's label, name, id or placeholder; never written out
#   Password: ${{SITE_PASSWORD}}
# setup:                           # steps to sign in (run by `auditor login` when storage_state is set)
#   - goto: /login                 # relative to start
#   - fill: {{E-Mail: "${{SITE_EMAIL}}", Password: "${{SITE_PASSWORD}}"}}
#   - click: Sign in
# storage_state: session.json      # a saved session: auditor login {file} --save session.json
# locale: de-DE                    # language (Accept-Language), with timezone, geolocation, headers, proxy
# timezone: Europe/Berlin
# geolocation: {{latitude: 52.52, longitude: 13.405}}
# headers: {{X-Staging-Token: "${{STAGING_TOKEN}}"}}
# proxy: http://proxy.example:3128
# device: iPhone 13                # a Playwright device, instead of viewport
explore:
  max_states: 60
  # avoid: [Delete account]        # never clicked
  # allow_side_effects: [newsletter]  # forms acting outside the flow (reset, newsletter...) to submit anyway
"""

GOALS = {
    "cancellation": "Your subscription has been cancelled",
    "signup": "Welcome",
    "purchase": "Thank you for your order",
    "in_app_purchase": "Purchase complete",
}


CHARGES_BLOCK = """\
# No money moves: a request matching `charges` is answered by the auditor and never sent. A purchase flow is
# also held by the default patterns (payment providers; this site's non-GET requests that name order, checkout,
# pay, purchase, subscribe, charge or billing); `--no-default-charges` turns those off. Name your shop's own:
charges:
  - {method: POST, url: "*/checkout/confirm*"}  # an example: your order or payment request
"""


def init_text(url: str, kind: str, file: str) -> str:
    """The commented spec `auditor init` writes; it loads as it is (the goal text is a guess to edit). A
    purchase kind gets a `charges` block."""
    name = default_name(url, kind)
    host = name.rsplit("-", 1)[0]
    goal = GOALS.get(kind, "Done")
    quoted_url = json.dumps(url)  # a YAML double-quoted scalar: a # or ": " in the URL stays in it
    text = INIT_TEMPLATE.format(url=url, quoted_url=quoted_url, kind=kind, name=name, host=host, goal=goal, file=file)
    if kind in PURCHASE_KINDS:
        text = text.replace("# compare_with:", CHARGES_BLOCK + "# compare_with:", 1)
    return text
