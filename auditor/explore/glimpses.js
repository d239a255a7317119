// Installed in every frame of every context before any page script runs (explore/glimpses.py). What a page
// says for a moment only (a toast that fades after two seconds, a live region's message, a dialog that closes
// by itself) may be gone by the time the page settles and the probe looks, yet the user read it. So each
// message is handed to the explorer the moment it shows, through the binding `__auditorGlimpse`: a message
// shown just before a navigation is kept too. The explorer keeps those that arrived between an action and
// the look after it.
// Where messages are looked for: live regions (role status/alert/log, aria-live other than off, <output>),
// dialogs (<dialog>, role dialog/alertdialog), and boxes pinned to the viewport (position fixed, smaller than
// half of it: a toast with no role). No timers are used (the page clock runs them), nothing is marked in the
// DOM, and what the parser builds while the document loads is read once when it is parsed, not node by node
// (its live regions and dialogs, and the pinned boxes among the body's children and grandchildren).
(() => {
  if (window.__auditorGlimpsing) return;
  Object.defineProperty(window, '__auditorGlimpsing', {value: true, enumerable: false});
  const LIVE = '[role=status], [role=alert], [role=log], [aria-live]:not([aria-live=off]), output';
  const DIALOG = 'dialog, [role=dialog], [role=alertdialog]';
  const MAX_TEXT = 500, MAX_SENT = 60, MAX_NODES = 40, MAX_DEPTH = 25;
  const sent = new WeakMap();  // region -> the text last handed over for it
  let count = 0;
  const parentOf = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  const shown = (el) => {
    if (el.checkVisibility && !el.checkVisibility({checkVisibilityCSS: true})) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const kindOf = (el) => {
    if (el.matches(DIALOG)) return 'dialog';
    if (el.matches(LIVE)) return el.getAttribute('role') || (el.tagName === 'OUTPUT' ? 'status' : 'live');
    return null;
  };
  const pinned = (el) => {  // a box fixed to the viewport and smaller than half of it: a toast, a snackbar
    if (getComputedStyle(el).position !== 'fixed') return false;
    const r = el.getBoundingClientRect();
    return r.width * r.height < 0.5 * window.innerWidth * window.innerHeight;
  };
  const regionOf = (node) => {  // the live region, dialog or pinned box a changed node belongs to
    let depth = 0;
    for (let el = node; el && el !== document.body && el !== document.documentElement && depth < MAX_DEPTH;
      el = parentOf(el), depth++) {
      const kind = kindOf(el);
      if (kind) return [el, kind];
      if (pinned(el)) return [el, 'toast'];
    }
    return null;
  };
  const hand = (el, kind) => {
    if (count >= MAX_SENT || !shown(el)) return;
    const text = (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);
    if (!text || sent.get(el) === text) return;
    sent.set(el, text);
    const give = window.__auditorGlimpse;
    if (typeof give !== 'function') return;
    count++;
    try { give({text: text, how: kind}).catch(() => {}); } catch (e) { /* never break the page */ }
  };
  const look = (records) => {
    if (document.readyState === 'loading') return;  // the parser building the page: read once, when parsed
    const regions = new Map();
    let nodes = 0;
    const consider = (node) => {
      if (nodes++ >= MAX_NODES) return;
      const el = node.nodeType === 1 ? node : parentOf(node);
      if (!el) return;
      const found = regionOf(el);
      if (found) regions.set(found[0], found[1]);
      if (node.nodeType === 1 && node.querySelectorAll) {  // a container added with a live region inside
        for (const inner of node.querySelectorAll(LIVE + ', ' + DIALOG)) regions.set(inner, kindOf(inner));
      }
    };
    for (const record of records) {
      if (record.type === 'childList') record.addedNodes.forEach(consider);
      consider(record.target);
    }
    regions.forEach((kind, el) => hand(el, kind));
  };
  const parsed = () => {  // live regions, open dialogs and pinned boxes (a flash message) that came with the page
    for (const el of document.querySelectorAll(LIVE + ', ' + DIALOG)) hand(el, kindOf(el));
    const near = document.body ? Array.from(document.body.children) : [];  // a toast sits near the body's top
    for (const el of near.concat(...near.map((n) => Array.from(n.children))).slice(0, 200)) {
      if (!kindOf(el) && pinned(el)) hand(el, 'toast');
    }
  };
  new MutationObserver(look).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ['hidden', 'open', 'class', 'style', 'aria-hidden'],
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', parsed, {once: true});
})();
