// Tunely: a small single-page app. One page load; every route after that is history.pushState + render.
(() => {
  'use strict';

  const view = document.getElementById('view');
  const rand = () => Math.random().toString(36).slice(2, 10);
  const count = () => 100 + Math.floor(Math.random() * 99900);
  const inDays = (n) => new Date(Date.now() + n * 864e5)
    .toLocaleDateString('en-US', {month: 'long', day: 'numeric', year: 'numeric'});
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const session = {offerApplied: false, planChange: null};  // lives as long as the page

  // ---------- router ----------
  function navigate(path) {
    if (path !== location.pathname) history.pushState({id: rand()}, '', path);
    render();
    window.scrollTo(0, 0);
  }

  document.addEventListener('click', (e) => {
    const go = e.target.closest('[data-go]');
    if (go) { e.preventDefault(); navigate(go.dataset.go); return; }
    const a = e.target.closest('a[href]');
    if (!a || a.hasAttribute('data-native') || a.target || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const url = new URL(a.href);
    if (url.origin !== location.origin || !url.pathname.startsWith('/spa/')) return;
    e.preventDefault();
    navigate(url.pathname);
  });
  window.addEventListener('popstate', render);

  const routes = {
    '/spa/': home,
    '/spa/discover': discover,
    '/spa/library': library,
    '/spa/settings': settings,
    '/spa/settings/plan': plan,
    '/spa/settings/plan/change': changePlan,
    '/spa/settings/plan/cancel': cancelSurvey,
    '/spa/help': help,
    '/spa/premium': premium,
  };

  function render() {
    const trimmed = location.pathname.replace(/\/+$/, '');
    const path = trimmed === '/spa' ? '/spa/' : trimmed;
    (routes[path] || notFound)();
    for (const a of document.querySelectorAll('.nav a')) {
      const here = a.getAttribute('href') === path || (path.startsWith(a.getAttribute('href')) && a.getAttribute('href') !== '/spa/');
      if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
  }

  function mount(title, html) {
    document.title = `${title} - Tunely`;
    view.innerHTML = html;
    view.dataset.render = rand();
  }

  const tiles = (names) => names.map((n, i) => `
    <div class="tile" data-id="${rand()}">
      <div class="art" style="--a: hsl(${(i * 57 + count()) % 360} 70% 45%); --b: #191414"></div>
      <b>${esc(n)}</b><span>${count().toLocaleString('en-US')} saves</span>
    </div>`).join('');

  // ---------- views ----------
  function home() {
    mount('Home', `
      <section class="hero">
        <div>
          <p class="muted">Tunely Premium</p>
          <h1>Music without limits</h1>
          <p>Ad-free listening, offline downloads and unlimited skips. $11.99/month, cancel anytime.</p>
        </div>
        <button class="btn btn-green btn-big" type="button" data-go="/spa/premium">Get Premium</button>
      </section>
      <h2>Made for you</h2>
      <div class="tiles">${tiles(['Daily Mix 1', 'Daily Mix 2', 'Discover Weekly', 'Release Radar', 'Chill Mix', 'Focus Flow'])}</div>
      <h2>Recently played</h2>
      <div class="tiles">${tiles(['Night Drive', 'Lo-fi Beats', 'Indie Kitchen', 'Morning Run'])}</div>
      <p class="muted">${count().toLocaleString('en-US')} listeners online · session ${rand()}</p>`);
  }

  function discover() {
    mount('Discover', `
      <h1>Discover</h1>
      <p class="muted">Fresh picks, updated ${new Date().toLocaleTimeString('en-US')}</p>
      <h2>Browse all</h2>
      <div class="tiles">${tiles(['Pop', 'Hip-Hop', 'Rock', 'Jazz', 'Classical', 'Electronic', 'Podcasts', 'Workout'])}</div>`);
  }

  function library() {
    const rows = ['Liked Songs', 'Road Trip 2024', 'Sunday Morning', 'Deep Focus', 'Throwbacks']
      .map((n) => `<li data-id="${rand()}"><span>${esc(n)}</span><span class="muted">${count() % 400} songs</span></li>`).join('');
    mount('Library', `<h1>Your Library</h1><ul class="list">${rows}</ul>`);
  }

  function help() {
    mount('Help', `
      <h1>Help</h1>
      <section class="section"><h2>Can I listen offline?</h2>
        <p>Yes. With Premium you can download up to 10,000 songs on each of 5 devices.</p></section>
      <section class="section"><h2>How do I change or cancel my plan?</h2>
        <p>Open Settings and look for your plan. Changes take effect at your next billing date.</p></section>
      <section class="section"><h2>Why did my payment fail?</h2>
        <p>Check that your card details are up to date and that your bank allows online payments.</p></section>
      <p class="muted">Article ${rand()}</p>`);
  }

  function settings() {
    mount('Settings', `
      <h1>Settings</h1>
      <section class="section"><h2>Profile</h2>
        <div class="field"><label for="display-name">Display name</label>
          <input id="display-name" name="display_name" value="Sam Rivera" autocomplete="nickname"></div>
        <p><button class="btn btn-ghost" type="button" id="save-profile">Save profile</button>
          <span class="muted" id="profile-status"></span></p>
      </section>
      <section class="section"><h2>Notifications</h2>
        <label class="switch">New releases from artists you follow <input type="checkbox" name="n_releases" checked></label>
        <label class="switch">Product news and offers <input type="checkbox" name="n_offers"></label>
      </section>
      <section class="section"><h2>Privacy</h2>
        <label class="switch">Share my listening activity <input type="checkbox" name="p_share" checked></label>
        <label class="switch">Private session <input type="checkbox" name="p_private"></label>
      </section>
      <section class="section"><h2>Subscription</h2><plan-card data-id="${rand()}"></plan-card></section>`);
    document.getElementById('save-profile').addEventListener('click', () => {
      document.getElementById('profile-status').textContent = 'Saved';
    });
  }

  function plan() {
    const banner = session.offerApplied
      ? '<p class="banner" role="status">Offer applied: your next 3 months are $5.99/month.</p>' : '';
    mount('Your plan', `
      <p><a href="/spa/settings">Back to settings</a></p>
      <h1>Your plan</h1>
      ${banner}
      <section class="section">
        <p class="muted">Current plan</p>
        <h2>Premium – $11.99/month</h2>
        <ul><li>Ad-free music</li><li>Offline downloads</li><li>Unlimited skips</li></ul>
        <p>Next payment of $11.99 on ${inDays(9)}.</p>
        <div class="actions">
          <button class="btn btn-white" type="button" id="change-plan">Change plan</button>
          <button class="btn btn-ghost" type="button" id="cancel-plan">Cancel plan</button>
        </div>
      </section>
      <dialog id="offer" aria-labelledby="offer-title">
        <h2 id="offer-title">Wait! Get 3 months at 50% off</h2>
        <p>Stay on Premium for just $5.99/month for your next 3 months. Then $11.99/month, cancel anytime.</p>
        <div class="stack">
          <button class="btn btn-green btn-big" type="button" data-offer="claim">Claim offer</button>
          <button class="btn btn-ghost" type="button" data-offer="keep">Keep plan</button>
          <button class="text-btn" type="button" data-offer="cancel">Cancel anyway</button>
        </div>
      </dialog>`);
    const dialog = document.getElementById('offer');
    document.getElementById('change-plan').addEventListener('click', () => navigate('/spa/settings/plan/change'));
    document.getElementById('cancel-plan').addEventListener('click', () => dialog.showModal());
    dialog.addEventListener('click', (e) => {
      const choice = e.target.closest('[data-offer]');
      if (!choice) return;
      dialog.close();
      if (choice.dataset.offer === 'claim') { session.offerApplied = true; plan(); }
      if (choice.dataset.offer === 'cancel') navigate('/spa/settings/plan/cancel');
    });
  }

  function changePlan() {
    const note = session.planChange
      ? `<p class="banner" role="status">Your plan will switch to ${esc(session.planChange)} on ${inDays(9)}.</p>` : '';
    mount('Change plan', `
      <p><a href="/spa/settings/plan">Back to your plan</a></p>
      <h1>Change plan</h1>
      ${note}
      <div class="plans">
        <div class="plan-tile"><h2>Individual</h2><p>$11.99/month · 1 account</p><p class="muted">Your current plan</p></div>
        <div class="plan-tile"><h2>Duo</h2><p>$16.99/month · 2 accounts</p>
          <button class="btn btn-white" type="button" data-plan="Duo">Switch to Duo</button></div>
        <div class="plan-tile"><h2>Family</h2><p>$19.99/month · up to 6 accounts</p>
          <button class="btn btn-white" type="button" data-plan="Family">Switch to Family</button></div>
      </div>`);
    for (const b of view.querySelectorAll('[data-plan]')) {
      b.addEventListener('click', () => { session.planChange = b.dataset.plan; changePlan(); });
    }
  }

  function cancelSurvey() {
    const reasons = ['Too expensive', 'Not using it enough', 'Found a better service', 'Other'];
    mount('Cancel plan', `
      <h1>Why are you leaving?</h1>
      <p class="muted">Pick the reason that fits best. It helps us make Tunely better.</p>
      <form id="survey">
        ${reasons.map((r, i) => `<label class="radio"><input type="radio" name="reason" value="r${i}"> ${r}</label>`).join('')}
        <p class="error" id="survey-error" role="alert"></p>
        <div class="actions">
          <button class="btn btn-white" type="submit" id="survey-continue" disabled>Continue</button>
          <a href="/spa/settings/plan">Keep Premium</a>
        </div>
      </form>`);
    const form = document.getElementById('survey');
    const go = document.getElementById('survey-continue');
    form.addEventListener('change', () => { go.disabled = !form.querySelector('input:checked'); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const picked = form.querySelector('input:checked');
      if (!picked) return;
      go.disabled = true;
      const resp = await fetch('/spa/api/cancel', {
        method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({reason: picked.parentElement.textContent.trim()}),
      });
      if (!resp.ok) { document.getElementById('survey-error').textContent = 'Something went wrong. Try again.'; go.disabled = false; return; }
      const data = await resp.json();
      mount('Plan cancelled', `
        <h1>Your plan has been cancelled</h1>
        <p>You'll keep Premium until ${esc(data.premium_until)}. After that your account moves to Tunely Free.</p>
        <p><button class="btn btn-white" type="button" data-go="/spa/">Back to Home</button></p>`);
    });
  }

  function premium() {
    mount('Premium', `
      <h1>Try Tunely Premium</h1>
      <p>$11.99/month. Ad-free music, offline listening, unlimited skips. Cancel anytime.</p>
      <form id="subscribe" novalidate>
        <div class="field"><label for="premium-email">Email</label>
          <input id="premium-email" name="email" type="email" placeholder="you@example.com" autocomplete="email"></div>
        <p class="error" id="subscribe-error" role="alert"></p>
        <button class="btn btn-green btn-big" type="submit">Subscribe</button>
      </form>
      <p class="muted">Offer code ${rand()}</p>`);
    const form = document.getElementById('subscribe');
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const email = form.email.value.trim();
      const err = document.getElementById('subscribe-error');
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) { err.textContent = 'Enter a valid email address.'; return; }
      const resp = await fetch('/spa/api/subscribe', {
        method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({email}),
      });
      const data = await resp.json();
      if (!resp.ok) { err.textContent = data.error || 'Something went wrong.'; return; }
      mount('Welcome', `
        <h1>Welcome to Premium</h1>
        <p>We've sent a receipt to ${esc(email)}. Your subscription id is ${esc(data.id)}.</p>
        <p><button class="btn btn-green" type="button" data-go="/spa/">Start listening</button></p>`);
    });
  }

  function notFound() {
    mount('Not found', `<h1>We couldn't find that page</h1><p><a href="/spa/">Go to Home</a></p>`);
  }

  // ---------- <plan-card>: the subscription summary, a web component with an open shadow root ----------
  class PlanCard extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({mode: 'open'});
      root.innerHTML = `
        <style>
          .card { display: flex; justify-content: space-between; align-items: center; gap: 1rem;
                  background: linear-gradient(120deg, #1e3264, #5038a0); border-radius: 8px; padding: 1.2rem 1.4rem; }
          p { margin: 0; color: #ddd; font-size: .85rem; }
          strong { display: block; font-size: 1.25rem; color: #fff; margin: .2rem 0; }
          button { border: 0; border-radius: 500px; padding: .6rem 1.4rem; background: #fff; color: #000;
                   font-weight: 700; font-size: .9rem; line-height: 1.2; font-family: inherit; cursor: pointer; }
        </style>
        <div class="card">
          <div><p>Your plan</p><strong>Premium – $11.99/month</strong><p>Renews ${inDays(9)}</p></div>
          <button type="button">Manage plan</button>
        </div>`;
      root.querySelector('button').addEventListener('click', () => navigate('/spa/settings/plan'));
    }
  }
  customElements.define('plan-card', PlanCard);

  // ---------- cookie consent: a banner over a veil that swallows every click until answered ----------
  function consent() {
    if (localStorage.getItem('tunely.consent')) return;
    const veil = document.createElement('div');
    veil.className = 'veil';
    veil.innerHTML = `
      <div class="consent" role="dialog" aria-modal="true" aria-labelledby="consent-title">
        <h2 id="consent-title">We value your privacy</h2>
        <p>Tunely and our ${count() % 300} partners use cookies to keep the service running, measure how it is used and
          show you personalised ads. You can accept all cookies, reject the optional ones, or choose in the settings.</p>
        <div class="actions">
          <button class="btn btn-green" type="button" data-consent="all">Accept all</button>
          <button class="btn btn-ghost" type="button" data-consent="essential">Reject all</button>
          <button class="text-btn" type="button" data-prefs>Cookie settings</button>
        </div>
        <div class="prefs" hidden>
          <label><input type="checkbox" checked disabled> Strictly necessary</label>
          <label><input type="checkbox" name="analytics"> Analytics</label>
          <label><input type="checkbox" name="ads"> Personalised ads</label>
          <button class="btn btn-ghost" type="button" data-consent="custom">Save choices</button>
        </div>
      </div>`;
    veil.addEventListener('click', (e) => {
      if (e.target.closest('[data-prefs]')) { veil.querySelector('.prefs').hidden = false; return; }
      const choice = e.target.closest('[data-consent]');
      if (!choice) return;
      localStorage.setItem('tunely.consent', JSON.stringify({choice: choice.dataset.consent, at: Date.now()}));
      veil.remove();
    });
    document.body.append(veil);
  }

  // ---------- clock in the sidebar (changes once a minute) ----------
  const clock = document.getElementById('clock');
  const tick = () => {
    const t = new Date().toLocaleTimeString('en-US', {hour: '2-digit', minute: '2-digit'});
    if (clock.textContent !== t) clock.textContent = t;
  };
  tick();
  setInterval(tick, 15000);

  render();
  consent();
})();
