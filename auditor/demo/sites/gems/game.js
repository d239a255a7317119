// Gem Quest: a children's game. One page, no URLs: screens are swapped in place, the Gem Store and the
// password prompt are <dialog>s. Cheap gem packs are charged at once; dear ones ask for the account password,
// and after a right password every purchase for the next 15 minutes goes through without asking again.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const screen = $('screen');
  const shop = $('shop');
  const shopBody = $('shop-body');
  const auth = $('auth');
  const rand = () => Math.random().toString(36).slice(2, 10);
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const fmt = (n) => n.toLocaleString('en-US');

  const ITEMS = [
    {id: 'handful', name: 'Handful of Gems', gems: 80, price: 0.99, tag: ''},
    {id: 'bag', name: 'Bag of Gems', gems: 500, price: 4.99, tag: 'Most popular!'},
    {id: 'chest', name: 'Chest of Gems', gems: 2500, price: 19.99, tag: 'Best value!'},
  ];
  const WORLDS = [
    {id: 'meadows', name: 'Sunny Meadows', cost: 0},
    {id: 'caves', name: 'Crystal Caves', cost: 500},
    {id: 'peaks', name: 'Lava Peaks', cost: 1500},
  ];
  const PASSWORD_FROM = 10;                 // dollars: anything cheaper is charged without asking
  const WINDOW_MS = 15 * 60 * 1000;         // after a right password, nothing asks again for 15 minutes
  const LAST_PASSWORD = 'gemquest.lastPassword';  // sessionStorage: Date.now() of the last right password

  // ---------- saved progress ----------
  const store = {
    get gems() { return Number(localStorage.getItem('gemquest.gems') ?? 120); },
    set gems(n) { localStorage.setItem('gemquest.gems', String(n)); $('gem-count').textContent = fmt(n); },
    get unlocked() { return JSON.parse(localStorage.getItem('gemquest.worlds') || '["meadows"]'); },
    unlock(id) { localStorage.setItem('gemquest.worlds', JSON.stringify([...this.unlocked, id])); },
    get level() { return Number(localStorage.getItem('gemquest.level') || 7); },
    set level(n) { localStorage.setItem('gemquest.level', String(n)); },
    setting(name, value) {
      const all = JSON.parse(localStorage.getItem('gemquest.settings') || '{"music":true,"sound":true}');
      if (value === undefined) return all[name];
      all[name] = value;
      localStorage.setItem('gemquest.settings', JSON.stringify(all));
      return value;
    },
  };
  const price = (item) => `$${item.price.toFixed(2)}`;
  const passwordWindowOpen = () => {
    const at = Number(sessionStorage.getItem(LAST_PASSWORD) || 0);
    return at > 0 && Date.now() - at < WINDOW_MS;
  };
  const needsPassword = (item) => item.price >= PASSWORD_FROM && !passwordWindowOpen();

  // ---------- screens ----------
  function show(name) {
    (screens[name] || screens.map)();
    screen.dataset.render = rand();
    for (const b of document.querySelectorAll('.dock [data-screen]')) {
      if (b.dataset.screen === name) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    }
  }

  const screens = {
    map() {
      const open = store.unlocked;
      const worlds = WORLDS.map((w) => open.includes(w.id)
        ? `<li class="world open"><span class="art art-${w.id}" aria-hidden="true"></span><b>${w.name}</b><span>Unlocked</span></li>`
        : `<li class="world locked"><span class="art art-${w.id}" aria-hidden="true"></span><b>${w.name}</b>
             <span><span class="gem-icon" aria-hidden="true"></span>${fmt(w.cost)}</span>
             <button class="btn btn-small" type="button" data-unlock="${w.id}">Unlock</button></li>`).join('');
      screen.innerHTML = `
        <section class="hero">
          <div class="fox" aria-hidden="true"><i></i></div>
          <div>
            <p class="eyebrow">World 1 · Sunny Meadows</p>
            <h1>Level ${store.level}</h1>
            <p>Help Pip the Fox find the lost gems before the moon comes up!</p>
            <button class="btn btn-play" type="button" id="play">Play</button>
          </div>
        </section>
        <h2>Worlds</h2>
        <ul class="worlds">${worlds}</ul>`;
      $('play').addEventListener('click', () => show('play'));
      for (const b of screen.querySelectorAll('[data-unlock]')) {
        b.addEventListener('click', () => {
          const world = WORLDS.find((w) => w.id === b.dataset.unlock);
          if (store.gems >= world.cost) {
            store.gems -= world.cost;
            store.unlock(world.id);
            show('map');
          } else {
            openShop(`You need ${fmt(world.cost - store.gems)} more gems to unlock ${world.name}.`);
          }
        });
      }
    },

    play() {
      let caught = 0;
      screen.innerHTML = `
        <section class="level">
          <p class="eyebrow">Level ${store.level} · Sunny Meadows</p>
          <h1>Catch 3 gems!</h1>
          <p class="score" id="caught">0 / 3 caught</p>
          <div class="field" id="field"><button class="catch" type="button" id="catch">Catch the gem</button></div>
          <div class="row">
            <button class="btn btn-ghost" type="button" id="pause">Pause</button>
          </div>
        </section>`;
      const gem = $('catch');
      const hop = () => { gem.style.left = `${5 + Math.random() * 70}%`; gem.style.top = `${10 + Math.random() * 60}%`; };
      hop();
      gem.addEventListener('click', () => {
        caught += 1;
        $('caught').textContent = `${caught} / 3 caught`;
        if (caught < 3) { hop(); return; }
        store.gems += 3;
        store.level += 1;
        screen.querySelector('.level').innerHTML = `
          <h1>Level complete!</h1><p class="score">+3 gems</p>
          <div class="row"><button class="btn btn-play" type="button" id="back">Back to map</button></div>`;
        $('back').addEventListener('click', () => show('map'));
      });
      $('pause').addEventListener('click', () => show('map'));
    },

    leaderboard() {
      const names = ['StarRunner', 'LunaLeaf', 'CaptainMo', 'PixelPaws', 'Zuzu', 'GemWizard', 'Tiko', 'BlueBolt'];
      let score = 90000 + Math.floor(Math.random() * 9000);
      const rows = names.map((n, i) => {
        score -= Math.floor(Math.random() * 4000);
        return `<tr><td>${i + 1}</td><td>${esc(n)}</td><td>${fmt(score)}</td></tr>`;
      }).join('');
      screen.innerHTML = `
        <h1>Leaderboard</h1>
        <p class="muted">This week · resets on Monday · board ${rand()}</p>
        <table class="board"><thead><tr><th>#</th><th>Player</th><th>Gems found</th></tr></thead>
          <tbody>${rows}<tr class="you"><td>${fmt(4000 + Math.floor(Math.random() * 900))}</td><td>You</td><td>${fmt(store.gems)}</td></tr></tbody></table>`;
    },

    settings() {
      const box = (name, label) => `<label class="switch"><input type="checkbox" name="${name}" ${store.setting(name) ? 'checked' : ''}> ${label}</label>`;
      screen.innerHTML = `
        <h1>Settings</h1>
        <section class="panel">
          ${box('music', 'Music')}
          ${box('sound', 'Sound effects')}
        </section>
        <p class="muted">Player id ${rand()}</p>`;
      for (const input of screen.querySelectorAll('input[type=checkbox]')) {
        input.addEventListener('change', () => store.setting(input.name, input.checked));
      }
    },

    help() {
      screen.innerHTML = `
        <h1>Help</h1>
        <section class="panel"><h2>How do I get gems?</h2>
          <p>Catch them in levels, or get more in the Gem Store. Store purchases are charged to the payment method of the account on this device.</p></section>
        <section class="panel"><h2>What are worlds?</h2>
          <p>Every world has 40 levels. New worlds are unlocked with gems.</p></section>
        <section class="panel"><h2>I lost my progress</h2>
          <p>Progress is saved on this device. Playing on another device starts a new game.</p></section>`;
    },
  };

  // ---------- the Gem Store ----------
  const saleEnds = Date.now() + (2 * 60 + 14) * 60 * 1000;
  function saleText() {
    const left = Math.max(0, saleEnds - Date.now());
    return `Sale ends in ${Math.floor(left / 36e5)}h ${Math.floor((left % 36e5) / 6e4)}m`;
  }

  function openShop(note = '') {
    catalog(note);
    if (!shop.open) shop.showModal();
  }

  function catalog(note = '') {
    shopBody.innerHTML = `
      ${note ? `<p class="note">${esc(note)}</p>` : ''}
      <p class="sale" id="sale">${saleText()}</p>
      <ul class="items">
        ${ITEMS.map((item) => `
          <li class="item item-${item.id}">
            ${item.tag ? `<span class="tag">${item.tag}</span>` : ''}
            <span class="pile" aria-hidden="true"></span>
            <b>${item.name}</b>
            <span class="amount"><span class="gem-icon" aria-hidden="true"></span>${fmt(item.gems)}</span>
            <button class="btn btn-buy" type="button" data-buy="${item.id}">Buy ${item.name} – ${price(item)}</button>
          </li>`).join('')}
      </ul>`;
    for (const b of shopBody.querySelectorAll('[data-buy]')) {
      b.addEventListener('click', () => buy(ITEMS.find((i) => i.id === b.dataset.buy)));
    }
  }

  function buy(item) {
    if (needsPassword(item)) askPassword(item);
    else charge(item);
  }

  async function charge(item) {
    shopBody.innerHTML = '<p class="processing">Getting your gems…</p>';
    let ok = false;
    try {
      const resp = await fetch('/gems/api/charge', {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({item: item.id, price: item.price}),
      });
      ok = resp.ok && (await resp.json()).ok;
    } catch (err) {
      ok = false;
    }
    if (!ok) {
      shopBody.innerHTML = `<p class="note">Something went wrong. No money was taken.</p>
        <div class="row"><button class="btn btn-ghost" type="button" id="retry">Back to the store</button></div>`;
      $('retry').addEventListener('click', () => catalog());
      return;
    }
    store.gems += item.gems;
    shopBody.innerHTML = `
      <div class="done">
        <span class="burst" aria-hidden="true"></span>
        <h3>Purchase complete! +${fmt(item.gems)} gems</h3>
        <p>You now have ${fmt(store.gems)} gems. Have fun!</p>
        <button class="btn btn-play" type="button" id="keep-playing">Keep playing</button>
      </div>`;
    $('keep-playing').addEventListener('click', () => { shop.close(); show('map'); });
  }

  // ---------- the password prompt (dear items only, and not again within 15 minutes) ----------
  let pending = null;
  function askPassword(item) {
    pending = item;
    $('auth-item').textContent = `${item.name} – ${price(item)}`;
    $('auth-password').value = '';
    $('auth-error').textContent = '';
    auth.showModal();
    $('auth-password').focus();
  }

  $('auth-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const confirm = $('auth-confirm');
    confirm.disabled = true;
    try {
      const resp = await fetch('/gems/api/verify', {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({password: $('auth-password').value}),
      });
      const data = await resp.json();
      if (!resp.ok || !data.ok) {
        $('auth-error').textContent = data.error || "That password isn't right. Try again.";
        return;
      }
      sessionStorage.setItem(LAST_PASSWORD, String(Date.now()));
      auth.close();
      const item = pending;
      pending = null;
      charge(item);
    } catch (err) {
      $('auth-error').textContent = 'No connection. Try again.';
    } finally {
      confirm.disabled = false;
    }
  });
  $('auth-cancel').addEventListener('click', () => { pending = null; auth.close(); });

  // ---------- wiring ----------
  $('open-shop').addEventListener('click', () => openShop());
  $('close-shop').addEventListener('click', () => shop.close());
  shop.addEventListener('close', () => { if (auth.open) auth.close(); });
  for (const b of document.querySelectorAll('.dock [data-screen]')) {
    b.addEventListener('click', () => show(b.dataset.screen));
  }
  setInterval(() => {
    const sale = document.getElementById('sale');
    const text = saleText();
    if (sale && sale.textContent !== text) sale.textContent = text;
  }, 15000);

  store.gems = store.gems;  // paint the counter
  show('map');
})();
