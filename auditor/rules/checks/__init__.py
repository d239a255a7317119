"""Check functions, one module per family; importing this package registers them all in REGISTRY.

base.py          the check interface: CheckContext, CheckResult, Violation, Evidence, @check, REGISTRY
paths.py         graph helpers the checks share (routes, least-weight paths, reachability, controls)
cancellation.py  no_online_path, steps, harder_than_partner, detours, exit_prominence, hidden_exit,
                 confirmshaming, forced_survey, confirmation, login_wall
labels.py        required_label, exit_on_offers, withdrawal_control
purchase.py      unguarded_charge, reauth_window, parental_gate, price_at_confirm, prechecked_addon,
                 renewal_terms, express_consent
"""

from auditor.rules.checks import cancellation, labels, purchase
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
    "check",
    "labels",
    "purchase",
    "with_defaults",
]
