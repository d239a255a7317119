// Planr's "component library": portals at the end of <body>, generated class names, listeners instead of
// links and buttons. The site's own code may find its nodes any way it likes (data-planr here); the auditor
// must not.
(function () {
  const uid = (p) => `${p}-${Math.random().toString(36).slice(2, 8)}${Math.floor(Math.random() * 900 + 100)}`;
  const cls = () => `css-${Math.floor(Math.random() * 9 + 1)}${Math.random().toString(36).slice(2, 7)}`;
  const el = (tag, attrs, style, text) => {
    const n = document.createElement(tag);
    n.className = cls();
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    if (style) n.style.cssText = style;
    if (text) n.textContent = text;
    return n;
  };
  const q = (name, root) => (root || document).querySelector(`[data-planr="${name}"]`);

  // ---- "Workspace": a hover menu with no ARIA at all (mouseenter / mouseleave on its wrapper) ----
  const ws = q('ws');
  if (ws) {
    const wsMenu = q('ws-menu', ws);
    ws.addEventListener('mouseenter', () => { wsMenu.style.display = 'block'; });
    ws.addEventListener('mouseleave', () => { wsMenu.style.display = 'none'; });
  }

  // ---- the avatar: aria-haspopup, opens on hover (after a delay) and on click, menu in a portal ----
  const avatar = q('avatar');
  if (avatar) {
    const items = [['Profile', '/planr/settings/profile'], ['Preferences', '/planr/settings/profile?section=preferences'],
      ['Billing', '/planr/settings/billing'], ['Sign out', '/planr/info?topic=signed-out']];
    let menu = null, openTimer = null, closeTimer = null;
    const closeMenu = () => {
      clearTimeout(closeTimer);
      if (menu) { menu.remove(); menu = null; }
      avatar.setAttribute('aria-expanded', 'false');
      avatar.removeAttribute('aria-controls');
    };
    const scheduleClose = () => { clearTimeout(closeTimer); closeTimer = setTimeout(closeMenu, 200); };
    const openMenu = () => {
      clearTimeout(openTimer); clearTimeout(closeTimer);
      if (menu) return;
      const r = avatar.getBoundingClientRect();
      menu = el('div', {}, `position: fixed; top: ${r.bottom + 6}px; right: ${window.innerWidth - r.right}px; ` +
        'z-index: 1300; background: #fff; border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,.18); min-width: 200px; padding: 6px 0;');
      const list = el('ul', {role: 'menu', id: uid('menu'), 'aria-labelledby': avatar.id}, 'list-style: none; margin: 0; padding: 0;');
      for (const [label, href] of items) {
        const item = el('li', {role: 'menuitem', tabindex: '-1'}, 'padding: 8px 16px; font-size: 14px; color: #1f2937;', label);
        item.addEventListener('click', () => { location.href = href; });
        list.appendChild(item);
      }
      menu.appendChild(list);
      menu.addEventListener('pointerenter', () => clearTimeout(closeTimer));
      menu.addEventListener('pointerleave', scheduleClose);
      document.body.appendChild(menu);
      avatar.setAttribute('aria-expanded', 'true');
      avatar.setAttribute('aria-controls', list.id);
    };
    avatar.addEventListener('pointerenter', () => { clearTimeout(closeTimer); openTimer = setTimeout(openMenu, 150); });
    avatar.addEventListener('pointerleave', () => { clearTimeout(openTimer); if (menu) scheduleClose(); });
    avatar.addEventListener('click', () => { clearTimeout(openTimer); if (menu) closeMenu(); else openMenu(); });
    document.addEventListener('pointerdown', (e) => {
      if (menu && !menu.contains(e.target) && !avatar.contains(e.target)) closeMenu();
    });
  }

  // ---- billing: tabs (listener on the tablist), a section rendered on scroll, accordions, the dialog ----
  const tabs = q('tabs');
  if (!tabs) return;
  // a deep link into the subscription section, scrolled to the top of the viewport: under the fixed header
  q('subscription').scrollIntoView({block: 'start'});
  tabs.addEventListener('click', (e) => {
    const tab = e.target.closest('[role=tab]');
    if (!tab || tab.getAttribute('aria-selected') === 'true') return;
    for (const t of tabs.querySelectorAll('[role=tab]')) t.setAttribute('aria-selected', String(t === tab));
    for (const panel of document.querySelectorAll('[role=tabpanel]')) panel.hidden = panel.id !== tab.getAttribute('aria-controls');
    if (tab.dataset.tab === 'plan') watchPlan();
  });

  let watched = false;
  function watchPlan() {
    if (watched) return;
    watched = true;
    const sentinel = q('sentinel');
    const io = new IntersectionObserver((entries) => {
      if (!entries.some((x) => x.isIntersecting)) return;
      io.disconnect();
      renderManage(sentinel);
    });
    io.observe(sentinel);
  }

  function renderManage(sentinel) {
    const box = el('div', {}, 'margin-top: 24px; background: #fff; border: 1px solid #e5e7eb; border-radius: 12px;');
    box.appendChild(el('h3', {}, 'margin: 0; padding: 16px 20px; font-size: 16px;', 'Manage subscription'));
    const sections = [
      ['Data and exports', [['a', 'Download a data export', '/planr/info?topic=export']]],
      ['Advanced', [['a', 'Transfer workspace ownership', '/planr/info?topic=transfer'], ['cancel', 'Cancel subscription']]],
    ];
    for (const [title, rows] of sections) {
      const regionId = uid('collapse');
      // MUI-like: the summary is a div with aria-expanded; the listener sits on the accordion, not on it
      const acc = el('div', {}, 'border-top: 1px solid #e5e7eb;');
      const summary = el('div', {'aria-expanded': 'false', 'aria-controls': regionId, tabindex: '0'},
        'padding: 14px 20px; font-weight: 600; cursor: default;', title);
      const region = el('div', {id: regionId, role: 'region'}, 'height: 0; overflow: hidden;');
      const inner = el('div', {}, 'padding: 4px 20px 16px; display: flex; flex-direction: column; gap: 12px;');
      for (const row of rows) {
        if (row[0] === 'a') {
          const a = el('a', {href: row[2]}, 'font-size: 14px;', row[1]);
          inner.appendChild(a);
        } else {
          // a plain div with a click listener: no role, no tabindex, no pointer cursor
          const cancel = el('div', {}, 'font-size: 13px; color: #6b7280; cursor: default; width: max-content;', row[1]);
          cancel.addEventListener('click', openDialog);
          inner.appendChild(cancel);
        }
      }
      region.appendChild(inner);
      acc.appendChild(summary);
      acc.appendChild(region);
      acc.addEventListener('click', (e) => {
        if (e.target !== summary) return;
        const open = summary.getAttribute('aria-expanded') !== 'true';
        summary.setAttribute('aria-expanded', String(open));
        region.style.height = open ? 'auto' : '0';
      });
      box.appendChild(acc);
    }
    sentinel.replaceWith(box);
  }

  function openDialog() {
    const titleId = uid('dialog-title'), labelId = uid('reason-label'), valueId = uid('reason');
    const switchLabel = uid('switch-label');
    const root = el('div', {role: 'presentation'}, 'position: fixed; inset: 0; z-index: 1300;');
    const backdrop = el('div', {'aria-hidden': 'true'}, 'position: fixed; inset: 0; background: rgba(15,23,42,.55);');
    const container = el('div', {role: 'presentation'},
      'position: fixed; inset: 0; display: flex; align-items: center; justify-content: center;');
    const paper = el('div', {role: 'dialog', 'aria-labelledby': titleId},
      'position: relative; background: #fff; border-radius: 12px; width: 480px; padding: 24px; box-sizing: border-box;');
    paper.appendChild(el('h2', {id: titleId}, 'margin: 0 0 8px; font-size: 20px;', 'Cancel your Planr subscription?'));
    paper.appendChild(el('p', {}, 'color: #4b5563; font-size: 14px;',
      'Your workspace moves to the Free plan at the end of the billing period.'));
    const close = el('button', {'aria-label': 'Close', type: 'button'},
      'position: absolute; top: 12px; right: 12px; border: 0; background: none; font-size: 20px; color: #6b7280;', '\u00d7');
    paper.appendChild(close);
    // the custom select: a combobox div, a hidden native input, a listbox in a portal of its own
    paper.appendChild(el('label', {id: labelId}, 'display: block; font-size: 13px; margin-top: 12px;', 'Reason for leaving'));
    const field = el('div', {}, 'position: relative; margin-top: 4px;');
    const combo = el('div', {role: 'combobox', id: valueId, 'aria-haspopup': 'listbox', 'aria-expanded': 'false',
      'aria-labelledby': `${labelId} ${valueId}`, tabindex: '0'},
      'border: 1px solid #d1d5db; border-radius: 6px; padding: 10px 12px; font-size: 14px; cursor: default;', 'Select a reason');
    const native = el('input', {'aria-hidden': 'true', tabindex: '-1', value: ''},
      'position: absolute; left: 0; bottom: 0; width: 100%; opacity: 0; pointer-events: none; box-sizing: border-box;');
    field.appendChild(combo);
    field.appendChild(native);
    paper.appendChild(field);
    const step1 = el('div', {}, 'display: flex; justify-content: flex-end; gap: 8px; margin-top: 24px;');
    const next = el('button', {type: 'button'}, 'padding: 8px 16px; border-radius: 6px; border: 1px solid #d1d5db; background: #fff; color: #374151;', 'Continue');
    next.disabled = true;
    step1.appendChild(next);
    paper.appendChild(step1);
    // step two, in the same dialog: a switch, then the confirmation
    const second = el('div', {}, 'display: none;');
    second.appendChild(el('h2', {}, 'margin: 0 0 8px; font-size: 20px;', 'Before you go'));
    second.appendChild(el('p', {}, 'color: #4b5563; font-size: 14px;', 'Decide what happens to your projects.'));
    const row = el('div', {}, 'display: flex; align-items: center; gap: 10px; margin-top: 16px;');
    const sw = el('button', {role: 'switch', 'aria-checked': 'false', 'aria-labelledby': switchLabel, type: 'button'},
      'width: 40px; height: 22px; border-radius: 11px; border: 0; background: #d1d5db;');
    row.appendChild(sw);
    row.appendChild(el('span', {id: switchLabel}, 'font-size: 14px;', 'Keep my projects for 30 days'));
    second.appendChild(row);
    const actions = el('div', {}, 'display: flex; justify-content: flex-end; gap: 8px; margin-top: 24px;');
    const keep = el('button', {type: 'button'}, 'padding: 8px 16px; border-radius: 6px; border: 0; background: #4f46e5; color: #fff;', 'Keep my plan');
    const confirm = el('button', {type: 'button'}, 'padding: 8px 16px; border-radius: 6px; border: 1px solid #d1d5db; background: #fff; color: #374151;', 'Confirm cancellation');
    confirm.disabled = true;
    actions.appendChild(keep);
    actions.appendChild(confirm);
    second.appendChild(actions);
    paper.appendChild(second);
    container.appendChild(paper);
    const first = Array.from(paper.children).filter((c) => c !== second && c !== close);
    next.addEventListener('click', () => {
      if (next.disabled) return;
      for (const c of first) c.remove();
      second.style.display = 'block';
      const title = second.querySelector('h2');
      title.id = uid('dialog-title');
      paper.setAttribute('aria-labelledby', title.id);
    });
    root.appendChild(backdrop);
    root.appendChild(container);
    document.body.appendChild(root);

    const update = () => {
      next.disabled = !native.value;
      confirm.disabled = sw.getAttribute('aria-checked') !== 'true';
    };
    const dismiss = () => { closeList(); root.remove(); };
    close.addEventListener('click', dismiss);
    keep.addEventListener('click', dismiss);
    container.addEventListener('click', (e) => { if (e.target === container) dismiss(); });
    sw.addEventListener('click', () => {
      sw.setAttribute('aria-checked', String(sw.getAttribute('aria-checked') !== 'true'));
      sw.style.background = sw.getAttribute('aria-checked') === 'true' ? '#4f46e5' : '#d1d5db';
      update();
    });
    confirm.addEventListener('click', () => { if (!confirm.disabled) location.href = '/planr/cancelled'; });

    let popover = null;
    function closeList() {
      if (popover) { popover.remove(); popover = null; }
      combo.setAttribute('aria-expanded', 'false');
      combo.removeAttribute('aria-controls');
    }
    combo.addEventListener('click', () => {
      if (popover) { closeList(); return; }
      const r = combo.getBoundingClientRect();
      popover = el('div', {role: 'presentation'}, 'position: fixed; inset: 0; z-index: 1400;');
      const invisible = el('div', {'aria-hidden': 'true'}, 'position: fixed; inset: 0; background: transparent;');
      invisible.addEventListener('click', closeList);
      const list = el('ul', {role: 'listbox', id: uid('listbox'), 'aria-labelledby': labelId},
        `position: absolute; top: ${r.bottom + 4}px; left: ${r.left}px; width: ${r.width}px; margin: 0; padding: 4px 0; ` +
        'list-style: none; background: #fff; border-radius: 6px; box-shadow: 0 8px 24px rgba(0,0,0,.2); box-sizing: border-box;');
      for (const [value, text] of [['price', 'Too expensive'], ['features', 'Missing features'],
        ['switch', 'Moving to another tool'], ['team', 'Our team is shrinking'], ['other', 'Something else']]) {
        const option = el('li', {role: 'option', 'aria-selected': String(native.value === value), 'data-value': value},
          'padding: 8px 12px; font-size: 14px;', text);
        option.addEventListener('click', () => {
          native.value = value;
          combo.textContent = text;
          closeList();
          update();
        });
        list.appendChild(option);
      }
      popover.appendChild(invisible);
      popover.appendChild(list);
      document.body.appendChild(popover);
      combo.setAttribute('aria-expanded', 'true');
      combo.setAttribute('aria-controls', list.id);
    });
  }
})();
