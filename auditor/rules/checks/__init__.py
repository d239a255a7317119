"""Check functions, one module per family and topic; importing this package registers them all in REGISTRY.

base.py                  the check interface: CheckContext, CheckResult, Violation, Evidence, @check, REGISTRY
paths.py                 graph helpers the checks share (routes, least-weight paths, reachability, controls,
                         charges and their prices, the "stopped early -> incomplete" verdict tail)
cancellation.py          the way out: no_online_path, same_medium, steps, harder_than_partner, detours,
                         offers_before_goal, login_wall
cancellation_screens.py  what its screens show: hidden_exit, confirmshaming, forced_survey, confirmation
prominence.py            exit_prominence: the exit beside the offers to stay, scored as a person sees it
labels.py                required_label, exit_on_offers, control_near_start
forms.py                 minimal_form (what the page after a cancel or withdrawal button asks for)
purchase.py              what the purchase checks share (their starting verdicts, option schemas)
purchase_gates.py        who may pay: unguarded_charge, reauth_window, parental_gate
purchase_terms.py        what is shown and agreed to: price_at_confirm, prechecked_addon, renewal_terms,
                         express_consent, terms_at_enrolment, subscription_claims

Words the checks look for come from the packs' vocabulary (ctx.vocab), thresholds from the rules' options.
"""

from auditor.rules.checks import (
    cancellation,
    cancellation_screens,
    forms,
    labels,
    prominence,
    purchase,
    purchase_gates,
    purchase_terms,
)
from auditor.rules.checks.base import (
    REGISTRY,
    CheckContext,
    CheckResult,
    CheckSpec,
    Evidence,
    Violation,
    check,
    with_defaults,
)

__all__ = [
    "REGISTRY",
    "CheckContext",
    "CheckResult",
    "CheckSpec",
    "Evidence",
    "Violation",
    "cancellation",
    "cancellation_screens",
    "check",
    "forms",
    "labels",
    "prominence",
    "purchase",
    "purchase_gates",
    "purchase_terms",
    "with_defaults",
]
