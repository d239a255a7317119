"""The crawler: walks one flow in a real page and returns its FlowGraph.

Modules, in the order an action happens:
  observe.py      wait for the page to settle, run the probe in every in-scope frame, one Observation
  probe.js        the in-page probe: candidate actions with visual features, fields, visible text, dialog
  fingerprint.py  state identity with noise stripped
  states.py       is this screen known? (fingerprints, near-duplicates, trap folding)
  frontier.py     scoring controls and choosing the next action
  act.py          perform one action (fill the fields it submits, then click / check / select)
  setup.py        the spec's setup steps (e.g. log in) on a fresh context
  explorer.py     the loop: act, observe, record, restore; best-first, then bounded exhaustive
"""

from auditor.explore.explorer import Explorer

__all__ = ["Explorer"]
