"""The crawler: walks one flow in a real page and returns its FlowGraph (plus the artifacts of its probes).

Modules, in the order an action happens:
  session.py      the browser session: context, page, popups, the charge guard's log, screenshots
  settle.py       wait until the page is ready to look at (loaded, quiet, animations over), or a late change
  observe.py      run the probe in every in-scope frame once settled: one Observation
  timers.py       a step that lands after a timer: the page clock is run forward instead of waited
  probe.js        the in-page probe: candidate actions with visual features, fields, visible text, dialog
  hooks.js/.py    the init script the probe relies on: which elements got click/hover listeners, opaque stores
  fingerprint.py  state identity with noise stripped
  states.py       is this screen known? (fingerprints, near-duplicates, trap folding)
  recorder.py     the one source of truth for states, actions and the paths to them
  frontier.py     scoring controls and choosing the next action
  needless.py     items not worth a click: the same outcome again, past a charge the rest of the catalogue
  act.py          perform one action (fill the fields it submits, then click / check / select)
  restore.py      bringing the page back to a recorded screen: URL, anchor + actions, replay
  fresh.py        the fresh-user proof: a goal is reported on a way a new user can walk
  setup.py        the spec's setup steps (e.g. log in) for a fresh user
  signin.py       is the user still signed in? (cookies dropped, then a login screen: a lost session)
  userdata.py     has the user stored or sent anything a new user lacks? (cookies, storage, non-GET requests)
  window.py       the re-auth window probe (purchases), through a narrow driver interface
  explorer.py     the loop: choose, restore, act, record; best-first, then bounded exhaustive
"""
