// Lists the dev outbox (newest first) and refreshes every few seconds, so a new user can read the code.
const list = document.getElementById('messages');
const share = document.getElementById('share');

async function load() {
  const res = await fetch('/demo/outbox');
  const { items } = await res.json();
  if (!items.length) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = 'No messages yet. Open the share link and ask for a code.';
    list.replaceChildren(li);
    return;
  }
  list.replaceChildren(
    ...items.map((m) => {
      const li = document.createElement('li');
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = `${m.channel === 'email' ? 'Email' : 'WhatsApp'} to ${m.to} · ${new Date(m.createdAt).toLocaleString()}`;
      const subject = document.createElement('div');
      subject.className = 'subject';
      subject.textContent = m.subject;
      const body = document.createElement('pre');
      body.textContent = m.body;
      li.append(meta, subject, body);
      return li;
    }),
  );
}

fetch('/demo/share-link')
  .then((r) => (r.ok ? r.json() : null))
  .then((link) => {
    if (!link) return;
    const a = document.createElement('a');
    a.href = link.path;
    a.textContent = 'Open the demo share link';
    share.replaceChildren('Try it: ', a, '.');
  });
document.getElementById('refresh').addEventListener('click', load);
setInterval(load, 3000);
load();
