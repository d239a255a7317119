// Installed in every frame of every context before any page script runs (browser.new_context), so the probe
// can see what page JavaScript cannot: which elements got a click or hover listener, and whether the page
// reacts to scrolling (scroll listeners, IntersectionObservers: content rendered when scrolled into view),
// whether it asked for a new window, and whether it used a store the probe cannot read at a glance.
// It marks nothing in the DOM; what it learns is kept in closures behind one non-enumerable window property.
(() => {
  if (window.__auditorHooks) return;
  const CLICK = new Set(['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend']);
  const HOVER = new Set(['mouseenter', 'mouseover', 'pointerenter', 'pointerover']);
  const SCROLL = new Set(['scroll', 'wheel']);
  const clicks = new WeakSet();
  const hovers = new WeakSet();
  let scrollHooks = 0;  // grows with each scroll listener or IntersectionObserver target the page sets up
  const mark = (target, type) => {
    if (SCROLL.has(type)) { scrollHooks++; return; }
    if (!(target instanceof Element)) return;  // window, document: delegation at the root tells nothing
    if (CLICK.has(type)) clicks.add(target);
    else if (HOVER.has(type)) hovers.add(target);
  };
  const add = EventTarget.prototype.addEventListener;
  const wrapped = function addEventListener(type, listener, options) {
    try { mark(this, String(type)); } catch (e) { /* never break the page */ }
    return add.call(this, type, listener, options);
  };
  EventTarget.prototype.addEventListener = wrapped;
  // el.onclick = fn (a property, not an attribute: no [onclick] in the DOM)
  for (const [prop, type] of [['onclick', 'click'], ['onmousedown', 'mousedown'], ['onpointerdown', 'pointerdown'],
    ['onmouseenter', 'mouseenter'], ['onmouseover', 'mouseover']]) {
    const desc = Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop);
    if (!desc || !desc.set) continue;
    Object.defineProperty(HTMLElement.prototype, prop, Object.assign({}, desc, {
      set(value) { if (typeof value === 'function') mark(this, type); return desc.set.call(this, value); },
    }));
  }
  if (window.IntersectionObserver) {
    const observe = IntersectionObserver.prototype.observe;
    IntersectionObserver.prototype.observe = function (target) {
      scrollHooks++;
      return observe.call(this, target);
    };
  }
  // New windows the page asked for (window.open that was not refused, a click on a link aimed at a new
  // window that no script prevented): the browser opens them a moment later, so the explorer knows to wait.
  let opens = 0, aimed = [];
  const noteOpen = () => {
    opens++;
    try { if (window.top !== window) window.top.__auditorHooks.noteOpen(); } catch (e) { /* cross-origin */ }
  };
  const open = window.open;
  window.open = function () {
    const opened = open.apply(this, arguments);
    if (opened) noteOpen();
    return opened;
  };
  const NAMED = new Set(['', '_self', '_top', '_parent']);
  const frameNamed = (name) => Array.from(document.querySelectorAll('iframe[name], frame[name]'))
    .some((f) => f.name === name);
  add.call(window, 'click', (event) => {
    for (const el of event.composedPath()) {
      if (!(el instanceof Element) || !el.matches('a[href], area[href]')) continue;
      const target = el.getAttribute('target') || '';
      if (!NAMED.has(target.toLowerCase()) && !frameNamed(target)) aimed.push(event);
      return;
    }
  }, true);
  const requested = () => {
    const n = opens + aimed.filter((event) => !event.defaultPrevented).length;
    opens = 0;
    aimed = [];
    return n;
  };
  const raf = window.requestAnimationFrame ? window.requestAnimationFrame.bind(window) : null;
  const wait = window.setTimeout.bind(window);
  const frame = () => new Promise((resolve) => {
    let done = false;
    const go = () => { if (!done) { done = true; resolve(); } };
    if (raf) raf(go);
    wait(go, 50);  // a page in the background runs no animation frames
  });
  let revealedAt = 0, reveals = 0;
  // Scroll once through the page as a user would, then back where it was, so that content rendered on scroll
  // exists when the probe looks. Only when the page set up scroll hooks since the last time, at most 6 times
  // per document (a page that keeps observing new targets is not scrolled on every look).
  const reveal = async () => {
    const se = document.scrollingElement || document.documentElement;
    if (scrollHooks === revealedAt || reveals >= 6 || !se) return false;
    revealedAt = scrollHooks;
    if (se.scrollHeight <= window.innerHeight + 40) return false;
    reveals++;
    const x = window.scrollX, y = window.scrollY, step = Math.max(200, Math.round(window.innerHeight * 0.8));
    for (let top = 0, n = 0; n < 15; n++, top += step) {
      window.scrollTo(0, top);
      await frame(); await frame();
      if (top + window.innerHeight >= se.scrollHeight) break;
    }
    window.scrollTo(x, y);
    await frame(); await frame();
    return true;
  };
  // Stores the probe cannot read at a glance (IndexedDB, Cache Storage, a service worker, the origin's private
  // file system, a shared worker's memory): whether this document used one, or found one its origin already
  // had. Either way the user may carry data the probe's digest of local and session storage does not show, so
  // a new user's screens may differ (userdata.py).
  let opaque = false;
  const used = () => { opaque = true; };
  const note = (proto, names) => {
    for (const name of names) {
      const own = proto && proto[name];
      if (typeof own !== 'function') continue;
      proto[name] = function () { used(); return own.apply(this, arguments); };
    }
  };
  const had = (promise) => { try { promise.then((list) => { if (list && list.length) used(); }, () => {}); } catch (e) { /* */ } };
  try {
    if (window.IDBFactory) note(IDBFactory.prototype, ['open', 'deleteDatabase']);
    if (window.indexedDB && indexedDB.databases) had(indexedDB.databases());
    if (window.CacheStorage) note(CacheStorage.prototype, ['open', 'delete']);
    if (window.caches) had(caches.keys());
    if (window.ServiceWorkerContainer) note(ServiceWorkerContainer.prototype, ['register']);
    if (navigator.serviceWorker) had(navigator.serviceWorker.getRegistrations());
    if (window.StorageManager) note(StorageManager.prototype, ['getDirectory']);
    if (window.SharedWorker) {
      window.SharedWorker = new Proxy(window.SharedWorker, {
        construct(target, args, newTarget) { used(); return Reflect.construct(target, args, newTarget); },
      });
    }
  } catch (e) { /* never break the page */ }
  Object.defineProperty(window, '__auditorHooks', {
    value: Object.freeze({
      clickable: (el) => clicks.has(el),
      hoverable: (el) => hovers.has(el),
      reveal: reveal,
      noteOpen: noteOpen,
      requested: requested,
      opaque: () => opaque,
    }),
    enumerable: false,
  });
})();
