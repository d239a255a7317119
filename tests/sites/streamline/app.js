// Streamline: a video-streaming single-page app with hash routing (#/account, #/cancel/...).
(() => {
  'use strict';
  const view = document.querySelector('main');
  const rand = () => Math.random().toString(36).slice(2, 9);
  const count = () => 100 + Math.floor(Math.random() * 9900);
  const cls = (name) => `${name} ${name}-${rand()}`;  // hashed class names, as a CSS-in-JS build emits
  const inDays = (n) => new Date(Date.now() + n * 864e5).toLocaleDateString('en-US', {month: 'long', day: 'numeric'});
  const store = window.sessionStorage;

  const titles = ['The Quiet Harbour', 'Ninth Orbit', 'Salt & Cedar', 'Low Tide', 'Glass Country', 'Paper Kings',
    'North of Nowhere', 'The Long Field', 'Copper Lane', 'Midnight Ferry', 'Blue Static', 'Hollow Crown Road'];
  const shuffled = () => titles.slice().sort(() => Math.random() - 0.5);
  const posters = (n) => shuffled().slice(0, n).map((t) =>
    `<div class="${cls('poster')}" style="background: hsl(${count() % 360} 45% 30%)" data-id="${rand()}">${t}</div>`).join('');

  function mount(title, html) {
    document.title = `${title} – Streamline`;
    view.innerHTML = html;
    view.dataset.render = rand();
    window.scrollTo(0, 0);
  }
  const go = (hash) => { location.hash = hash; };

  const routes = {
    '/': home,
    '/series': () => catalogue('Series'),
    '/films': () => catalogue('Films'),
    '/my-list': myList,
    '/help': help,
    '/account': account,
    '/account/profiles': profiles,
    '/account/plan': changePlan,
    '/cancel/reason': reason,
    '/cancel/offer': offer,
    '/cancel/confirm': confirmEnd,
    '/cancel/processing': processing,
  };

  function render() {
    const path = (location.hash.replace(/^#/, '') || '/').split('?')[0];
    (routes[path] || notFound)();
  }
  window.addEventListener('hashchange', render);

  function home() {
    mount('Home', `
      <section class="${cls('panel')}">
        <p class="muted">New this week</p>
        <h1>${shuffled()[0]}</h1>
        <p>A limited series in six parts. ${count()} reviews · ${(count() % 50) / 10 + 5}/10</p>
        <button class="${cls('ghost')}" type="button" data-trailer>Watch trailer</button>
        <span class="muted" data-trailer-note></span>
      </section>
      <h2>Continue watching</h2><div class="row">${posters(5)}</div>
      <h2>Trending now</h2><div class="row">${posters(5)}</div>`);
    view.querySelector('[data-trailer]').addEventListener('click', () => {
      view.querySelector('[data-trailer-note]').textContent = 'Trailers are paused while you browse.';
    });
  }

  function catalogue(kind) {
    mount(kind, `<h1>${kind}</h1>
      <p class="muted">Updated ${new Date().toLocaleTimeString('en-US')}</p>
      <h2>Popular</h2><div class="row">${posters(6)}</div>
      <h2>Because you watched ${shuffled()[0]}</h2><div class="row">${posters(6)}</div>`);
  }

  function myList() {
    mount('My List', `<h1>My List</h1><div class="row">${posters(4)}</div>
      <p class="muted">${count() % 40} titles saved on all profiles</p>`);
  }

  function help() {
    mount('Help', `<h1>Help Centre</h1>
      <div class="${cls('panel')}"><h2>Can I watch offline?</h2><p>Yes, download titles on up to 4 phones or tablets.</p></div>
      <div class="${cls('panel')}"><h2>How do I change my plan?</h2><p>Open your account and choose a plan that suits you.</p></div>
      <div class="${cls('panel')}"><h2>Where is my invoice?</h2><p>Invoices are e-mailed on each billing date.</p></div>
      <p class="muted">Article ${rand()}</p>`);
  }

  function account() {
    const offer = store.getItem('sl.offer')
      ? '<p class="banner" role="status">Offer applied: 50% off for the next 3 months.</p>' : '';
    mount('Account', `
      <h1>Account</h1>${offer}
      <section class="${cls('panel')}">
        <p class="muted">Membership · member since ${2016 + count() % 8}</p>
        <h2>Premium UHD · $17.99/month</h2>
        <p>Your next billing date is ${inDays(12)}.</p>
        <p><button class="${cls('ghost')}" type="button" data-go="/account/plan">Change plan</button>
           <button class="${cls('ghost')}" type="button" data-go="/account/profiles">Manage profiles</button></p>
        <p><button class="${cls('linkish')}" type="button" data-go="/cancel/reason">Cancel membership</button></p>
      </section>
      <section class="${cls('panel')}">
        <h2>Settings</h2>
        <label><input type="checkbox" name="autoplay" checked> Autoplay next episode</label><br>
        <label><input type="checkbox" name="previews"> Autoplay previews while browsing</label>
      </section>`);
    bindGo();
  }

  function profiles() {
    const names = ['Alex', 'Sam', 'Kids'];
    mount('Profiles', `<h1>Manage profiles</h1>
      ${names.map((n) => `<div class="${cls('panel')}"><b>${n}</b> <span class="muted">${count() % 300} hours watched</span></div>`).join('')}
      <p><a href="#/account">Back to Account</a></p>`);
  }

  function changePlan() {
    mount('Change plan', `<h1>Change plan</h1>
      <form class="${cls('panel')}" id="plan-form">
        <label class="choice"><input type="radio" name="plan" value="basic"> Basic with ads · $6.99/month</label>
        <label class="choice"><input type="radio" name="plan" value="standard"> Standard · $12.99/month</label>
        <label class="choice"><input type="radio" name="plan" value="uhd" checked> Premium UHD · $17.99/month</label>
        <button class="${cls('cta')}" type="submit">Save plan</button> <span class="muted" id="plan-note"></span>
      </form>
      <p><a href="#/account">Back to Account</a></p>`);
    document.getElementById('plan-form').addEventListener('submit', (e) => {
      e.preventDefault();
      document.getElementById('plan-note').textContent = 'Your plan change starts on your next billing date.';
    });
  }

  // The survey: "Continue" stays disabled until an answer is picked; only "Too expensive" detours to an offer.
  function reason() {
    const answers = [['expensive', 'Too expensive'], ['unused', "I don't use it enough"], ['other', 'Other']];
    mount('Cancel membership', `
      <h1>Why are you leaving?</h1>
      <p class="muted">Your answer helps us improve Streamline.</p>
      <form id="why-${rand()}" class="${cls('panel')}">
        ${answers.map(([v, t]) => `<label class="choice"><input type="radio" name="why" value="${v}"> ${t}</label>`).join('')}
        <p><button class="${cls('cta')}" type="submit" disabled>Continue</button>
           <a href="#/account">Back to Account</a></p>
      </form>`);
    const form = view.querySelector('form');
    const cont = form.querySelector('button[type=submit]');
    form.addEventListener('change', () => { cont.disabled = !form.querySelector('input:checked'); });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const picked = form.querySelector('input:checked');
      if (!picked) return;
      go(picked.value === 'expensive' ? '/cancel/offer' : '/cancel/confirm');
    });
  }

  function offer() {
    mount('A better price', `
      <section class="${cls('panel')}">
        <p class="muted">Only for you</p>
        <h1>50% off for 3 months</h1>
        <p>Keep Premium UHD for $8.99/month for your next 3 months. Then $17.99/month.</p>
        <p><button class="${cls('cta')}" type="button" data-accept>Accept offer</button>
           <button class="${cls('linkish')}" type="button" data-go="/cancel/confirm">No thanks, cancel</button></p>
      </section>`);
    view.querySelector('[data-accept]').addEventListener('click', () => { store.setItem('sl.offer', '1'); go('/account'); });
    bindGo();
  }

  function confirmEnd() {
    mount('Confirm', `
      <section class="${cls('panel')}">
        <h1>Are you sure you want to leave?</h1>
        <p>Your membership ends on ${inDays(12)}. Your profiles and viewing history are kept for 10 months.</p>
        <p><button class="${cls('cta')}" type="button" data-end>End membership</button>
           <button class="${cls('ghost')}" type="button" data-go="/">Keep watching</button></p>
      </section>`);
    view.querySelector('[data-end]').addEventListener('click', () => { store.setItem('sl.ending', String(Date.now())); go('/cancel/processing'); });
    bindGo();
  }

  // A screen that is not a user step: it turns into the result by itself after 2 seconds.
  function processing() {
    if (!store.getItem('sl.ending')) { go('/account'); return; }
    mount('Processing', `
      <section class="${cls('panel')}" aria-busy="true">
        <div class="spinner" aria-hidden="true"></div>
        <h1>Processing your request…</h1>
        <p class="muted">Please don't close this window. Reference ${rand().toUpperCase()}</p>
      </section>`);
    const here = location.hash;
    setTimeout(() => {
      if (location.hash !== here) return;
      store.removeItem('sl.ending');
      mount('Membership cancelled', `
        <section class="${cls('panel')}">
          <h1>Your membership has been cancelled</h1>
          <p>You can keep watching until ${inDays(12)}. We've sent a confirmation e-mail.</p>
          <p><a href="#/">Back to Home</a></p>
        </section>`);
    }, 2000);
  }

  function notFound() {
    mount('Not found', '<h1>Lost your way?</h1><p><a href="#/">Go to Home</a></p>');
  }

  function bindGo() {
    for (const el of view.querySelectorAll('[data-go]')) el.addEventListener('click', () => go(el.dataset.go));
  }

  render();
})();
