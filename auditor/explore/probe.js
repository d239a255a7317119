// The page probe: one evaluation per frame returns everything the explorer needs to decide its next move
// and everything the rules need later. It never changes the page: elements are remembered in a registry on
// `window` (not tagged in the DOM) so the explorer can act on them by index right after probing.
// Controls as component libraries build them count too: ARIA widgets (menus, tabs, switches, custom
// comboboxes and their listboxes, disclosures), elements that only got a click or hover listener (seen by the
// init script hooks.js, not by page JavaScript), and dialogs rendered in portals at the end of <body>.
async (opts) => {
  const hooks = window.__auditorHooks || null;
  if (hooks) await hooks.reveal();  // a page that renders on scroll: scrolled through once (hooks.js), then read
  const MAX_ELEMENTS = opts.maxElements || 300;
  const MAX_TEXT = opts.maxText || 6000;
  const avoidSelectors = opts.avoidSelectors || [];
  const vw = window.innerWidth, vh = window.innerHeight;

  const CLICKABLE = 'a[href], button, input[type=submit], input[type=button], input[type=image], summary, ' +
    '[role=button], [role=link], [role=menuitem], [role=menuitemcheckbox], [role=menuitemradio], [role=tab], ' +
    '[role=option], [role=treeitem], [onclick]';
  // Hints of a control that need no actionable inside them: a popup trigger, a disclosure, a custom select
  // (a role=combobox that is no text field); a container with aria-expanded (a tree, a nav group) is not one.
  const HINTED = '[aria-haspopup]:not([aria-haspopup=false]), [aria-expanded], [role=combobox]';
  // Roles of containers, never a control themselves even with a listener on them.
  const CONTAINER_ROLES = new Set(['dialog', 'alertdialog', 'presentation', 'none', 'menu', 'menubar', 'listbox',
    'tablist', 'tabpanel', 'region', 'main', 'navigation', 'banner', 'contentinfo', 'form', 'toolbar', 'grid',
    'tree', 'list', 'table', 'row', 'radiogroup', 'group', 'article', 'document', 'application', 'feed',
    'complementary', 'search', 'tooltip', 'status', 'alert', 'log', 'heading', 'img']);
  const TOGGLES = 'input[type=checkbox], input[type=radio], [role=checkbox], [role=radio], [role=switch]';
  // Fields a person types or picks a value into: text of every kind, the date and time pickers, and
  // contenteditable boxes (a rich text "Tell us more")
  const TEXTLIKE = 'input:not([type]), input[type=text], input[type=email], input[type=password], ' +
    'input[type=tel], input[type=number], input[type=search], input[type=url], textarea, input[type=date], ' +
    'input[type=datetime-local], input[type=month], input[type=time], input[type=week], ' +
    '[contenteditable=""]:not([contenteditable] *), [contenteditable=true]:not([contenteditable] *), ' +
    '[contenteditable=plaintext-only]:not([contenteditable] *)';
  const ACTIONABLE = CLICKABLE + ', ' + TOGGLES + ', select, ' + TEXTLIKE;

  // ---- walking the composed tree (open shadow roots included) ----
  const roots = [document];
  const all = [];
  for (let i = 0; i < roots.length && all.length < 20000; i++) {
    for (const el of roots[i].querySelectorAll('*')) {
      all.push(el);
      if (el.shadowRoot) roots.push(el.shadowRoot);
    }
  }
  const parentOf = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  const composedContains = (outer, inner) => {
    for (let n = inner; n; n = n.parentNode || n.host) if (n === outer) return true;
    return false;
  };

  // ---- visibility, colours, contrast ----
  const visCache = new Map();
  const collapsedCache = new Map();
  const collapsed = (el) => {  // inside a box collapsed to nothing that clips its content (an accordion's panel)
    if (!el || el === document.body || el === document.documentElement) return false;
    if (collapsedCache.has(el)) return collapsedCache.get(el);
    const cs = getComputedStyle(el);
    let c = false;
    if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
      const r = el.getBoundingClientRect();
      c = r.width <= 1 || r.height <= 1;
    }
    if (!c && cs.position !== 'fixed') c = collapsed(parentOf(el));
    collapsedCache.set(el, c);
    return c;
  };
  const visible = (el) => {
    if (visCache.has(el)) return visCache.get(el);
    let v = el.checkVisibility ? el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) : true;
    if (v) { const r = el.getBoundingClientRect(); v = r.width > 1 && r.height > 1; }
    if (v) v = !collapsed(parentOf(el));
    visCache.set(el, v);
    return v;
  };
  const parseColor = (s) => {
    const m = s && s.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const backgroundOf = (el) => {  // the colour really behind the element: composite its ancestors' backgrounds
    const layers = [];
    for (let n = el; n; n = parentOf(n)) {
      const c = parseColor(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const contrast = (fg, bg) => {
    const a = luminance(fg) + 0.05, b = luminance(bg) + 0.05;
    return Math.round((Math.max(a, b) / Math.min(a, b)) * 100) / 100;
  };

  // ---- names and roles ----
  const clean = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const textOf = (el) => {  // rendered text, without aria-hidden decoration ("E-Mail *", icon glyphs)
    if (el.querySelector && el.querySelector('[aria-hidden="true"]')) {
      const copy = el.cloneNode(true);
      copy.querySelectorAll('[aria-hidden="true"]').forEach((c) => c.remove());
      return clean(copy.textContent);
    }
    return clean(el.innerText !== undefined && el.innerText !== '' ? el.innerText : el.textContent);
  };
  const shownText = (el) => {  // the words of an element as shown: hidden and aria-hidden parts left out
    const out = [];
    const walkShown = (node) => {
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) out.push(c.textContent);
        else if (c.nodeType === 1 && c.getAttribute('aria-hidden') !== 'true' && visible(c)) walkShown(c);
      }
    };
    walkShown(el);
    return clean(out.join(' '));
  };
  const labelText = (label) => {  // a label's own words, without the text of a control it wraps
    const copy = label.cloneNode(true);
    copy.querySelectorAll('select, textarea, input, button, [aria-hidden="true"]').forEach((c) => c.remove());
    return clean(copy.textContent);
  };
  const byId = (el, id) => (el.getRootNode().getElementById ? el.getRootNode().getElementById(id) : null);
  const customCombo = (el) => el.getAttribute('role') === 'combobox' && !['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName);
  const nameOf = (el) => {
    let ids = el.getAttribute('aria-labelledby');
    // A custom select names itself by its label and its own value ("Reason Too pricey"): the value is state,
    // not name (it would make each answer a new screen), so its own id is left out when a label remains.
    if (ids && customCombo(el) && el.id) {
      const others = ids.split(/\s+/).filter((id) => id && id !== el.id);
      if (others.length) ids = others.join(' ');
    }
    if (ids) {
      const t = clean(ids.split(/\s+/).map((id) => { const r = byId(el, id); return r ? textOf(r) : ''; }).join(' '));
      if (t) return t;
    }
    const aria = clean(el.getAttribute('aria-label'));
    if (aria) return aria;
    const tag = el.tagName;
    if (tag === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type)) return clean(el.value) || 'Submit';
    if (tag === 'INPUT' && el.type === 'image') return clean(el.alt) || 'Submit';
    if (el.labels && el.labels.length) {
      const t = clean(Array.from(el.labels).map((l) => labelText(l)).join(' '));
      if (t) return t;
    }
    if (tag !== 'INPUT' && tag !== 'SELECT' && tag !== 'TEXTAREA') {
      const t = textOf(el);
      if (t) return t;
      const img = el.querySelector('img[alt]');
      if (img && clean(img.alt)) return clean(img.alt);
    }
    return clean(el.getAttribute('title')) || clean(el.getAttribute('placeholder')) || clean(el.getAttribute('name'));
  };
  const roleOf = (el) => {
    const r = el.getAttribute('role');
    if (r) return r.split(/\s+/)[0];
    const tag = el.tagName;
    if (tag === 'A') return 'link';
    if (tag === 'BUTTON' || tag === 'SUMMARY') return 'button';
    if (tag === 'SELECT') return 'combobox';
    if (tag === 'TEXTAREA') return 'textbox';
    if (tag === 'INPUT') {
      const t = el.type;
      if (t === 'checkbox' || t === 'radio') return t;
      if (['submit', 'button', 'image', 'reset'].includes(t)) return 'button';
      return 'textbox';
    }
    return 'generic';
  };
  const disabledOf = (el) => !!(el.disabled || el.getAttribute('aria-disabled') === 'true' ||
    (el.closest && el.closest('fieldset[disabled]')));
  const selectorOf = (el) => {  // readable, for evidence; the explorer re-finds elements by key, not by this
    const parts = [];
    for (let n = el; n && parts.length < 4; n = parentOf(n)) {
      if (n === document.documentElement || n === document.body) break;
      let s = n.tagName.toLowerCase();
      if (n.id && !/\d{3,}|[0-9a-f]{8,}/i.test(n.id)) { parts.unshift(s + '#' + CSS.escape(n.id)); break; }
      const name = n.getAttribute('name');
      if (name) s += `[name="${name}"]`;
      const cls = Array.from(n.classList).filter((c) => !/\d/.test(c)).slice(0, 2);
      if (cls.length) s += '.' + cls.map((c) => CSS.escape(c)).join('.');
      parts.unshift(s);
    }
    return parts.join(' ');
  };

  // ---- what is on top: modal dialogs and click-intercepting veils ----
  const deepHit = (x, y) => {
    let e = document.elementFromPoint(x, y);
    while (e && e.shadowRoot) {
      const inner = e.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === e) break;
      e = inner;
    }
    return e;
  };
  const fixedOf = (n) => {  // the element itself or its nearest ancestor that is fixed or sticky
    for (; n && n !== document.documentElement; n = parentOf(n)) {
      const pos = getComputedStyle(n).position;
      if (pos === 'fixed' || pos === 'sticky') return n;
    }
    return null;
  };
  // A veil: something fixed that sits on top at most sample points of the viewport.
  const samples = [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9], [0.5, 0.2], [0.5, 0.8]];
  const topCounts = new Map();
  for (const [fx, fy] of samples) {
    for (let n = deepHit(vw * fx, vh * fy); n; n = parentOf(n)) {
      const pos = getComputedStyle(n).position;
      if (pos === 'fixed') { topCounts.set(n, (topCounts.get(n) || 0) + 1); break; }
    }
  }
  let veil = null;
  for (const [n, count] of topCounts) {
    const r = n.getBoundingClientRect();
    if (count >= 5 && r.width * r.height >= 0.6 * vw * vh) veil = n;
  }
  const overlaid = (el) => {  // inside a fixed box that covers most of the viewport (a portal's overlay)
    for (let n = el; n && n !== document.documentElement; n = parentOf(n)) {
      if (getComputedStyle(n).position !== 'fixed') continue;
      const r = n.getBoundingClientRect();
      if (r.width * r.height >= 0.6 * vw * vh) return true;
    }
    return false;
  };
  // Modal dialogs: a modal <dialog>, aria-modal, an alertdialog; a role=dialog (often rendered in a portal at
  // the end of <body>, without aria-modal) when an overlay covers the page; else a veil with controls in it
  // (an overlay built of plain divs). The last one in document order is the topmost portal.
  let modal = null;
  for (const el of all) {
    if (!visible(el)) continue;
    if ((el.tagName === 'DIALOG' && el.matches(':modal')) ||
        (el.getAttribute('aria-modal') === 'true')) { modal = el; }
  }
  if (!modal) {
    for (const el of all) {
      if (el.tagName === 'DIALOG' && el.open && visible(el)) { modal = el; break; }
      if (el.getAttribute('role') === 'alertdialog' && visible(el)) { modal = el; break; }
    }
  }
  if (!modal) {
    for (const el of all) {
      if (el.getAttribute('role') === 'dialog' && visible(el) && (veil || overlaid(el))) modal = el;
    }
  }
  if (!modal && veil && Array.from(veil.querySelectorAll(CLICKABLE + ', ' + TOGGLES + ', select')).some(visible)) {
    modal = veil;
  }
  // A popup (listbox, menu) opened from inside the modal but rendered in a portal of its own belongs to it.
  const POPUP = '[role=listbox], [role=menu], [role=tree], [role=grid], [role=dialog], [role=alertdialog]';
  const ownerOf = (el) => {
    const popup = el.closest && el.closest(POPUP);
    if (!popup || !popup.id) return null;
    const id = CSS.escape(popup.id);
    return document.querySelector(`[aria-controls~="${id}"], [aria-owns~="${id}"]`);
  };
  const inModal = (el) => {
    if (!modal) return false;
    if (composedContains(modal, el)) return true;
    const owner = ownerOf(el);
    return !!(owner && composedContains(modal, owner));
  };
  // Where a control stands in the page's layout: "menu" inside a menu, "popup" inside what an expanded
  // control (aria-expanded=true with aria-controls) shows (a drawer, a disclosure); else "header", "nav" or
  // "footer" inside those landmarks; else "". All but the popup's repeat on every page: the site's chrome.
  const shownIds = new Set();  // what expanded controls show, by id
  for (const b of document.querySelectorAll('[aria-expanded="true"][aria-controls]')) {
    for (const id of b.getAttribute('aria-controls').split(/\s+/)) if (id) shownIds.add(id);
  }
  const regionOf = (el) => {
    if (el.closest('[role=menu], [role=menubar]')) return 'menu';
    for (let n = el; shownIds.size && n && n.nodeType === 1; n = parentOf(n)) {
      if (n.id && shownIds.has(n.id)) return 'popup';
    }
    const mark = el.closest('header, [role=banner], nav, [role=navigation], footer, [role=contentinfo]');
    if (!mark) return '';
    if (mark.matches('nav, [role=navigation]')) return 'nav';
    if (mark.closest('main, article, [role=main]')) return '';  // an article's own header or footer
    return mark.matches('footer, [role=contentinfo]') ? 'footer' : 'header';
  };
  // Could scrolling bring the element out from under a fixed or sticky bar (a header, a footer bar)? A click
  // scrolls it into view, so a bar that covers it only at the current scroll position hides nothing.
  const revealable = (clickEl, bar) => {
    const b = bar.getBoundingClientRect();
    if (b.width * b.height >= 0.5 * vw * vh) return false;  // an overlay, not a bar
    const r = clickEl.getBoundingClientRect();
    const se = document.scrollingElement || document.documentElement;
    const maxScroll = Math.max(0, se.scrollHeight - vh);
    const [lo, hi] = (b.top + b.bottom) / 2 < vh / 2 ? [Math.max(0, b.bottom), vh] : [0, Math.min(vh, b.top)];
    if (hi - lo < r.height) return false;
    const top = r.top + scrollY;
    const sMin = Math.max(0, top + r.height - hi), sMax = Math.min(maxScroll, top - lo);
    return sMin <= sMax + 0.5;
  };
  const obscuredBy = (el, clickEl) => {
    const r = clickEl.getBoundingClientRect();
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const inView = cx >= 0 && cy >= 0 && cx < vw && cy < vh;
    if (modal && !inModal(el)) {
      // outside the modal: covered, unless it is in a popup of its own shown on top of it
      const popup = el.closest && el.closest(POPUP);
      if (!popup || composedContains(popup, modal)) return 'modal';
      const hit = inView ? deepHit(cx, cy) : null;
      if (!hit || !(composedContains(clickEl, hit) || composedContains(hit, clickEl))) return 'modal';
      return null;
    }
    if (inView) {
      const hit = deepHit(cx, cy);
      if (hit && !composedContains(clickEl, hit) && !composedContains(hit, clickEl)) {
        const bar = fixedOf(hit);
        if (bar && bar !== veil && bar !== modal && !composedContains(bar, clickEl) && revealable(clickEl, bar)) {
          return null;
        }
        return selectorOf(hit) || hit.tagName.toLowerCase();
      }
      return null;
    }
    if (veil && !composedContains(veil, el)) return selectorOf(veil);
    return null;
  };

  // ---- candidates ----
  const registry = [];
  const elements = [];
  const fields = [];
  const seen = new Set();
  const formIndex = new Map();
  const formOf = (el) => {
    const f = el.form || (el.closest && el.closest('form'));
    if (!f) return null;
    if (!formIndex.has(f)) formIndex.set(f, formIndex.size);
    return formIndex.get(f);
  };
  const pointerTop = (el) => {  // a scripted div/span that looks clickable (cursor: pointer) and has no actionable inside
    if (['LABEL', 'HTML', 'BODY', 'IMG', 'SVG', 'PATH', 'LI', 'UL'].includes(el.tagName)) return false;
    if (getComputedStyle(el).cursor !== 'pointer') return false;
    const p = parentOf(el);
    if (p && getComputedStyle(p).cursor === 'pointer') return false;
    return !el.querySelector(ACTIONABLE) && clean(el.textContent).length > 0;
  };
  // A scripted element that says so only through its listeners (hooks.js), a popup/disclosure hint or
  // tabindex=0 (frameworks that listen at the root leave no listener on it): a control when it holds no
  // actionable, names something in a few words and is no bigger than half the viewport (not a layout box).
  const scriptedTop = (el) => {
    if (['LABEL', 'HTML', 'BODY', 'IMG', 'SVG', 'PATH', 'LI', 'UL', 'OL', 'TABLE', 'TBODY', 'TR', 'FORM', 'MAIN',
      'NAV', 'HEADER', 'FOOTER', 'SECTION', 'ARTICLE', 'ASIDE', 'IFRAME', 'VIDEO', 'CANVAS'].includes(el.tagName)) {
      if (!(el.tagName === 'LI' && el.matches(HINTED))) return false;
    }
    const role = el.getAttribute('role');
    if (role && CONTAINER_ROLES.has(role.split(/\s+/)[0])) return false;
    const hinted = el.matches(HINTED);
    const listened = !!(hooks && (hooks.clickable(el) || hooks.hoverable(el)));
    const focusable = el.getAttribute('tabindex') === '0' && (!role || role === 'generic');
    if (!hinted && !listened && !focusable) return false;
    // (a hover menu's wrapper holds its menu's links, hidden until it opens: only shown ones count)
    const inner = Array.from(el.querySelectorAll(ACTIONABLE + ', ' + HINTED));
    if (visible(el) ? inner.some(visible) : inner.length) return false;
    const words = clean(el.getAttribute('aria-label')) || shownText(el);
    if (!words || words.length > (focusable && !listened && !hinted ? 60 : 100)) return false;
    const r = el.getBoundingClientRect();
    return r.width * r.height <= 0.5 * vw * vh;
  };
  const picked = new Set();  // scripted controls taken: what is inside one is part of it
  const insidePicked = (el) => {
    for (let n = parentOf(el); n; n = parentOf(n)) if (picked.has(n)) return true;
    return false;
  };
  const ariaSelected = (el) => el.getAttribute('aria-selected') === 'true';
  const features = (el, target) => {
    const r = target.getBoundingClientRect();
    const cs = getComputedStyle(target);
    const own = parseColor(cs.backgroundColor);
    const parentBg = parentOf(target) ? backgroundOf(parentOf(target)) : {r: 255, g: 255, b: 255, a: 1};
    const bg = backgroundOf(target);
    let fg = parseColor(cs.color) || {r: 0, g: 0, b: 0, a: 1};
    if (fg.a < 1) fg = over(fg, bg);
    const filled = !!(own && own.a > 0.3 && contrast(own, parentBg) > 1.1);
    const bordered = parseFloat(cs.borderTopWidth) > 0 && cs.borderTopStyle !== 'none' &&
      (parseColor(cs.borderTopColor) || {a: 0}).a > 0.3;
    const padded = parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom) >= 6;
    // a filled shape is a button; a bordered one with no fill (a "ghost" button) an outline, lighter to the eye
    const styled = filled ? 'button' : bordered && padded ? 'outline' :
      (target.tagName === 'A' || cs.textDecorationLine.includes('underline')) ? 'link' : 'text';
    return {
      font_size: parseFloat(cs.fontSize) || 0,
      font_weight: parseInt(cs.fontWeight, 10) || 400,
      contrast: contrast(fg, bg),
      color: `rgb(${Math.round(fg.r)},${Math.round(fg.g)},${Math.round(fg.b)})`,
      background: `rgb(${Math.round(bg.r)},${Math.round(bg.g)},${Math.round(bg.b)})`,
      area: Math.round(r.width * r.height),
      bbox: [Math.round(r.left + scrollX), Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height)],
      above_fold: r.top + scrollY < vh && r.bottom + scrollY > 0,
      styled_as: styled,
    };
  };
  // the words around a box, as a person reads its row: its label and what stands beside it ("+$4.99"),
  // from the smallest ancestor that holds no other box
  const rowOf = (el) => {
    let row = el;
    for (let n = parentOf(el), up = 0; n && up < 4 && n !== document.body; n = parentOf(n), up++) {
      if (n.querySelectorAll(TOGGLES).length > 1) break;
      row = n;
    }
    return clean(row.textContent).slice(0, 200);
  };
  const push = (el, clickEl, extra) => {
    if (elements.length >= MAX_ELEMENTS) return;
    const vis = visible(clickEl);
    const idx = registry.length;
    registry.push(clickEl);
    const avoided = avoidSelectors.some((s) => { try { return el.matches(s); } catch (e) { return false; } });
    elements.push(Object.assign({
      index: idx,
      tag: el.tagName.toLowerCase(),
      role: roleOf(el),
      label: nameOf(el).slice(0, 160),
      href: el.tagName === 'A' ? el.href : null,
      target: el.getAttribute('target'),
      selector: selectorOf(el),
      in_shadow: el.getRootNode() !== document,
      in_dialog: inModal(el),
      region: regionOf(el),
      form: formOf(el),
      visible: vis,
      enabled: !disabledOf(el),
      obscured_by: vis ? obscuredBy(el, clickEl) : null,
      avoided: avoided,
      expanded: el.getAttribute('aria-expanded'),
    }, vis ? features(el, clickEl) : {}, extra));
  };

  // what a field accepts (the browser's own constraints) and what goes with it: the first suggestion of its
  // datalist, and whether it follows a ticked choice (an "Other" and its text box)
  const number = (v) => (v === null || v === '' ? null : v);
  const constraints = (el) => ({
    min: number(el.getAttribute('min')), max: number(el.getAttribute('max')), step: number(el.getAttribute('step')),
    pattern: number(el.getAttribute('pattern')),
    maxlength: el.maxLength > 0 ? el.maxLength : null, minlength: el.minLength > 0 ? el.minLength : null,
  });
  // a chat: a visible message log (role=log, or a polite live region holding two or more messages) and the
  // panel around it; a text box in that panel is the chat's message box, where a user types the request
  const chatLogs = Array.from(document.querySelectorAll('[role=log], [aria-live=polite]')).filter((n) => visible(n)
    && clean(n.textContent) && (n.getAttribute('role') === 'log' || n.children.length >= 2));
  const chatPanels = chatLogs.map((n) => n.closest('[role=dialog], [role=region], [role=complementary], aside')
    || n.parentElement).filter(Boolean);
  const inChat = (el) => chatPanels.some((p) => p.contains(el));
  // A choice given as a button, chip or card rather than a radio: one that says it is pressed or not
  // (aria-pressed), or one of two or more alike clickable siblings (same tag, class and role) near a button
  // that waits disabled (a survey's reasons that unlock its "Next", in the box around theirs or a few levels
  // up). Its group is the box holding the alternatives (as a radio group's name), so the explorer answers it
  // as a choice and the survey rule reads it.
  const locked = all.filter((el) => el.matches(CLICKABLE) && disabledOf(el) && visible(el));
  const nearLocked = (box) => {
    for (let n = box, up = 0; n && n !== document.documentElement && up < 3; n = parentOf(n), up++) {
      if (locked.some((l) => composedContains(n, l))) return true;
    }
    return false;
  };
  const kindred = (a, b) => a.tagName === b.tagName && a.className === b.className &&
    a.getAttribute('role') === b.getAttribute('role') && a.hasAttribute('aria-pressed') === b.hasAttribute('aria-pressed');
  const choiceGroup = (el) => {
    const pressed = el.hasAttribute('aria-pressed');
    if (el.matches('a[href]') || !(pressed || locked.length)) return '';
    for (let box = parentOf(el), up = 0; box && box !== document.body && up < 3; box = parentOf(box), up++) {
      const kin = Array.from(box.querySelectorAll(el.tagName)).filter((k) => kindred(k, el) && visible(k) && !disabledOf(k));
      if (kin.length >= 2) return pressed || nearLocked(box) ? selectorOf(box) : '';
    }
    return '';
  };
  let lastChoice = null;  // the latest toggle in document order: a field right after a ticked one is its text box
  const afterChoice = (el) => !!(lastChoice && (lastChoice.checked || lastChoice.getAttribute('aria-checked') === 'true')
    && formOf(lastChoice) === formOf(el));
  for (const el of all) {
    if (seen.has(el)) continue;
    const tag = el.tagName;
    if (el.matches(TEXTLIKE)) {
      if (el.type === 'hidden' || !visible(el)) continue;
      const editable = el.isContentEditable && !('value' in el);
      const listed = el.list ? Array.from(el.list.options).find((o) => o.value && !o.disabled) : null;
      fields.push(Object.assign({
        index: registry.length, label: nameOf(el).slice(0, 160), name: el.getAttribute('name') || '',
        placeholder: el.getAttribute('placeholder') || el.getAttribute('aria-placeholder') || '',
        type: editable ? 'text' : (el.type || 'text').toLowerCase(),
        id: el.id || '', required: !!el.required || el.getAttribute('aria-required') === 'true',
        empty: editable ? !clean(el.textContent) : !el.value, form: formOf(el),
        invalid: el.getAttribute('aria-invalid') === 'true',
        enabled: editable ? true : !el.disabled && !el.readOnly, selector: selectorOf(el),
        suggestion: listed ? listed.value : null, after_choice: afterChoice(el), chat: inChat(el),
      }, editable ? {} : constraints(el)));
      registry.push(el);
      continue;
    }
    if (tag === 'SELECT') {
      if (!visible(el) || el.disabled) continue;
      const name = nameOf(el);
      Array.from(el.options).slice(0, 8).forEach((o, i) => {
        if (o.disabled || o.selected || !o.value) return;
        push(el, el, {kind: 'select', option: clean(o.textContent), option_value: o.value,
          label: `${name}: ${clean(o.textContent)}`.slice(0, 160), option_index: i});
      });
      continue;
    }
    if (el.matches(TOGGLES)) {
      const isInput = tag === 'INPUT';
      let clickEl = el;
      if (isInput && !visible(el) && el.labels && el.labels.length && visible(el.labels[0])) clickEl = el.labels[0];
      const checked = isInput ? el.checked : el.getAttribute('aria-checked') === 'true';
      const isRadio = (isInput && el.type === 'radio') || el.getAttribute('role') === 'radio';
      const group = isRadio ? (el.getAttribute('name') ||
        ((el.closest && el.closest('[role=radiogroup]')) ? selectorOf(el.closest('[role=radiogroup]')) : '')) : '';
      lastChoice = el;
      if (isRadio && checked) continue;
      push(el, clickEl, {kind: 'check', checked: checked, group: group, required: !!el.required ||
        el.getAttribute('aria-required') === 'true', row: rowOf(el)});
      if (clickEl !== el) seen.add(clickEl);
      continue;
    }
    const strong = el.matches(CLICKABLE) || pointerTop(el);
    const scripted = !strong && scriptedTop(el);
    if (!strong && !scripted) continue;
    const outer = parentOf(el);
    if (outer && outer.closest && outer.closest(CLICKABLE)) continue;  // the outer control is the candidate
    if (insidePicked(el)) continue;
    const role = roleOf(el);
    // the tab or option already chosen is no action (like a checked radio)
    if ((role === 'tab' || role === 'option') && ariaSelected(el)) continue;
    if (scripted || el.matches(HINTED)) picked.add(el);
    const extra = {kind: 'click'};
    if (scripted && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) {
      extra.label = (shownText(el) || nameOf(el)).slice(0, 160);
    }
    if (role === 'option') {  // a listbox's options are alternatives, like a radio group's
      const box = el.closest('[role=listbox]');
      extra.group = box ? (nameOf(box) || selectorOf(box)) : '';
    } else if ((extra.group = choiceGroup(el))) {
      extra.checked = el.hasAttribute('aria-pressed') ? el.getAttribute('aria-pressed') === 'true' : null;
    }
    push(el, el, extra);
  }

  // ---- form state, coarse: which choices are made (not which option), so a choice that unlocks a button
  // is a step of its own, while picking reason A or reason B leads to the same screen ----
  const formState = new Set();
  const comboSet = (el) => {  // a custom select has a value: its hidden native input or select says so, or it
    // shows a value rather than its placeholder (Radix marks that with data-placeholder)
    const scope = el.parentElement || el;
    const native = scope.querySelector('input[aria-hidden="true"], input[type=hidden], select[aria-hidden="true"]');
    if (native) return !!native.value;
    return !el.hasAttribute('data-placeholder') && clean(el.textContent.replace(/[\u200b\u200c\u200d\ufeff]/g, '')) !== '';
  };
  for (const el of all) {
    const shown = visible(el) || (el.labels && el.labels.length && visible(el.labels[0]));
    if (!shown) continue;
    const type = el.tagName === 'INPUT' ? el.type : el.getAttribute('role');
    if (el.tagName === 'SELECT') formState.add(`select:${nameOf(el)}=${el.value ? 'set' : 'empty'}`);
    else if (customCombo(el)) formState.add(`combobox:${nameOf(el)}=${comboSet(el) ? 'set' : 'empty'}`);
    else if (type === 'checkbox' || type === 'switch') {
      const on = el.tagName === 'INPUT' ? el.checked : el.getAttribute('aria-checked') === 'true';
      formState.add(`check:${nameOf(el)}=${on}`);
    } else if (type === 'radio') {
      const group = el.getAttribute('name') || 'radios';
      const on = el.tagName === 'INPUT' ? el.checked : el.getAttribute('aria-checked') === 'true';
      if (on) formState.delete(`radio:${group}=false`);
      if (on || !formState.has(`radio:${group}=true`)) formState.add(`radio:${group}=${on}`);
    }
  }
  // amounts, bucketed as words (the fingerprint's noise filter turns digits into '#'): a quantity stepper's
  // value and a count badge on a control (a basket's "2"), so the "+" that makes 1 into 2 and the "Add to
  // basket" that fills the basket lead to screens of their own; the buckets stop at "many", so a stepper
  // clicked on and on makes four screens, not endless ones
  const amount = (text) => {
    const t = String(text || '').trim();
    if (!/^\d{1,4}$/.test(t)) return null;
    const n = Number(t);
    return n === 0 ? 'none' : n === 1 ? 'one' : n === 2 ? 'two' : 'many';
  };
  for (const el of all) {
    const spin = el.getAttribute('role') === 'spinbutton';
    const numeric = el.tagName === 'INPUT' && (el.type === 'number' || el.getAttribute('inputmode') === 'numeric');
    if (numeric || spin) {
      const bucket = amount(numeric ? el.value : (el.getAttribute('aria-valuenow') || el.textContent));
      if (bucket && visible(el)) formState.add(`amount:${nameOf(el)}=${bucket}`);
      continue;
    }
    // a badge: an element inside a control that shows a number alone, beside the control's words ("Basket 2";
    // a pagination link's number is no badge: it has no words beside it)
    const bucket = el.childElementCount === 0 ? amount(el.textContent) : null;
    const control = bucket && el.closest ? el.closest(CLICKABLE) : null;
    const words = control && control !== el ? clean(control.textContent.replace(/\d+/g, '')) : '';
    if (words && visible(el)) formState.add(`badge:${words.slice(0, 40)}=${bucket}`);
  }
  // typed or not, per form (not what was typed): a form filled in is another screen than the same form empty,
  // so the action that filled it is on the way to what comes next
  for (const f of fields) {
    if (f.enabled && f.type !== 'hidden') formState.add(`typed:${f.form}=${!f.empty}`);
  }
  for (const entry of Array.from(formState)) {
    if (entry.startsWith('typed:') && entry.endsWith('=false') && formState.has(entry.replace(/=false$/, '=true'))) {
      formState.delete(entry);
    }
  }

  // ---- visible text (shadow roots included), headings, dialog ----
  const parts = [];
  let size = 0;
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG']);
  const walk = (node) => {
    if (size > MAX_TEXT) return;
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) {
        const t = clean(c.textContent);
        if (t && c.parentElement && visible(c.parentElement)) { parts.push(t); size += t.length + 1; }
      } else if (c.nodeType === 1 && !SKIP.has(c.tagName)) {
        if (c.shadowRoot) walk(c.shadowRoot);
        walk(c);
      }
    }
  };
  if (document.body) walk(document.body);
  const heading = (() => {
    const root = modal || document;
    const h = root.querySelector('h1, h2, [role=heading]');
    let text = h && visible(h) ? textOf(h) : '';
    // a tab panel is a view of its own, like a page: the selected tab of the first shown tablist names it
    const list = Array.from(root.querySelectorAll('[role=tablist]')).find(visible);
    const tab = list && Array.from(list.querySelectorAll('[role=tab]')).find((t) => ariaSelected(t) && visible(t));
    if (tab && nameOf(tab)) text = text ? `${text} \u00b7 ${nameOf(tab)}` : nameOf(tab);
    return text.slice(0, 160);
  })();

  // ---- the lead: what the screen says first, as a reader takes it in (its open dialog's, else its main
  // content's first headings and paragraphs, site chrome left out): a funnel's stages differ here even when
  // their buttons are the same ("Are you sure?", "Still sure?")
  const lead = (() => {
    const root = modal || document.querySelector('main, [role=main]') || document.body;
    if (!root) return '';
    const blocks = Array.from(root.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading], legend, p'))
      .filter((el) => visible(el) && !(el.closest && el.closest('nav, header, footer, aside, [role=navigation], ' +
        '[role=banner], [role=contentinfo]')) && clean(textOf(el)));
    return blocks.slice(0, 3).map(textOf).join(' \u00b7 ').slice(0, 300);
  })();

  // ---- what the page says went wrong: live error regions (role=alert, aria-live=assertive) and the error
  // messages invalid fields point to (aria-errormessage, aria-describedby)
  const errorNodes = new Set(all.filter((el) => el.matches('[role=alert], [aria-live=assertive]')));
  for (const el of all) {
    if (el.getAttribute('aria-invalid') !== 'true') continue;
    for (const attr of ['aria-errormessage', 'aria-describedby']) {
      for (const id of (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean)) {
        const target = el.getRootNode().getElementById ? el.getRootNode().getElementById(id) : null;
        if (target) errorNodes.add(target);
      }
    }
  }
  const errors = Array.from(errorNodes).filter(visible).map(textOf).filter(Boolean).map((t) => t.slice(0, 200));

  // ---- what each form is for, in its own words: its aria-label, legend and headings, the heading just before
  // it (not past another group of controls), and its action's path (explore/sidefx.py reads them)
  const HEADING = 'h1, h2, h3, h4, h5, h6, [role=heading], legend';
  const headingBefore = (form) => {
    for (let n = form, up = 0; n && n !== document.body && up < 4; n = n.parentElement, up++) {
      for (let s = n.previousElementSibling; s; s = s.previousElementSibling) {
        if (s.matches(HEADING)) return visible(s) ? textOf(s) : '';
        const inner = Array.from(s.querySelectorAll(HEADING)).filter(visible).pop();
        if (inner) return textOf(inner);
        if (s.querySelector('form, input, textarea, select, button')) return '';
      }
    }
    return '';
  };
  const wordsOf = (box, action) => {
    const inner = box.querySelectorAll ? Array.from(box.querySelectorAll(HEADING)).filter(visible).map(textOf) : [];
    const words = [clean(box.getAttribute && box.getAttribute('aria-label')), ...inner, headingBefore(box), action];
    return clean(words.filter(Boolean).join(' \u00b7 ')).slice(0, 300);
  };
  const forms = Array.from(formIndex.entries()).map(([form, index]) => {
    let action = '';
    try { action = form.getAttribute && form.getAttribute('action') ? new URL(form.action, location.href).pathname : ''; } catch (e) { action = ''; }
    return {form: index, words: wordsOf(form, action)};
  });
  // a formless button's form as a user sees it: the nearest box around it that holds a few fields (no more
  // than 4: a whole page of fields is no one form), with its fields and words
  const fieldAt = new Map(fields.filter((f) => f.form === null).map((f) => [registry[f.index], f.index]));
  const boxes = new Map();
  for (const e of elements) {
    if (e.form !== null || e.kind !== 'click' || !fieldAt.size) continue;
    for (let n = parentOf(registry[e.index]), up = 0; n && n !== document.body && up < 6; n = parentOf(n), up++) {
      const inside = n.querySelectorAll ? Array.from(n.querySelectorAll(TEXTLIKE)).filter((f) => fieldAt.has(f)) : [];
      if (!inside.length) continue;
      if (inside.length <= 4) {
        if (!boxes.has(n)) boxes.set(n, {controls: [], fields: inside.map((f) => fieldAt.get(f)), words: wordsOf(n, '')});
        boxes.get(n).controls.push(e.index);
      }
      break;
    }
  }

  // controls that share a kind, role and name (a "Choose" on each card of a shuffled list) are told apart by
  // the row they stand in, as a person does, not by their order: the row is the largest ancestor (a few levels
  // up) that holds no other control of that name (explore/observe.py builds the keys from it)
  const alike = new Map();
  for (const e of elements) {
    const name = `${e.kind}|${e.role}|${e.label}`;
    alike.set(name, (alike.get(name) || []).concat([registry[e.index]]));
  }
  for (const e of elements) {
    const same = alike.get(`${e.kind}|${e.role}|${e.label}`);
    if (same.length < 2 || e.row) continue;
    const el = registry[e.index];
    let row = el;
    for (let n = parentOf(el), up = 0; n && up < 5 && n !== document.body; n = parentOf(n), up++) {
      if (same.some((o) => o !== el && n.contains(o))) break;
      row = n;
    }
    if (row !== el) e.row = clean(row.textContent).slice(0, 200);
  }

  // What this origin keeps in local and session storage, as a digest (FNV-1a over its sorted items): a change
  // says the user now carries data a new user lacks (userdata.py). '' when the frame may not read it.
  const storedDigest = () => {
    try {
      const parts = [];
      for (const store of [window.localStorage, window.sessionStorage]) {
        const items = [];
        for (let i = 0; i < store.length; i++) items.push(store.key(i) + '\u0000' + store.getItem(store.key(i)));
        parts.push(items.sort().join('\u0001'));
      }
      const text = parts.join('\u0002');
      let h = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      return location.origin + ' ' + text.length + ':' + (h >>> 0).toString(36);
    } catch (e) {
      return '';
    }
  };

  window.__auditorRegistry = registry;
  if (!window.__auditorDocument) {
    Object.defineProperty(window, '__auditorDocument', {value: Math.random().toString(36).slice(2)});
  }
  return {
    url: location.href,
    title: document.title,
    heading: heading,
    lead: lead,
    text: parts.join(' ').slice(0, MAX_TEXT),
    dialog: modal ? {label: (clean(modal.getAttribute('aria-label')) || heading).slice(0, 160),
                     text: textOf(modal).slice(0, 1000),
                     selector: selectorOf(modal)} : null,
    veil: veil ? selectorOf(veil) : null,
    chat: chatPanels.length > 0,
    lang: (document.documentElement && document.documentElement.lang) || '',
    elements: elements,
    fields: fields,
    has_password: fields.some((f) => f.type === 'password'),
    form_state: Array.from(formState).sort(),
    forms: forms,
    boxes: Array.from(boxes.values()),
    errors: errors.slice(0, 10),
    entry: (window.navigation && navigation.currentEntry) ? navigation.currentEntry.key : null,
    document_id: window.__auditorDocument,
    stored: storedDigest(),
    // the page's short timers as the look finds them (timers.py's ledger): what a patient user would wait for
    pending: window.__auditorPending && opts.pendingCap ? window.__auditorPending(opts.pendingCap) : null,
    opaque: !!(hooks && hooks.opaque && hooks.opaque()),
    viewport: [vw, vh],
    scroll_height: document.documentElement ? document.documentElement.scrollHeight : 0,
  };
}
