// clipbot playground client. One browser tab is one user: it sends lines to /api/command, presses
// buttons through /api/button and renders the channel from the /api/events stream. Everything the
// server sends is drawn with textContent, never as HTML: prompts are other people's input.

import { pictureChooser, uploadPicture } from './picture.js';

/**
 * @typedef {{ action: Action, customId: string, label: string }} Button
 * @typedef {({ kind: 'queued', jobId: string, position: number, etaMs: number, noWorker?: boolean }
 *   | { kind: 'running', jobId: string, step: number, totalSteps: number, tier: string, etaMs: number }
 *   | { kind: 'done', jobId: string, prompt: string, videoUrl: string, downloadName: string, seed: number,
 *       tier: string, elapsedMs: number, fallback?: { from: string, reason: string } }
 *   | { kind: 'refused', reason: string, message: string, retryAt?: number }
 *   | { kind: 'failed', jobId: string, message: string }
 *   | { kind: 'cancelled', jobId: string }
 *   | { kind: 'notice', message: string }
 *   | { kind: 'deleted', jobId: string }) & { buttons: Button[] }} ReplyView
 * @typedef {{ id: string, author: 'user' | 'bot', createdAt: number, text?: string, image?: string, reply?: ReplyView }} Message
 * @typedef {'cancel' | 'reroll' | 'delete'} Action
 * @typedef {(key: string, create: () => HTMLElement) => HTMLElement} Keep
 * @typedef {{ message: Message, element: HTMLLIElement, parts: Map<string, HTMLElement>, drawn: string }} Entry
 */

const SESSION_KEY = 'clipbot.session';
const BUTTONS = {
  cancel: { text: 'Cancel', label: 'Cancel this video' },
  reroll: { text: 'Reroll', label: 'Reroll with a new seed' },
  delete: { text: 'Delete', label: 'Delete this video' },
};

const list = /** @type {HTMLOListElement} */ (document.getElementById('messages'));
const form = /** @type {HTMLFormElement} */ (document.getElementById('composer'));
const input = /** @type {HTMLInputElement} */ (document.getElementById('command'));
const seedInput = /** @type {HTMLInputElement} */ (document.getElementById('seed'));
const qualityInput = /** @type {HTMLSelectElement} */ (document.getElementById('quality'));
const errorLine = /** @type {HTMLElement} */ (document.getElementById('composer-error'));
const statusLine = /** @type {HTMLElement} */ (document.getElementById('connection'));
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

/** @type {Map<string, Entry>} */
const entries = new Map();
/** Whether the list follows new messages; false once the user scrolls up to read. */
let stick = true;
/** Commands on their way to the bot, sent one after another. */
let outbox = Promise.resolve();

/** A v4 UUID. crypto.randomUUID exists only in secure contexts, not on plain http to a LAN address. */
function newId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** This tab's user id: sessionStorage is per tab, so each tab is its own user and a reload keeps it. */
function loadSession() {
  try {
    const stored = sessionStorage.getItem(SESSION_KEY);
    if (stored) return stored;
    const id = newId();
    sessionStorage.setItem(SESSION_KEY, id);
    return id;
  } catch {
    return newId(); // storage blocked: this page load is a user of its own
  }
}

const session = loadSession();

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Makes `nodes` the children of `parent`, leaving nodes already in place where they are, so a
 * playing video keeps playing and a focused button keeps focus across updates.
 * @param {Element} parent
 * @param {Node[]} nodes
 */
function setChildren(parent, nodes) {
  for (const child of Array.from(parent.childNodes)) {
    if (!nodes.includes(child)) child.remove();
  }
  let at = parent.firstChild;
  for (const node of nodes) {
    if (node === at) at = at.nextSibling;
    else parent.insertBefore(node, at);
  }
}

/** @param {number} ms HH:MM, local time */
const clock = (ms) => new Date(ms).toTimeString().slice(0, 5);
/** @param {number} ms */
const took = (ms) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);
/** @param {number} ms */
function about(ms) {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 90 ? `about ${s} s` : `about ${Math.round(s / 60)} min`;
}

/** @param {string} text */
function showError(text) {
  if (errorLine.textContent !== text) errorLine.textContent = text;
}

/**
 * POSTs JSON as this tab's user. Shows the server's `{ error }` (or a network failure) under the
 * composer and returns whether the request was accepted.
 * @param {string} path
 * @param {object} body
 */
async function post(path, body) {
  /** @type {Response} */
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Clipbot-Session': session },
      body: JSON.stringify(body),
    });
  } catch {
    showError('Could not reach the bot. Is it still running?');
    return false;
  }
  if (response.ok) {
    showError('');
    return true;
  }
  const data = await response.json().catch(() => ({}));
  showError(typeof data.error === 'string' ? data.error : `The bot answered ${response.status}.`);
  return false;
}

/**
 * @param {string} customId the button's id, as the bot gave it
 * @param {HTMLButtonElement} button
 */
async function press(customId, button) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  // aria-disabled rather than disabled: a disabled button drops keyboard focus.
  button.setAttribute('aria-disabled', 'true');
  try {
    await post('/api/button', { customId, pressId: newId() });
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

/**
 * The buttons the bot offers under this reply.
 * @param {Keep} keep
 * @param {Button[]} offered
 */
function buttons(keep, offered) {
  const row = keep('actions', () => el('div', 'actions'));
  // Messages kept from before replies carried their buttons have none.
  const made = (offered ?? []).map(({ action, customId, label }) =>
    keep(customId, () => {
      const button = el('button', '', label);
      button.type = 'button';
      button.setAttribute('aria-label', BUTTONS[action]?.label ?? label);
      button.addEventListener('click', () => press(customId, button));
      return button;
    }),
  );
  setChildren(row, made);
  return row;
}

/**
 * @param {Entry} entry
 * @param {string} url
 */
function makeVideo(entry, url) {
  const video = el('video');
  // Muted and inline so phones allow it to start by itself; a looping clip that starts by itself
  // is motion nobody asked for, so not for people who asked for less.
  for (const name of ['controls', 'loop', 'muted', 'playsinline']) video.setAttribute(name, '');
  video.muted = true;
  video.autoplay = !reducedMotion.matches;
  video.preload = 'auto';
  video.addEventListener('loadedmetadata', follow);
  video.addEventListener('error', () => draw(entry, true));
  video.src = url;
  return video;
}

/**
 * The nodes that show one bot reply.
 * @param {Entry} entry
 * @param {ReplyView} reply
 * @param {Keep} keep
 * @returns {Node[]}
 */
function replyNodes(entry, reply, keep) {
  switch (reply.kind) {
    case 'queued': {
      const where = reply.position > 0 ? `position ${reply.position}` : 'starting now';
      const eta = reply.etaMs > 0 ? `, ${about(reply.etaMs)}` : '';
      const queued = [el('p', '', `Queued — ${where}${eta}`)];
      if (reply.noWorker)
        queued.push(
          el(
            'p',
            'fallback',
            'Video generation is down right now: your video waits here and starts when it is back.',
          ),
        );
      return [...queued, buttons(keep, reply.buttons)];
    }
    case 'running': {
      const label = keep('label', () => el('label', 'progress'));
      const text = keep('step', () => el('span'));
      const bar = /** @type {HTMLProgressElement} */ (keep('bar', () => el('progress')));
      bar.max = Math.max(1, reply.totalSteps);
      bar.value = reply.step;
      const eta = reply.etaMs > 0 ? ` · ${about(reply.etaMs)} left` : '';
      text.textContent = `step ${reply.step}/${reply.totalSteps} · ${reply.tier}${eta}`;
      setChildren(label, [text, bar]);
      return [label, buttons(keep, reply.buttons)];
    }
    case 'done': {
      const video = /** @type {HTMLVideoElement} */ (
        keep(`video ${reply.videoUrl}`, () => makeVideo(entry, reply.videoUrl))
      );
      video.setAttribute('aria-label', `Video: ${reply.prompt}`);
      const link = el('a', 'download', 'Download MP4');
      link.href = reply.videoUrl;
      link.download = reply.downloadName;
      const nodes = [el('p', 'prompt', reply.prompt), video];
      if (video.error)
        nodes.push(el('p', 'fallback', 'This browser cannot play the clip; download it instead.'));
      nodes.push(el('p', 'meta', `seed ${reply.seed} · tier ${reply.tier} · ${took(reply.elapsedMs)}`));
      if (reply.fallback) {
        const why = reply.fallback.reason.replace(/\.$/, '');
        nodes.push(el('p', 'fallback', `Made at ${reply.tier} instead of ${reply.fallback.from}: ${why}.`));
      }
      const linkLine = el('p');
      linkLine.append(link);
      return [...nodes, linkLine, buttons(keep, reply.buttons)];
    }
    case 'failed':
      return [el('p', '', reply.message), buttons(keep, reply.buttons)];
    case 'cancelled':
      return [el('p', '', 'Cancelled.'), buttons(keep, reply.buttons)];
    case 'deleted':
      return [el('p', '', 'Deleted.')];
    default:
      return [el('p', '', reply.message ?? '')]; // refused, notice
  }
}

/**
 * Brings a message element up to date with its message; nodes worth keeping (video, progress bar,
 * buttons) are reused from the last draw.
 * @param {Entry} entry
 * @param {boolean} [force] draw even if the message did not change
 */
function draw(entry, force = false) {
  const { message, element } = entry;
  const drawn = JSON.stringify(message);
  if (drawn === entry.drawn && !force) return;
  entry.drawn = drawn;
  const kind = message.author === 'user' ? 'user' : (message.reply?.kind ?? 'bot');
  element.dataset.messageId = message.id;
  element.dataset.kind = kind;
  // Screen readers wait for a busy message to settle instead of reading out every step.
  element.setAttribute('aria-busy', String(kind === 'queued' || kind === 'running'));

  const previous = entry.parts;
  entry.parts = new Map();
  /** @type {Keep} */
  const keep = (key, create) => {
    const node = previous.get(key) ?? create();
    entry.parts.set(key, node);
    return node;
  };
  const byline = keep('byline', () => {
    const line = el('p', 'byline');
    const time = el('time', '', clock(message.createdAt));
    time.dateTime = new Date(message.createdAt).toISOString();
    line.append(el('strong', '', message.author === 'user' ? 'you' : 'clipbot'), time);
    return line;
  });
  const body =
    message.author === 'user'
      ? [
          el('p', 'text', message.text ?? ''),
          ...(message.image ? [el('p', 'attached', `🖼 ${message.image}`)] : []),
        ]
      : message.reply
        ? replyNodes(entry, message.reply, keep)
        : [];
  setChildren(element, [byline, ...body]);
}

/** Scrolls to the newest message unless the user scrolled up to read. */
function follow() {
  if (stick) list.scrollTop = list.scrollHeight;
}

/** Puts the message elements in order: by createdAt, then id. */
function layout() {
  const sorted = Array.from(entries.values()).sort(
    (a, b) =>
      a.message.createdAt - b.message.createdAt ||
      (a.message.id < b.message.id ? -1 : a.message.id > b.message.id ? 1 : 0),
  );
  setChildren(
    list,
    sorted.map((entry) => entry.element),
  );
  follow();
}

/** @param {Message} message */
function upsert(message) {
  let entry = entries.get(message.id);
  if (!entry) {
    entry = { message, element: el('li', 'message'), parts: new Map(), drawn: '' };
    entries.set(message.id, entry);
  }
  entry.message = message;
  draw(entry);
}

/** @param {Message[]} messages the whole channel, sent on every (re)connect */
function replaceAll(messages) {
  const ids = new Set(messages.map((message) => message.id));
  for (const id of entries.keys()) {
    if (!ids.has(id)) entries.delete(id);
  }
  for (const message of messages) upsert(message);
  layout();
}

/**
 * @param {string} state
 * @param {string} text
 */
function setStatus(state, text) {
  statusLine.dataset.state = state;
  if (statusLine.textContent !== text) statusLine.textContent = text;
}

/** @param {MessageEvent} event */
function parse(event) {
  try {
    return JSON.parse(event.data);
  } catch {
    return undefined;
  }
}

let retryMs = 1000;

/** Opens the event stream. EventSource retries network errors itself, but gives up on an HTTP error
 * (a proxy's 502 while the bot restarts, say), so then retry by hand with a growing pause. */
function connect() {
  const events = new EventSource(`/api/events?session=${encodeURIComponent(session)}`);
  events.addEventListener('open', () => {
    retryMs = 1000;
    setStatus('connected', 'connected');
  });
  events.addEventListener('error', () => {
    if (events.readyState !== EventSource.CLOSED) {
      setStatus('reconnecting', 'reconnecting…');
      return;
    }
    events.close();
    setStatus('disconnected', 'reconnecting…');
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  });
  events.addEventListener('snapshot', (event) => {
    const data = parse(event);
    if (Array.isArray(data?.messages)) replaceAll(data.messages);
  });
  events.addEventListener('message', (event) => {
    const message = parse(event);
    if (typeof message?.id !== 'string') return;
    upsert(message);
    layout();
  });
}

/** The line to send: a bare prompt gets `/video ` in front, and the Options form's values are added
 * to a /video line unless it already names them. `help` and other commands go as typed. */
function composeLine() {
  let line = input.value.trim();
  if (!line) return '';
  if (line.toLowerCase() === 'help') return line;
  // Another slash word goes as typed: the bot reads each command by its own definition.
  if (!line.startsWith('/')) line = `/video ${line}`;
  if (!/^\/video(\s|$)/i.test(line)) return line;
  /** @param {string} name */
  const has = (name) => new RegExp(`(^|\\s)--${name}(\\s|=|$)`, 'i').test(line);
  const seed = seedInput.value.trim();
  if (seed && !has('seed')) line += ` --seed ${seed}`;
  if (qualityInput.value && !has('quality')) line += ` --quality ${qualityInput.value}`;
  return line;
}

const picture = pictureChooser(showError);

/**
 * Sends a line, uploading its picture first; whether the bot took it (a problem is shown).
 * @param {string} text
 * @param {File | undefined} file
 */
async function sendLine(text, file) {
  // One id per line: if the POST is retried, the bot recognises it and queues it once.
  /** @type {{ text: string, requestId: string, imageId?: string }} */
  const body = { text, requestId: newId() };
  if (file) {
    const uploaded = await uploadPicture(file, session);
    if ('error' in uploaded) {
      showError(uploaded.error);
      return false;
    }
    body.imageId = uploaded.imageId;
  }
  return post('/api/command', body);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = composeLine();
  if (!text) {
    showError('Type a prompt first, for example: /video a red ball bouncing on a white background');
    input.focus();
    return;
  }
  const file = picture.file;
  if (file && !/^\/video(\s|$)/i.test(text)) {
    showError('A picture goes with /video: type a prompt for it, or remove the picture.');
    input.focus();
    return;
  }
  // Sent in order, one after another; a line typed while an earlier one is on its way is never
  // dropped, and one the bot did not take comes back into an empty box (with its picture) to try again.
  const typed = input.value;
  input.value = '';
  picture.clear();
  stick = true; // your own message should come into view
  outbox = outbox.then(async () => {
    if (await sendLine(text, file)) return;
    if (input.value === '') input.value = typed;
    if (file && !picture.file) picture.choose(file);
  });
  input.focus();
});

list.addEventListener(
  'scroll',
  () => {
    stick = list.scrollHeight - list.scrollTop - list.clientHeight < 48;
  },
  { passive: true },
);

/**
 * Fills the syntax line and the Options form from the bot's own /video definition (its ranges and
 * quality choices come from the model it serves). Without it the form still sends typed lines.
 */
async function loadCommandOptions() {
  try {
    const response = await fetch('/api/command');
    if (!response.ok) return;
    /** @type {{ syntax: string, options: { name: string, min?: number, max?: number, choices?: { value: string, label?: string }[] }[] }} */
    const data = await response.json();
    const syntax = document.getElementById('syntax');
    if (syntax) syntax.textContent = data.syntax;
    const seed = data.options.find((o) => o.name === 'seed');
    if (seed?.max !== undefined) seedInput.max = String(seed.max);
    const quality = data.options.find((o) => o.name === 'quality');
    for (const choice of quality?.choices ?? []) {
      const option = el('option', '', choice.label ?? choice.value);
      option.setAttribute('value', choice.value);
      qualityInput.append(option);
    }
  } catch {
    // The bot is unreachable; connect() says so.
  }
}

// The server has already turned ?token= into a cookie; take it out of the address bar so it is not
// shared along with a copied link or a screenshot.
const here = new URL(location.href);
if (here.searchParams.has('token')) {
  here.searchParams.delete('token');
  history.replaceState(null, '', here);
}

connect();
void loadCommandOptions();
