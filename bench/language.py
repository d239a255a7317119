"""Benchmark: what detecting a page's language (auditor/language.py) costs: milliseconds per page and MB.

Reads the text of every sparring site page under tests/sites (as a browser shows it: scripts and styles left
out), detects each page's language with its `lang` attribute as the hint, and prints the pages, the
detector's build (its models loaded), the time per page after that, and the process's resident memory
before and after. Run: `.venv/bin/python -m bench.language`.
"""

from __future__ import annotations

import resource
import time
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup

from auditor.language import detector, page_language

SITES = Path(__file__).resolve().parents[1] / "tests" / "sites"


def pages() -> list[tuple[str, str]]:
    """(text, lang attribute) of every sparring site page."""
    out = []
    for path in sorted(SITES.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8", errors="replace"), "lxml")
        for tag in soup(["script", "style"]):
            tag.decompose()
        html = soup.find("html")
        out.append((soup.get_text(" ", strip=True)[:4000], str(html.get("lang") or "") if html else ""))
    return out


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def main() -> None:
    texts = pages()
    before = resident_mb()
    start = time.perf_counter()
    detector()
    first = time.perf_counter() - start
    start = time.perf_counter()
    found = Counter(page_language(text, hint) for text, hint in texts)
    per_page = (time.perf_counter() - start) / len(texts)
    print(f"pages: {len(texts)} ({sum(len(t) for t, _ in texts) // len(texts)} characters on average)")
    print(f"detector built (models loaded): {first * 1000:.0f} ms; then {per_page * 1000:.2f} ms per page")
    print(f"resident memory: {before:.0f} MB before, {resident_mb():.0f} MB after (+{resident_mb() - before:.0f} MB)")
    print("languages:", ", ".join(f"{lang or '?'} {n}" for lang, n in found.most_common()))


if __name__ == "__main__":
    main()
