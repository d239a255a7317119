"""How visible the exit is beside the offers to stay, as a person would judge it (`exit_prominence`).

On each screen of the cheapest path that shows a way out together with ways to stay or to take an offer, the
exit is compared with each of those controls of the same screen, and scored by the cues that make a control
stand out to the eye. Each cue on which the exit is weaker earns points (`POINTS`):

- size: a smaller font, a smaller area (exit/keep under `min_ratio`): 1 point each;
- weight: regular type beside bold (`WEIGHT_GAP` or more lighter: 400 against 700): 1 point;
- fill: styled lighter (`STYLE_WEIGHT`: a filled button 2, a bordered "ghost" button 1, a link or text 0): the
  difference, so a link beside a filled button earns 2, an outline beside one earns 1;
- contrast: a lower contrast against its own background (WCAG ratio under `min_ratio`): 1 point;
- position: below the fold while the other is above it: 1 point; placed after it (its top under the other's
  bottom: read last) is a weak cue, half a point, since fair pages list their options one under the other too.

The exit is weaker when it scores `min_weaker` points or more against one of them; the reported keep is the one
it scores most against (ties: the most prominent, area x contrast). An exit beside an equal button scores 0.
The keeps and offers of a screen are those named so by the packs' words, those whose action kept the user (a
"Cancel" that closes the last dialog), and on a screen that says it makes an offer ("Before you go"), its
filled buttons outside the site's chrome whose words name no other intent ("Take 3 months at half price").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.records import CHROME_REGIONS, Control
from auditor.rules.checks.base import CheckContext, CheckResult, Violation, check
from auditor.rules.checks.paths import (
    Routes,
    controls,
    features,
    goal_route,
    prominence,
    screen_name,
    seen_text,
    strongest,
    unreached,
)

Options = Mapping[str, Any]
DIMENSIONS = ("font_size", "contrast", "area")  # measured as ratios, exit/keep
# how much a control's styling draws the eye: a filled button over a bordered "ghost" one over a link or text
STYLE_WEIGHT = {"button": 2, "outline": 1, "link": 0, "text": 0}
PUSHED_INTENTS = ("neutral", "join")  # a retention screen's filled button with these words is one of its offers
WEIGHT_GAP = 300  # font-weight units: regular (400) beside bold (700)
POINTS = {"font_size": 1.0, "area": 1.0, "contrast": 1.0, "font_weight": 1.0, "above_fold": 1.0, "after": 0.5}
FEATURES = (*DIMENSIONS, "font_weight", "styled_as", "above_fold")
PROMINENCE_FIGURES = (  # what exit_prominence measures, for its rules' messages (see _score)
    "screen",
    "weaker_on",
    "comparison",
    "score",
    *(f"{side}_{f}" for side in ("exit", "keep") for f in ("label", *FEATURES)),
    *(f"{dim}_ratio" for dim in DIMENSIONS),
)


@check(
    "exit_prominence",
    figures=PROMINENCE_FIGURES,
    min_ratio={"type": "number", "exclusiveMinimum": 0, "default": 0.8},
    min_weaker={"type": "number", "minimum": 0.5, "maximum": 10, "default": 2},
)
def exit_prominence(ctx: CheckContext, options: Options) -> CheckResult:
    """On each screen of the cheapest path that offers both a way out and a way to stay (or accept an offer),
    how the exit (the one the path took, an exit by its words or by its role, else the most prominent)
    compares with each keep/offer control of the same screen, scored by size, weight, fill, contrast and
    position (see the module's docstring): `min_weaker` points or more against one of them is visual
    interference steering the user to stay.
    Figures (per screen): `screen`, `exit_label` and the exit's `exit_font_size`, `exit_contrast`,
    `exit_area`, `exit_font_weight`, `exit_styled_as`, `exit_above_fold`, the same for `keep_`,
    `font_size_ratio`, `contrast_ratio`, `area_ratio` (exit/keep, null if unmeasured), `weaker_on` (the cues:
    font_size, contrast, area, font_weight, styled_as, above_fold, after), `comparison` (the same, in words
    with both values), `score` (the points), `min_ratio`, `min_weaker`; a pass gives `screens` (screens
    compared)."""
    graph = ctx.graph
    route = goal_route(graph)
    if route is None:
        return unreached(graph, "the exit's prominence on the path")
    routes = Routes(graph)
    compared = 0
    violations = []
    for step in route:
        u, v, action = step
        exits, keeps = exits_and_keeps(ctx, u)
        took_exit = ctx.flow.intent(u, v, action.key) == "exit"  # by its words or by its role (analyse.py)
        exit_el = features(graph, step) if took_exit else strongest(exits)
        keeps = [k for k in keeps if exit_el is None or k.key != exit_el.key]
        if exit_el is None or not keeps:
            continue
        compared += 1
        figures = max((_score(exit_el, k, options) for k in keeps), key=lambda f: (f["score"], f["_prominence"]))
        del figures["_prominence"]
        if figures["score"] >= options["min_weaker"]:
            figures = {"screen": screen_name(graph.screen(u)), **figures}
            violations.append(Violation(figures, routes.evidence(u, exit_el)))
    if violations:
        return CheckResult.failed(*violations)
    return CheckResult.passed(screens=compared, min_ratio=options["min_ratio"], min_weaker=options["min_weaker"])


def exits_and_keeps(ctx: CheckContext, state: str) -> tuple[list[Control], list[Control]]:
    """A screen's exits and its keeps (or offers), by their labels and, for a control whose action the analysis
    found to keep the user by what it did (a "Cancel" that closes the last dialog), by that: it is a keep. On a
    screen that says it makes an offer (the packs' screen `offer` words: "Before you go"), a filled button
    outside the chrome whose words name no intent, or a sign-up's ("Try the Lite plan"), is an offer too: it is
    what the screen pushes ("Take 3 months at half price"), whether or not the packs know its words."""
    graph, vocab = ctx.graph, ctx.vocab
    screen = graph.screen(state)
    edges = graph.g.out_edges(state, keys=True)
    kept = {key for _, v, key in edges if ctx.flow.intent(state, v, key) == "keep"}
    exits = [e for e in controls(screen, vocab, "exit") if e.key not in kept]
    offer = vocab.matches("offer", seen_text(screen))  # "Before you go", "A special offer for you"
    keeps = [
        e
        for e in controls(screen, vocab)
        if e.key in kept
        or vocab.intent(e.label, screen.lang) in ("keep", "offer")
        or (offer and _pushed(e) and vocab.intent(e.label, screen.lang) in PUSHED_INTENTS)
    ]
    return exits, keeps


def _pushed(element: Control) -> bool:
    """A filled button in the page's content (not its header, navigation, footer or a menu)."""
    return element.kind == "click" and element.styled_as == "button" and element.region not in CHROME_REGIONS


def _score(exit_el: Control, keep_el: Control, options: Options) -> dict[str, Any]:
    """The figures of one comparison: both controls' features, the ratios, the cues on which the exit is weaker
    and the points they earn (`score`)."""
    figures: dict[str, Any] = {}
    for side, element in (("exit", exit_el), ("keep", keep_el)):
        figures[f"{side}_label"] = element.label
        for feature in FEATURES:
            figures[f"{side}_{feature}"] = getattr(element, feature)
    points: dict[str, float] = {}
    for dim in DIMENSIONS:
        mine, theirs = getattr(exit_el, dim), getattr(keep_el, dim)
        ratio = round(float(mine) / float(theirs), 2) if mine is not None and theirs else None
        figures[f"{dim}_ratio"] = ratio
        if ratio is not None and ratio < options["min_ratio"]:
            points[dim] = POINTS[dim]
    if exit_el.font_weight and keep_el.font_weight and keep_el.font_weight - exit_el.font_weight >= WEIGHT_GAP:
        points["font_weight"] = POINTS["font_weight"]
    fill = STYLE_WEIGHT.get(keep_el.styled_as or "", 0) - STYLE_WEIGHT.get(exit_el.styled_as or "", 0)
    if fill > 0:
        points["styled_as"] = float(fill)
    if keep_el.above_fold is True and exit_el.above_fold is False:
        points["above_fold"] = POINTS["above_fold"]
    elif _after(exit_el, keep_el):
        points["after"] = POINTS["after"]
    weaker = [dim for dim in (*DIMENSIONS, "font_weight", "styled_as", "above_fold", "after") if dim in points]
    figures.update(weaker_on=weaker, score=sum(points.values()))
    figures.update(min_ratio=options["min_ratio"], min_weaker=options["min_weaker"])
    figures["comparison"] = [_compare(dim, exit_el, keep_el) for dim in weaker]
    figures["_prominence"] = prominence(keep_el)  # the tie-break, dropped from the figures
    return figures


def _after(exit_el: Control, keep_el: Control) -> bool:
    """The exit stands under the other control (its top below the other's bottom): it is read after it."""
    if not exit_el.bbox or not keep_el.bbox or len(exit_el.bbox) < 4 or len(keep_el.bbox) < 4:
        return False
    return exit_el.bbox[1] >= keep_el.bbox[1] + keep_el.bbox[3]


def _a(style: str | None) -> str:
    return f"an {style}" if (style or "")[:1] in ("a", "e", "i", "o", "u") else f"a {style}"


def _compare(dim: str, exit_el: Control, keep_el: Control) -> str:
    """One measured difference in words a reader of the report understands (exit's value first)."""
    if dim == "font_size":
        return f"font size {exit_el.font_size:g}px vs {keep_el.font_size:g}px"
    if dim == "contrast":
        return f"contrast {exit_el.contrast:g}:1 vs {keep_el.contrast:g}:1"
    if dim == "area":
        return f"area {exit_el.area} vs {keep_el.area} px²"
    if dim == "font_weight":
        return f"font weight {exit_el.font_weight} vs {keep_el.font_weight}"
    if dim == "styled_as":
        return f"styled as {_a(exit_el.styled_as)} vs {_a(keep_el.styled_as)}"
    if dim == "after":
        return "placed after it"
    return "below the fold vs above it"
