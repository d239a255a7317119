"""mkdocs hook: the docs' rule catalogue, severity matrix, pack list and law table, generated at build time from
the shipped packs (auditor/rules/packs/*.yaml) through the auditor's own pack loader, so the docs say what an
audit applies and are never copied by hand. A page asks for a table with a marker on a line of its own:

    <!-- packs:shipped -->    each shipped pack and its description
    <!-- packs:matrix -->     every rule's severity in every pack (`off`: present but disabled; `§`: the pack
                              cites its own law for the rule)
    <!-- packs:catalogue -->  every rule: what it finds, its message, options, help and references
    <!-- packs:law -->        every law, decision and guideline the packs cite, with status, date checked and
                              source, each source marked primary or secondary (see PRIMARY_HOSTS)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlparse

from auditor.rules.pack import RuleSet, load_rules, shipped_names

# Publishers of primary sources: legislatures, official gazettes and codes, courts, agencies, and the DOI
# resolver (the packs' DOIs name an OECD publication). Government domains that only public bodies may hold
# (.gov, .gouv.fr, .go.jp, .gouv.qc.ca) count whole; otherwise the official code or gazette by name (Spain's
# BOE). Anything else (law-firm alerts, news, blogs, unofficial copies of a code such as Cornell's LII) is a
# secondary source, flagged in the law table.
PRIMARY_HOSTS = (
    ".gov",
    ".gov.uk",
    ".gouv.fr",
    ".go.jp",
    ".gouv.qc.ca",
    "europa.eu",
    "gesetze-im-internet.de",
    "legislation.gov.uk",
    "uscourts.gov",
    "boe.es",
    "doi.org",
)
URL = re.compile(r"https?://[^\s)\]>;,]+")
MARKER = re.compile(r"^<!-- packs:(\w+) -->$", re.MULTILINE)


def is_primary(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return any(host == p.lstrip(".") or host.endswith(p if p.startswith(".") else "." + p) for p in PRIMARY_HOSTS)


def source_cell(url: str) -> str:
    if not url:
        return "(no link)"
    host = urlparse(url).hostname or url
    kind = "primary" if is_primary(url) else "**secondary**"
    return f"[{host}]({url}) ({kind})"


def cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def rule_sets() -> dict[str, RuleSet]:
    """Each shipped pack merged with what it extends, core first: what `--rules NAME` applies."""
    names = shipped_names()
    names.sort(key=lambda n: (n != "core", n))
    return {name: load_rules([name]) for name in names}


def rule_ids(sets: Mapping[str, RuleSet]) -> list[str]:
    seen: dict[str, None] = {}
    for ruleset in sets.values():
        seen.update(dict.fromkeys(ruleset.rules))
    return list(seen)


def own_law(sets: Mapping[str, RuleSet], pack: str, rule_id: str) -> bool:
    """Whether `pack` cites references for the rule beyond the ones core gives it."""
    core = sets["core"].rules.get(rule_id)
    rule = sets[pack].rules[rule_id]
    return pack != "core" and (core is None or tuple(rule.references) != tuple(core.references))


def shipped(sets: Mapping[str, RuleSet]) -> str:
    rows = ["| pack | what it is |", "|---|---|"]
    for name, ruleset in sets.items():
        own = next(p for p in ruleset.packs if p.name == name)
        rows.append(f"| `{name}` | {cell(own.data.get('description', ''))} |")
    return "\n".join(rows)


def matrix(sets: Mapping[str, RuleSet]) -> str:
    rows = ["| rule | " + " | ".join(f"`{n}`" for n in sets) + " |", "|---|" + "---|" * len(sets)]
    for rule_id in rule_ids(sets):
        cells = []
        for name, ruleset in sets.items():
            rule = ruleset.rules.get(rule_id)
            if rule is None:
                cells.append("")
                continue
            mark = " §" if own_law(sets, name, rule_id) else ""
            cells.append((rule.severity if rule.enabled else "off") + mark)
        rows.append(f"| [`{rule_id}`](rules.md#{anchor(rule_id)}) | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def anchor(rule_id: str) -> str:
    return re.sub(r"[^a-z0-9-]", "", rule_id.lower().replace(".", ""))


def reference_line(ref: Mapping[str, Any]) -> str:
    parts = [f"**{cell(ref.get('law', ''))}**"]
    if ref.get("section"):
        parts.append(cell(ref["section"]))
    status = ", ".join(cell(ref[k]) if k == "status" else f"as of {ref[k]}" for k in ("status", "as_of") if ref.get(k))
    line = "; ".join(parts) + (f" ({status})" if status else "")
    if ref.get("url"):
        line += f"; source: {source_cell(str(ref['url']))}"
    return "- " + line


def catalogue(sets: Mapping[str, RuleSet]) -> str:
    out: list[str] = []
    for rule_id in rule_ids(sets):
        home = next(name for name, ruleset in sets.items() if rule_id in ruleset.rules)
        rule = sets[home].rules[rule_id]
        where = ", ".join(
            f"`{name}`: {(r.severity if r.enabled else 'off')}"
            for name, ruleset in sets.items()
            if (r := ruleset.rules.get(rule_id)) is not None
        )
        out += [
            f"### `{rule_id}` {{#{anchor(rule_id)}}}",
            "",
            f"**{cell(rule.title)}**. Applies to {', '.join(rule.applies_to)} flows; defined in `{home}`.",
            "",
            f"Severity by pack: {where}.",
            "",
            f"Message: “{cell(rule.message)}”",
            "",
        ]
        if rule.options:
            opts = ", ".join(f"`{k}`: `{v}`" for k, v in rule.options.items())
            out += [f"Options (as `{home}` sets them): {opts}.", ""]
        if rule.help:
            out += [cell(rule.help), ""]
        if rule.references:
            out += [f"Cited by `{home}`:", "", *map(reference_line, rule.references), ""]
        for name, ruleset in sets.items():
            if name != home and rule_id in ruleset.rules and own_law(sets, name, rule_id):
                extra = [r for r in ruleset.rules[rule_id].references if r not in rule.references]
                out += [f"Added by `{name}`:", "", *map(reference_line, extra), ""]
    return "\n".join(out)


def law(sets: Mapping[str, RuleSet]) -> str:
    """One row per (pack, law, status, date, source); the rules citing it are listed, with the sections."""
    rows: dict[tuple[str, str, str, str, str], list[str]] = {}
    notes: dict[str, set[str]] = {}
    for name, ruleset in sets.items():
        for rule in ruleset.rules.values():
            core_rule = sets["core"].rules.get(rule.id)
            for ref in rule.references:
                if name != "core" and core_rule is not None and ref in core_rule.references:
                    continue  # core's guidelines, listed once under core
                key = (
                    name,
                    str(ref.get("law", "")),
                    str(ref.get("status", "")),
                    str(ref.get("as_of", "")),
                    str(ref.get("url", "")),
                )
                rows.setdefault(key, [])
                section = cell(ref.get("section", ""))
                if section and section not in rows[key]:
                    rows[key].append(section)
                for url in URL.findall(str(ref.get("note", ""))):
                    notes.setdefault(url, set()).add(name)
    table = [
        "| pack | law, decision or guideline | sections cited | status | as of | source |",
        "|---|---|---|---|---|---|",
    ]
    for (pack, name, status, as_of, url), sections in rows.items():
        table.append(
            f"| `{pack}` | {cell(name)} | {'; '.join(sections)} | {cell(status)} | {as_of} | {source_cell(url)} |"
        )
    flagged = sorted(url for url in notes if not is_primary(url))
    extra = ["", "Sources the packs' notes cite (commentary, for context; not the law itself):", ""]
    extra += [f"- {source_cell(url)}, in {', '.join(f'`{p}`' for p in sorted(notes[url]))}" for url in flagged]
    return "\n".join(table + (extra if flagged else []))


GENERATORS: dict[str, Callable[[Mapping[str, RuleSet]], str]] = {
    "shipped": shipped,
    "matrix": matrix,
    "catalogue": catalogue,
    "law": law,
}


def expand(markdown: str, sets_of: Callable[[], Mapping[str, RuleSet]]) -> str:
    names: Iterable[str] = MARKER.findall(markdown)
    unknown = [n for n in names if n not in GENERATORS]
    if unknown:
        raise ValueError(f"unknown packs marker(s): {', '.join(unknown)} (known: {', '.join(GENERATORS)})")
    if not names:
        return markdown
    sets = sets_of()
    return MARKER.sub(lambda m: GENERATORS[m.group(1)](sets), markdown)


_cache: dict[str, Mapping[str, RuleSet]] = {}


def _sets() -> Mapping[str, RuleSet]:
    if "sets" not in _cache:
        _cache["sets"] = rule_sets()
    return _cache["sets"]


def on_page_markdown(markdown: str, **_: Any) -> str:
    return expand(markdown, _sets)
