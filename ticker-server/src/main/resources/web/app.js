// Ticker page: watchlist over the ticker wire contract v1 (docs/BROWSER.md).
// No framework, no build step. The data path: socket frame -> JSON.parse -> per-symbol latest map (coalesced)
// -> one render per animation frame that touches only the cells whose text changed.
'use strict';

// ---- configuration ------------------------------------------------------------------------------------------
const STORAGE_KEY = 'ticker.watchlist.v1';
const DEFAULT_WATCHLIST_SIZE = 10;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
const BACKOFF_FLOOR_MS = 250;
/** A connection counts as healthy (backoff resets) only after staying open this long: no storm on flapping. */
const STABLE_AFTER_MS = 5_000;
/** Application ping when nothing arrived for this long; reconnect when still nothing after IDLE_CLOSE_MS. */
const IDLE_PING_MS = 15_000;
const IDLE_CLOSE_MS = 45_000;
const LATENCY_WINDOW_S = 10;
/** Sparkline: the last SPARK_POINTS changes of the last price (a tick chart), at least SPARK_MIN_SPAN wide. */
const SPARK_POINTS = 60;
const SPARK_MIN_SPAN = 30;
const MESSAGE_SHOW_MS = 6_000;
/**
 * How long a moved price stays tinted: long enough to catch the eye, short enough to be over before the next one.
 * A static tint set and cleared by the frame loop, rather than a CSS animation: an animation costs a style pass
 * and a repaint of its cell on every frame while it runs.
 */
const FLASH_MS = 250;
/**
 * A cell flashes at most once per FLASH_MIN_GAP_MS: a symbol quoting hundreds of times a second blinks now and
 * then instead of staying lit, and a flash keeps meaning "this just moved".
 */
const FLASH_MIN_GAP_MS = 1_000;
/** A sorted watchlist is re-ordered at most this often: rows that jump on every tick cannot be read or clicked. */
const SORT_INTERVAL_MS = 500;
const SORT_STORAGE_KEY = 'ticker.sort.v1';
/** The watchlist's data columns, in display order (each a td with data-col and class c-NAME). */
const COLUMNS = ['sym', 'bidSize', 'bid', 'ask', 'askSize', 'spread', 'last', 'chg', 'pct', 'vol', 'time'];
/** Columns whose first click sorts ascending; the others (numbers a trader ranks) start descending. */
const ASCENDING_FIRST = new Set(['sym']);
const PRICE_CELLS = ['bid', 'ask', 'last'];
const MOVERS_RENDER_MS = 500;
const SUGGESTIONS_MAX = 8;

// ---- where the server is ------------------------------------------------------------------------------------
const params = new URLSearchParams(location.search);

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev override {@code ?ws=ws://host:port[/path]}, or null. Only to the page's own host name (another port)
 * or from loopback to loopback: a link must not be able to point a trader's page at someone else's prices.
 */
function wsOverride() {
  const raw = params.get('ws');
  if (!raw) {
    return null;
  }
  let u;
  try {
    u = new URL(raw);
  } catch (e) {
    return null;
  }
  const sameHost = u.hostname === location.hostname;
  const bothLoopback = LOOPBACK.has(u.hostname) && LOOPBACK.has(location.hostname);
  if ((u.protocol !== 'ws:' && u.protocol !== 'wss:') || !(sameHost || bothLoopback)) {
    return null;
  }
  if (u.pathname === '/' || u.pathname === '') {
    u.pathname = '/ws';
  }
  return u.toString();
}

const WS_OVERRIDE = wsOverride();
/** The WebSocket URL: same host and port as the page (wss: on https:), or the dev override. */
const WS_URL = WS_OVERRIDE
  || (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/ws';

// ---- clock ---------------------------------------------------------------------------------------------------
/** Wall clock in epoch microseconds with sub-millisecond precision. */
function nowMicros() {
  return (performance.timeOrigin + performance.now()) * 1000;
}

const TZ_OFFSET_MS = new Date().getTimezoneOffset() * 60_000;

function pad2(n) {
  return n < 10 ? '0' + n : '' + n;
}

/** Local HH:MM:SS.mmm of an epoch-microseconds timestamp, without allocating a Date. */
function formatTime(tsMicros) {
  const ms = Math.floor(tsMicros / 1000) - TZ_OFFSET_MS;
  const dayMs = ((ms % 86_400_000) + 86_400_000) % 86_400_000;
  const h = Math.floor(dayMs / 3_600_000);
  const m = Math.floor(dayMs / 60_000) % 60;
  const s = Math.floor(dayMs / 1000) % 60;
  const milli = dayMs % 1000;
  return pad2(h) + ':' + pad2(m) + ':' + pad2(s) + '.' + (milli < 10 ? '00' : milli < 100 ? '0' : '') + milli;
}

// ---- number formatting ---------------------------------------------------------------------------------------
const volumeFormat = new Intl.NumberFormat('en-US');

/** Fraction digits a price needs: 2, or 4 when the feed uses the 3rd or 4th decimal. */
function decimalsOf(price) {
  return Math.abs(Math.round(price * 100) - price * 100) > 1e-6 ? 4 : 2;
}

function formatSigned(v, digits) {
  const s = v.toFixed(digits);
  return v > 0 ? '+' + s : (s === '-0.00' || s === '-0.0000' ? s.slice(1) : s);
}

function formatLatencyMicros(us) {
  if (!(us >= 0)) {
    return '–';
  }
  if (us < 1000) {
    return (us / 1000).toFixed(2) + ' ms';
  }
  if (us < 10_000) {
    return (us / 1000).toFixed(1) + ' ms';
  }
  return Math.round(us / 1000) + ' ms';
}

// ---- latency: one log-linear histogram per second, the last LATENCY_WINDOW_S seconds summed ----------------
// Constant memory whatever the rate; percentiles within ~2 % (32 sub-buckets per power of two).
const LAT_SUB = 32;
const LAT_OCTAVES = 30; // 2^30 us ~ 18 minutes: anything later lands in the last bucket
const LAT_BUCKETS = LAT_SUB * LAT_OCTAVES;

class LatencyWindow {
  constructor(seconds) {
    this.seconds = seconds;
    this.hist = Array.from({ length: seconds }, () => new Uint32Array(LAT_BUCKETS));
    this.secondOf = new Float64Array(seconds).fill(-1);
    this.sum = new Uint32Array(LAT_BUCKETS);
  }

  static bucketOf(us) {
    if (us < LAT_SUB) {
      return us < 0 ? 0 : Math.floor(us);
    }
    const octave = Math.floor(Math.log2(us)) - 4; // us >= 32 -> octave >= 1
    const base = 2 ** (octave + 4);
    const sub = Math.floor((us - base) / base * LAT_SUB);
    return Math.min(LAT_BUCKETS - 1, octave * LAT_SUB + sub);
  }

  static valueOf(bucket) {
    if (bucket < LAT_SUB) {
      return bucket;
    }
    const octave = Math.floor(bucket / LAT_SUB);
    const sub = bucket % LAT_SUB;
    const base = 2 ** (octave + 4);
    return base + (sub + 0.5) / LAT_SUB * base;
  }

  record(us, nowMs) {
    const second = Math.floor(nowMs / 1000);
    const slot = second % this.seconds;
    if (this.secondOf[slot] !== second) {
      this.hist[slot].fill(0);
      this.secondOf[slot] = second;
    }
    this.hist[slot][LatencyWindow.bucketOf(us)]++;
  }

  /** [p50, p99] in microseconds over the window ending now, or null without samples. */
  percentiles(nowMs) {
    const second = Math.floor(nowMs / 1000);
    const sum = this.sum;
    sum.fill(0);
    let total = 0;
    for (let slot = 0; slot < this.seconds; slot++) {
      if (second - this.secondOf[slot] < this.seconds) {
        const h = this.hist[slot];
        for (let b = 0; b < LAT_BUCKETS; b++) {
          if (h[b] !== 0) {
            sum[b] += h[b];
            total += h[b];
          }
        }
      }
    }
    if (total === 0) {
      return null;
    }
    const want50 = Math.ceil(total * 0.5);
    const want99 = Math.ceil(total * 0.99);
    let seen = 0;
    let p50 = -1;
    for (let b = 0; b < LAT_BUCKETS; b++) {
      seen += sum[b];
      if (p50 < 0 && seen >= want50) {
        p50 = LatencyWindow.valueOf(b);
      }
      if (seen >= want99) {
        return [p50, LatencyWindow.valueOf(b)];
      }
    }
    return [p50, LatencyWindow.valueOf(LAT_BUCKETS - 1)];
  }
}

// ---- a reconnecting socket -----------------------------------------------------------------------------------
/**
 * One WebSocket that reconnects by itself: full-jitter exponential backoff (base 500 ms, cap 30 s, floor 250 ms),
 * reset only after the connection stayed open for STABLE_AFTER_MS, so a server that accepts and drops at once
 * (draining, full) does not get hammered. Offline (navigator.onLine false) waits for the 'online' event.
 */
class Feed {
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers; // { open(feed), events(array), state(state, detail) }
    this.ws = null;
    this.attempt = 0;
    this.retryAt = 0;
    this.retryTimer = 0;
    this.countdownTimer = 0;
    this.stableTimer = 0;
    this.idleTimer = 0;
    this.lastReceiveMs = 0;
    this.stopped = true;
    this.state = 'idle';
    this.onOnline = () => {
      if (!this.stopped && this.ws === null) {
        this.clearRetry();
        this.schedule(BACKOFF_FLOOR_MS + Math.random() * BACKOFF_BASE_MS);
      }
    };
    this.onOffline = () => {
      if (this.stopped) {
        return;
      }
      this.clearRetry();
      if (this.ws !== null) {
        // the browser lost its network: the socket is dead even if TCP has not noticed yet
        const ws = this.ws;
        this.ws = null;
        this.retire(ws, 'offline');
      }
      this.setState('offline');
    };
  }

  start() {
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.clearRetry();
    clearTimeout(this.stableTimer);
    clearInterval(this.idleTimer);
    if (this.ws !== null) {
      const ws = this.ws;
      this.ws = null;
      this.retire(ws, 'view closed');
    }
    this.setState('idle');
  }

  /** Gives a socket up: no more events from it, its timers stopped, closed normally. */
  retire(ws, reason) {
    clearTimeout(this.stableTimer);
    clearInterval(this.idleTimer);
    ws.onclose = null;
    ws.onmessage = null;
    if (ws.readyState === WebSocket.CONNECTING) {
      // close() before open would make Chromium log "closed before the connection is established" as an error
      ws.onopen = () => ws.close(1000, reason);
    } else {
      ws.onopen = null;
      ws.close(1000, reason);
    }
  }

  get live() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  send(command) {
    if (this.live) {
      this.ws.send(JSON.stringify(command));
      return true;
    }
    return false;
  }

  setState(state, detail) {
    this.state = state;
    this.handlers.state(state, detail);
  }

  connect() {
    if (this.stopped) {
      return;
    }
    if (navigator.onLine === false) {
      this.setState('offline');
      return;
    }
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting-now');
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this.handlers.message('Bad WebSocket URL: ' + this.url, 'error');
      this.setState('offline');
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.lastReceiveMs = performance.now();
      this.setState('live');
      this.stableTimer = setTimeout(() => {
        this.attempt = 0;
      }, STABLE_AFTER_MS);
      this.idleTimer = setInterval(() => this.checkIdle(), IDLE_PING_MS / 3);
      this.handlers.open(this);
    };
    ws.onmessage = (e) => {
      this.lastReceiveMs = performance.now();
      let events;
      try {
        events = JSON.parse(e.data);
      } catch (err) {
        return; // not JSON: nothing a viewer can act on; the contract says frames are JSON arrays
      }
      this.handlers.events(Array.isArray(events) ? events : [events]);
    };
    // A failed connect fires 'error' then 'close'; all handling is on 'close'.
    ws.onerror = () => {};
    ws.onclose = (e) => {
      clearTimeout(this.stableTimer);
      clearInterval(this.idleTimer);
      this.ws = null;
      this.lost(e.code, e.reason);
    };
  }

  /** The connection is gone (closed, failed, or given up as silent): report it and schedule the next attempt. */
  lost(code, reason) {
    if (this.stopped) {
      return;
    }
    this.handlers.closed(code, reason);
    this.attempt++;
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(this.attempt, 16));
    this.schedule(Math.max(BACKOFF_FLOOR_MS, Math.random() * ceiling));
  }

  checkIdle() {
    const quietMs = performance.now() - this.lastReceiveMs;
    if (quietMs >= IDLE_CLOSE_MS && this.ws !== null) {
      // a half-open connection may never finish a close handshake: give it up now rather than wait for TCP
      const ws = this.ws;
      this.ws = null;
      this.retire(ws, 'no data');
      this.lost(4000, 'no data');
      return;
    }
    if (quietMs >= IDLE_PING_MS) {
      this.send({ op: 'ping', id: 'idle' });
    }
  }

  schedule(delayMs) {
    if (navigator.onLine === false) {
      this.setState('offline');
      return;
    }
    this.retryAt = performance.now() + delayMs;
    this.retryTimer = setTimeout(() => {
      clearInterval(this.countdownTimer);
      this.connect();
    }, delayMs);
    const tick = () => this.setState('reconnecting', Math.max(0, this.retryAt - performance.now()));
    tick();
    this.countdownTimer = setInterval(tick, 250);
  }

  clearRetry() {
    clearTimeout(this.retryTimer);
    clearInterval(this.countdownTimer);
  }
}

// ---- DOM ------------------------------------------------------------------------------------------------------
const $ = (id) => document.getElementById(id);
const el = {
  form: $('add-form'),
  search: $('search'),
  suggestions: $('suggestions'),
  rows: $('rows'),
  head: document.querySelector('#watchlist thead'),
  empty: $('empty'),
  message: $('message'),
  status: $('status'),
  statusText: $('status-text'),
  resume: $('resume'),
  ups: $('ups'),
  p50: $('lat-p50'),
  p99: $('lat-p99'),
  count: $('count'),
  tabWatch: $('tab-watch'),
  tabMovers: $('tab-movers'),
  watchView: $('watch-view'),
  moversView: $('movers-view'),
  gainers: $('gainers'),
  losers: $('losers'),
  active: $('active'),
};

let messageTimer = 0;

/** A short message under the top bar; errors stay MESSAGE_SHOW_MS, the newest replaces the last. */
function showMessage(text, kind) {
  el.message.textContent = text;
  el.message.dataset.kind = kind || 'info';
  el.message.hidden = false;
  clearTimeout(messageTimer);
  messageTimer = setTimeout(() => {
    el.message.hidden = true;
  }, MESSAGE_SHOW_MS);
}

// ---- state --------------------------------------------------------------------------------------------------
/** The symbol universe, busiest first (null until known). */
let universe = null;
let universeSet = new Set();
/** Watchlist in display order. */
let watchlist = [];
/** symbol -> Row, for watched symbols. */
const rows = new Map();
/**
 * symbol -> the server's reference price for the feed session (the `open` of a `subscribed` ack): what change is
 * measured from, the same after a reload. Bounded by the universe.
 */
const references = new Map();
/** symbol -> first last price seen this page session: the change base only where the server gave no reference. */
const baseline = new Map();
/** Quotes received since the last frame, newest per symbol (coalescing). */
let pending = new Map();
let spare = new Map();
let frameRequested = false;
/** Rows with a tinted price cell, for the frame loop to clear. */
const flashing = new Set();
let receivedThisSecond = 0;
let replayedThisFrame = false;
let updatesPerSecond = 0;
const latency = new LatencyWindow(LATENCY_WINDOW_S);
let requestSeq = 0;
/** request id -> symbols asked for, to drop rows the server refused. */
const inflight = new Map();
/**
 * Where the watchlist connection resumes after a reconnect: the feed epoch and the highest seq received in it over
 * every quote (live, conflated, replayed or snapshot). The highest, not the last: conflation may send one symbol's
 * newer quote before another's older one, and the server guarantees everything up to the highest seq of a frame.
 */
const resumePoint = { epoch: -1, seq: -1, askedId: null, since: -1, outcome: null, reason: null, replayed: 0 };

function loadWatchlist() {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw === null) {
      return null;
    }
    const list = JSON.parse(raw);
    return Array.isArray(list) ? list.filter((s) => typeof s === 'string' && s.length > 0) : null;
  } catch (e) {
    return null;
  }
}

function saveWatchlist() {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(watchlist));
  } catch (e) {
    // storage full or disabled (private mode): the watchlist still works for this session
  }
}

// ---- rows -----------------------------------------------------------------------------------------------------
const DPR = Math.min(3, window.devicePixelRatio || 1);
const SPARK_W = 96;
const SPARK_H = 24;

class Row {
  constructor(symbol) {
    this.symbol = symbol;
    this.tr = document.createElement('tr');
    this.tr.dataset.symbol = symbol;
    this.tr.tabIndex = 0;
    this.tr.className = 'pending';
    this.cells = {};
    for (const name of COLUMNS) {
      const td = document.createElement('td');
      td.className = 'c-' + name + (name === 'sym' ? '' : ' c-num');
      td.dataset.col = name;
      td.textContent = name === 'sym' ? symbol : '–';
      this.tr.appendChild(td);
      this.cells[name] = td;
    }
    const sparkTd = document.createElement('td');
    sparkTd.className = 'c-spark';
    this.canvas = document.createElement('canvas');
    this.canvas.width = SPARK_W * DPR;
    this.canvas.height = SPARK_H * DPR;
    this.canvas.setAttribute('aria-hidden', 'true');
    sparkTd.appendChild(this.canvas);
    this.tr.appendChild(sparkTd);
    const rmTd = document.createElement('td');
    rmTd.className = 'c-rm';
    const rm = document.createElement('button');
    rm.type = 'button';
    rm.className = 'rm';
    rm.textContent = '×';
    rm.title = 'Remove ' + symbol;
    rm.setAttribute('aria-label', 'Remove ' + symbol);
    rm.tabIndex = -1;
    rm.addEventListener('click', (e) => {
      e.stopPropagation();
      removeSymbol(symbol, true);
    });
    rmTd.appendChild(rm);
    this.tr.appendChild(rmTd);

    this.text = {};
    for (const name of COLUMNS) {
      this.text[name] = '';
    }
    this.sign = 0;
    this.decimals = 2;
    this.prev = { bid: NaN, ask: NaN, last: NaN };
    this.flashUntil = { bid: 0, ask: 0, last: 0 };
    this.flashDir = { bid: 0, ask: 0, last: 0 };
    this.flashedAt = { bid: -Infinity, ask: -Infinity, last: -Infinity };
    // what the sort compares: the numbers behind the cells, not their text
    this.value = { bidSize: NaN, bid: NaN, ask: NaN, askSize: NaN, spread: NaN, last: NaN, chg: NaN, pct: NaN,
      vol: NaN, time: NaN };
    this.seq = -1;
    this.hasQuote = false;
    // sparkline: a ring of the last SPARK_POINTS distinct last prices
    this.spark = new Float64Array(SPARK_POINTS);
    this.sparkCount = 0;
    this.sparkHead = 0;
  }

  /** The feed restarted: what the row shows belongs to a feed that is gone; it waits for the new one's quotes. */
  reset() {
    this.seq = -1;
    this.hasQuote = false;
    this.tr.className = 'pending';
    for (const name of COLUMNS) {
      if (name !== 'sym') {
        this.setText(name, '–');
        this.value[name] = NaN;
      }
    }
    this.prev = { bid: NaN, ask: NaN, last: NaN };
    this.sparkCount = 0;
    this.sparkHead = 0;
    this.drawSpark();
  }

  setText(name, text) {
    if (this.text[name] !== text) {
      this.text[name] = text;
      this.cells[name].textContent = text;
    }
  }

  /**
   * Tints a price cell green (up) or red (down) when it moved and has not flashed in the last FLASH_MIN_GAP_MS;
   * the frame loop clears the tint FLASH_MS later.
   */
  flash(name, value, nowMs) {
    const before = this.prev[name];
    this.prev[name] = value;
    if (before !== before || before === value || nowMs - this.flashedAt[name] < FLASH_MIN_GAP_MS) {
      return; // first value (NaN), unchanged, or this cell flashed a moment ago
    }
    this.flashedAt[name] = nowMs;
    const dir = value > before ? 1 : -1;
    if (this.flashDir[name] !== dir) {
      this.flashDir[name] = dir;
      this.cells[name].className = 'c-num c-' + name + (dir > 0 ? ' up' : ' dn');
    }
    this.flashUntil[name] = nowMs + FLASH_MS;
    flashing.add(this);
  }

  /** Clears tints that are over; true while any is still on. */
  fade(nowMs) {
    let on = false;
    for (const name of PRICE_CELLS) {
      if (this.flashDir[name] !== 0) {
        if (nowMs >= this.flashUntil[name]) {
          this.flashDir[name] = 0;
          this.cells[name].className = 'c-num c-' + name;
        } else {
          on = true;
        }
      }
    }
    return on;
  }

  apply(q, nowMs) {
    if (!this.hasQuote) {
      this.hasQuote = true;
      this.tr.className = '';
    }
    const d = Math.max(this.decimals, decimalsOf(q.bid), decimalsOf(q.ask), decimalsOf(q.last));
    this.decimals = d;
    this.setText('bid', q.bid.toFixed(d));
    this.setText('ask', q.ask.toFixed(d));
    this.setText('last', q.last.toFixed(d));
    const spread = q.ask - q.bid;
    this.setText('spread', spread.toFixed(d));
    if (typeof q.bidSize === 'number') {
      this.setText('bidSize', volumeFormat.format(q.bidSize));
      this.value.bidSize = q.bidSize;
    }
    if (typeof q.askSize === 'number') {
      this.setText('askSize', volumeFormat.format(q.askSize));
      this.value.askSize = q.askSize;
    }
    this.value.bid = q.bid;
    this.value.ask = q.ask;
    this.value.spread = spread;
    this.value.last = q.last;
    this.flash('bid', q.bid, nowMs);
    this.flash('ask', q.ask, nowMs);
    this.flash('last', q.last, nowMs);
    if (!references.has(this.symbol) && !baseline.has(this.symbol)) {
      baseline.set(this.symbol, q.last);
    }
    this.showChange();
    this.setText('vol', volumeFormat.format(q.volume));
    this.setText('time', formatTime(q.ts));
    this.value.vol = q.volume;
    this.value.time = q.ts;
    if (this.addSparkPoint(q.last)) {
      this.drawSpark();
    }
  }

  /** Change and change % of the last price against the symbol's reference (or first-seen) price. */
  showChange() {
    const base = changeBase(this.symbol);
    const last = this.value.last;
    if (base === undefined || last !== last) {
      return;
    }
    const chg = last - base;
    this.value.chg = chg;
    this.value.pct = base !== 0 ? chg / base * 100 : 0;
    this.setText('chg', formatSigned(chg, this.decimals));
    this.setText('pct', formatSigned(this.value.pct, 2) + '%');
    const sign = chg > 1e-9 ? 1 : chg < -1e-9 ? -1 : 0;
    if (sign !== this.sign) {
      this.sign = sign;
      const cls = sign > 0 ? ' pos' : sign < 0 ? ' neg' : '';
      this.cells.chg.className = 'c-num c-chg' + cls;
      this.cells.pct.className = 'c-num c-pct' + cls;
    }
  }

  /** Appends a point when the price changed; true when the sparkline needs a redraw. */
  addSparkPoint(price) {
    if (this.sparkCount > 0 && this.spark[(this.sparkHead + SPARK_POINTS - 1) % SPARK_POINTS] === price) {
      return false;
    }
    this.spark[this.sparkHead] = price;
    this.sparkHead = (this.sparkHead + 1) % SPARK_POINTS;
    if (this.sparkCount < SPARK_POINTS) {
      this.sparkCount++;
    }
    return true;
  }

  drawSpark() {
    const ctx = this.canvas.getContext('2d');
    const w = this.canvas.width;
    const h = this.canvas.height;
    ctx.clearRect(0, 0, w, h);
    const n = this.sparkCount;
    if (n < 2) {
      return;
    }
    const start = (this.sparkHead + SPARK_POINTS - n) % SPARK_POINTS;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = this.spark[(start + i) % SPARK_POINTS];
      if (v < min) {
        min = v;
      }
      if (v > max) {
        max = v;
      }
    }
    const pad = 2 * DPR;
    const span = max - min || 1;
    const dx = (w - 2 * pad) / (Math.max(n, SPARK_MIN_SPAN) - 1);
    const x0 = w - pad - (n - 1) * dx;
    ctx.lineWidth = 1.25 * DPR;
    ctx.lineJoin = 'round';
    ctx.strokeStyle = this.sign > 0 ? '#2ecc71' : this.sign < 0 ? '#ff5c5c' : '#7d8fa3';
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const v = this.spark[(start + i) % SPARK_POINTS];
      const x = x0 + i * dx;
      const y = h - pad - (v - min) / span * (h - 2 * pad);
      if (i === 0) {
        ctx.moveTo(x, y);
      } else {
        ctx.lineTo(x, y);
      }
    }
    ctx.stroke();
    const base = changeBase(this.symbol);
    if (base !== undefined && base > min && base < max) {
      const y = h - pad - (base - min) / span * (h - 2 * pad);
      ctx.strokeStyle = 'rgba(125,143,163,0.35)';
      ctx.lineWidth = DPR;
      ctx.beginPath();
      ctx.moveTo(pad, y);
      ctx.lineTo(w - pad, y);
      ctx.stroke();
    }
  }
}

/** The price a symbol's change is measured from: the server's reference, else the first price seen. */
function changeBase(symbol) {
  const ref = references.get(symbol);
  return ref !== undefined ? ref : baseline.get(symbol);
}

function updateCount() {
  el.count.textContent = String(watchlist.length);
  el.empty.hidden = watchlist.length !== 0;
  if (watchlist.length === 0) {
    // a first visit shows the busiest symbols once the universe is known; until then say what we wait for
    const firstVisit = universe === null && loadWatchlist() === null;
    el.empty.textContent = firstVisit
      ? 'Waiting for the server to list its symbols…'
      : 'Your watchlist is empty. Type a symbol above and press Enter.';
  }
}

function normalize(text) {
  return text.trim().toUpperCase();
}

/** Adds symbols to the watchlist (UI and socket); returns how many were new. */
function addSymbols(symbols, fromUser) {
  const added = [];
  for (const raw of symbols) {
    const symbol = normalize(raw);
    if (symbol === '' || rows.has(symbol)) {
      if (fromUser && rows.has(symbol)) {
        focusRow(symbol);
      }
      continue;
    }
    if (universe !== null && !universeSet.has(symbol)) {
      if (fromUser) {
        showMessage('Unknown symbol: ' + symbol, 'error');
      }
      continue;
    }
    const row = new Row(symbol);
    rows.set(symbol, row);
    watchlist.push(symbol);
    el.rows.appendChild(row.tr);
    added.push(symbol);
  }
  if (added.length > 0) {
    saveWatchlist();
    updateCount();
    subscribe(added);
    if (fromUser && !feed.live) {
      // the watchlist is what the page subscribes on every (re)connect: nothing typed now is lost
      showMessage('Not connected: ' + added.join(', ') + ' will be subscribed when the connection is back', 'info');
    }
  }
  return added.length;
}

function removeSymbol(symbol, fromUser) {
  const row = rows.get(symbol);
  if (row === undefined) {
    return;
  }
  let next = null;
  if (fromUser && document.activeElement && row.tr.contains(document.activeElement)) {
    next = row.tr.nextElementSibling || row.tr.previousElementSibling;
  }
  rows.delete(symbol);
  flashing.delete(row);
  row.tr.remove();
  watchlist = watchlist.filter((s) => s !== symbol);
  pending.delete(symbol);
  saveWatchlist();
  updateCount();
  feed.send({ op: 'unsubscribe', symbols: [symbol], id: nextId() });
  if (next !== null) {
    next.focus();
  } else if (fromUser && watchlist.length === 0) {
    el.search.focus();
  }
}

function focusRow(symbol) {
  const row = rows.get(symbol);
  if (row !== undefined) {
    row.tr.focus();
    row.tr.scrollIntoView({ block: 'nearest' });
  }
}

function nextId() {
  requestSeq++;
  return 'p' + requestSeq;
}

function subscribe(symbols) {
  if (symbols.length === 0) {
    return;
  }
  const id = nextId();
  if (feed.send({ op: 'subscribe', symbols, id })) {
    inflight.set(id, symbols);
  }
}

/** The first subscribe of a new connection: with since and epoch when there is a point to resume from. */
function subscribeResuming(symbols) {
  if (symbols.length === 0 || resumePoint.seq < 0 || resumePoint.epoch <= 0) {
    subscribe(symbols);
    return;
  }
  const id = nextId();
  if (feed.send({ op: 'subscribe', symbols, id, since: resumePoint.seq, epoch: resumePoint.epoch })) {
    inflight.set(id, symbols);
    resumePoint.askedId = id;
    resumePoint.since = resumePoint.seq;
  }
}

/** A new feed session: seq starts over, so there is nothing to resume from until its first quote. */
function newEpoch(epoch) {
  if (typeof epoch === 'number' && epoch > 0 && epoch !== resumePoint.epoch) {
    resumePoint.epoch = epoch;
    resumePoint.seq = -1;
  }
}

/** Shows what the answer to a resume said: recovered (and how many quotes were replayed so far), or why not. */
function showResume() {
  let text;
  if (resumePoint.outcome === 'recovered') {
    text = 'Recovered from seq ' + resumePoint.since + ' (' + volumeFormat.format(resumePoint.replayed)
      + ' replayed)';
  } else if (resumePoint.reason === 'epoch') {
    text = 'Not recovered: new feed session, fresh prices';
  } else if (resumePoint.reason === 'too-old') {
    text = 'Not recovered: away too long, fresh prices';
  } else if (resumePoint.reason === null) {
    text = 'Not recovered: the server does not resume, fresh prices';
  } else {
    text = 'Not recovered (' + resumePoint.reason + '), fresh prices';
  }
  el.resume.dataset.outcome = resumePoint.outcome;
  if (el.resume.textContent !== text) {
    el.resume.textContent = text;
  }
  el.resume.hidden = false;
}

// ---- events from the server -------------------------------------------------------------------------------
function onEvents(events) {
  const nowMs = performance.timeOrigin + performance.now();
  const nowUs = nowMs * 1000;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e === null || typeof e !== 'object') {
      continue;
    }
    switch (e.type) {
      case 'quote': {
        if (typeof e.symbol !== 'string' || typeof e.last !== 'number') {
          break;
        }
        if (typeof e.seq === 'number' && e.seq > resumePoint.seq) {
          resumePoint.seq = e.seq;
        }
        if (e.replayed === true) {
          // made while the page was away: shown, but neither a live update per second nor a latency sample
          resumePoint.replayed++;
          replayedThisFrame = true;
        } else if (e.snapshot !== true) {
          receivedThisSecond++;
          if (typeof e.ts === 'number') {
            latency.record(nowUs - e.ts, nowMs);
          }
        }
        const row = rows.get(e.symbol);
        if (row === undefined) {
          break; // unsubscribed a moment ago; in flight
        }
        if (e.snapshot !== true && typeof e.seq === 'number' && e.seq <= row.seq) {
          break; // older than what this row shows
        }
        row.seq = typeof e.seq === 'number' ? e.seq : row.seq;
        pending.set(e.symbol, e);
        break;
      }
      case 'subscribed': {
        if (e.id !== undefined && e.id === resumePoint.askedId) {
          resumePoint.askedId = null;
          resumePoint.outcome = e.recovered === true ? 'recovered' : 'not-recovered';
          resumePoint.reason = typeof e.reason === 'string' ? e.reason : null;
          resumePoint.replayed = 0;
          showResume();
        }
        newEpoch(e.epoch);
        takeReferences(e.open);
        const asked = inflight.get(e.id);
        inflight.delete(e.id);
        if (asked !== undefined && Array.isArray(e.symbols)) {
          const granted = new Set(e.symbols);
          for (const s of asked) {
            if (!granted.has(s) && !granted.has('*')) {
              removeSymbol(s, false);
            }
          }
        }
        break;
      }
      case 'symbols':
        if (Array.isArray(e.symbols)) {
          setUniverse(e.symbols);
        }
        break;
      case 'reset':
        // The feed started a new session (epoch): every price shown is stale and seq starts again. Snapshots of
        // the new session and its live quotes follow.
        pending.clear();
        baseline.clear();
        newEpoch(e.epoch);
        for (const row of rows.values()) {
          row.reset();
        }
        // the ack of a subscribe carries the new session's reference prices (the symbols stay subscribed)
        subscribe(watchlist.slice());
        break;
      case 'error':
        onServerError(e);
        dropRefused(e);
        break;
      default:
        break; // unsubscribed, pong: nothing to show
    }
  }
  if (pending.size > 0) {
    requestFrame();
  }
  if (replayedThisFrame) {
    replayedThisFrame = false;
    showResume();
  }
}

/** Takes the reference prices of a `subscribed` ack ({symbol: price}) and shows change against them at once. */
function takeReferences(open) {
  if (open === null || typeof open !== 'object') {
    return;
  }
  for (const symbol in open) {
    const price = open[symbol];
    if (typeof price === 'number' && price > 0) {
      references.set(symbol, price);
      const row = rows.get(symbol);
      if (row !== undefined && row.hasQuote) {
        row.showChange();
      }
    }
  }
}

/**
 * A subscribe refused in part or in whole: the rows of the symbols the error names go (the server sends no
 * acknowledgement when it accepted none, so waiting for one would leave empty rows behind).
 */
function dropRefused(e) {
  const asked = inflight.get(e.id);
  if (asked === undefined || typeof e.message !== 'string') {
    return;
  }
  const named = new Set(e.message.split(/[\s,;:()[\]"']+/));
  for (const s of asked) {
    if (named.has(s)) {
      removeSymbol(s, false);
    }
  }
}

const ERROR_LABELS = {
  UNKNOWN_SYMBOL: 'Unknown symbol',
  RATE_LIMITED: 'Rate limited by the server',
  SUBSCRIPTION_LIMIT: 'Subscription limit reached',
  BAD_REQUEST: 'Request refused',
};

/** A server error event as one short line: the label for its code, then the server's own words. */
function onServerError(e) {
  const label = ERROR_LABELS[e.code] || String(e.code || 'Error');
  const text = typeof e.message === 'string' ? e.message.trim() : '';
  let line;
  if (text === '') {
    line = label;
  } else if (text.toLowerCase().startsWith(label.toLowerCase())) {
    line = text.charAt(0).toUpperCase() + text.slice(1); // the server already said it
  } else {
    line = label + ': ' + text;
  }
  showMessage(line.length > 160 ? line.slice(0, 157) + '…' : line, 'error');
}

// ---- rendering: once per animation frame ----------------------------------------------------------------------
function render(nowMs) {
  frameRequested = false;
  // swap maps: quotes arriving while we render go to the other one (no allocation per frame)
  const batch = pending;
  pending = spare;
  spare = batch;
  for (const [symbol, q] of batch) {
    const row = rows.get(symbol);
    if (row !== undefined) {
      row.apply(q, nowMs);
    }
  }
  if (batch.size > 0 && sortColumn !== null) {
    sortDue = true;
  }
  batch.clear();
  if (sortDue) {
    sortWhenDue();
  }
  for (const row of flashing) {
    if (!row.fade(nowMs)) {
      flashing.delete(row);
    }
  }
  if (flashing.size > 0) {
    requestFrame();
  }
}

function requestFrame() {
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(render);
  }
}

// ---- sorting: a header click; re-applied as prices move, at most every SORT_INTERVAL_MS ----------------------
/** The sorted column (a COLUMNS name) and direction (1 ascending, -1 descending); null keeps watchlist order. */
let sortColumn = null;
let sortDirection = 1;
let sortedAtMs = -Infinity;
let sortDue = false;
let sortTimer = 0;

function compareRows(a, b) {
  if (sortColumn === 'sym') {
    return a.symbol < b.symbol ? -sortDirection : a.symbol > b.symbol ? sortDirection : 0;
  }
  const x = a.value[sortColumn];
  const y = b.value[sortColumn];
  if (x !== x || y !== y) {
    return (x !== x ? 1 : 0) - (y !== y ? 1 : 0); // rows still waiting for a quote go last either way
  }
  return x < y ? -sortDirection : x > y ? sortDirection : 0;
}

/** Puts the rows in sort order (or watchlist order); touches the DOM only when the order changed. */
function reorder() {
  sortedAtMs = performance.now();
  sortDue = false;
  const order = watchlist.map((s) => rows.get(s));
  if (sortColumn !== null) {
    order.sort(compareRows); // stable: rows that compare equal keep their watchlist order
  }
  let tr = el.rows.firstElementChild;
  let same = true;
  for (let i = 0; i < order.length && same; i++) {
    same = tr === order[i].tr;
    tr = tr === null ? null : tr.nextElementSibling;
  }
  if (same) {
    return;
  }
  const focused = document.activeElement;
  for (const row of order) {
    el.rows.appendChild(row.tr);
  }
  if (focused !== document.activeElement && focused instanceof HTMLElement && el.rows.contains(focused)) {
    focused.focus({ preventScroll: true }); // moving a row drops its focus; keyboard users keep their place
  }
}

function sortWhenDue() {
  const waitMs = sortedAtMs + SORT_INTERVAL_MS - performance.now();
  if (waitMs <= 0) {
    reorder();
  } else if (sortTimer === 0) {
    sortTimer = setTimeout(() => {
      sortTimer = 0;
      requestFrame();
    }, waitMs);
  }
}

function setSort(column, direction) {
  sortColumn = column;
  sortDirection = direction;
  for (const th of el.head.querySelectorAll('th[data-sort]')) {
    const on = th.dataset.sort === column;
    th.setAttribute('aria-sort', !on ? 'none' : direction > 0 ? 'ascending' : 'descending');
  }
  try {
    localStorage.setItem(SORT_STORAGE_KEY, column === null ? '' : column + ' ' + direction);
  } catch (e) {
    // storage disabled: the sort holds for this session
  }
  reorder();
}

function loadSort() {
  let raw = null;
  try {
    raw = localStorage.getItem(SORT_STORAGE_KEY);
  } catch (e) {
    return;
  }
  const parts = (raw || '').split(' ');
  if (COLUMNS.includes(parts[0]) && (parts[1] === '1' || parts[1] === '-1')) {
    setSort(parts[0], Number(parts[1]));
  }
}

// A click cycles the column: its first direction, the other one, then back to watchlist order.
el.head.addEventListener('click', (e) => {
  const th = e.target.closest('th[data-sort]');
  if (th === null) {
    return;
  }
  const column = th.dataset.sort;
  const first = ASCENDING_FIRST.has(column) ? 1 : -1;
  if (sortColumn !== column) {
    setSort(column, first);
  } else if (sortDirection === first) {
    setSort(column, -first);
  } else {
    setSort(null, 1);
  }
});

// ---- status bar ------------------------------------------------------------------------------------------------
function onState(state, detail) {
  let text;
  let shown = state;
  switch (state) {
    case 'connecting':
      text = 'Connecting…';
      break;
    case 'live':
      text = 'Live';
      break;
    case 'reconnecting':
      text = 'Reconnecting in ' + Math.ceil(detail / 1000) + ' s';
      break;
    case 'reconnecting-now':
      shown = 'reconnecting';
      text = 'Reconnecting…';
      break;
    case 'offline':
      text = 'Offline';
      break;
    default:
      text = state;
  }
  if (el.status.dataset.state !== shown) {
    el.status.dataset.state = shown;
    document.body.dataset.conn = shown; // dims prices that are no longer live
    // a background tab tells its state in its title
    document.title = shown === 'live' ? 'Ticker' : 'Ticker · ' + shown.charAt(0).toUpperCase() + shown.slice(1);
  }
  if (el.statusText.textContent !== text) {
    el.statusText.textContent = text;
  }
}

setInterval(() => {
  updatesPerSecond = receivedThisSecond;
  receivedThisSecond = 0;
  el.ups.textContent = volumeFormat.format(updatesPerSecond);
  const p = latency.percentiles(performance.timeOrigin + performance.now());
  el.p50.textContent = p === null ? '–' : formatLatencyMicros(p[0]);
  el.p99.textContent = p === null ? '–' : formatLatencyMicros(p[1]);
}, 1000);

// ---- symbol universe and search --------------------------------------------------------------------------------
function setUniverse(symbols) {
  if (universe !== null) {
    return;
  }
  universe = symbols.filter((s) => typeof s === 'string');
  universeSet = new Set(universe);
  if (watchlist.length === 0 && loadWatchlist() === null) {
    addSymbols(universe.slice(0, DEFAULT_WATCHLIST_SIZE), false); // first visit: the busiest symbols
  } else {
    // stored symbols that left the universe: drop them quietly
    for (const s of watchlist.slice()) {
      if (!universeSet.has(s)) {
        removeSymbol(s, false);
      }
    }
  }
}

async function fetchUniverse() {
  if (WS_OVERRIDE !== null) {
    return; // dev override: the API lives with that server (another origin), use {"op":"list"} on the socket
  }
  try {
    const res = await fetch('api/symbols', { headers: { Accept: 'application/json' } });
    if (res.ok) {
      const list = await res.json();
      if (Array.isArray(list)) {
        setUniverse(list);
      }
    }
  } catch (e) {
    // the socket's {"op":"list"} answers instead
  }
}

let suggestionIndex = -1;
let suggestionItems = [];

function matches(query) {
  if (universe === null || query === '') {
    return [];
  }
  const out = [];
  for (let i = 0; i < universe.length && out.length < SUGGESTIONS_MAX; i++) {
    if (universe[i].startsWith(query)) {
      out.push(universe[i]);
    }
  }
  for (let i = 0; i < universe.length && out.length < SUGGESTIONS_MAX; i++) {
    if (!universe[i].startsWith(query) && universe[i].includes(query)) {
      out.push(universe[i]);
    }
  }
  return out;
}

function renderSuggestions() {
  const query = normalize(el.search.value);
  suggestionItems = matches(query);
  suggestionIndex = suggestionItems.length > 0 ? 0 : -1;
  el.suggestions.textContent = '';
  suggestionItems.forEach((s, i) => {
    const li = document.createElement('li');
    li.id = 'suggestion-' + i;
    li.setAttribute('role', 'option');
    li.dataset.symbol = s;
    li.textContent = s;
    if (rows.has(s)) {
      const note = document.createElement('span');
      note.className = 'watched';
      note.textContent = 'watching';
      li.appendChild(note);
    }
    li.addEventListener('mousedown', (e) => {
      e.preventDefault(); // keep focus in the input
      commit(s);
    });
    el.suggestions.appendChild(li);
  });
  const open = suggestionItems.length > 0;
  el.suggestions.hidden = !open;
  el.search.setAttribute('aria-expanded', String(open));
  markSuggestion();
}

function markSuggestion() {
  suggestionItems.forEach((s, i) => {
    el.suggestions.children[i].setAttribute('aria-selected', String(i === suggestionIndex));
  });
  if (suggestionIndex >= 0) {
    el.search.setAttribute('aria-activedescendant', 'suggestion-' + suggestionIndex);
    el.suggestions.children[suggestionIndex].scrollIntoView({ block: 'nearest' });
  } else {
    el.search.removeAttribute('aria-activedescendant');
  }
}

function closeSuggestions() {
  el.suggestions.hidden = true;
  el.search.setAttribute('aria-expanded', 'false');
  el.search.removeAttribute('aria-activedescendant');
  suggestionItems = [];
  suggestionIndex = -1;
}

function commit(symbol) {
  el.search.value = '';
  closeSuggestions();
  if (addSymbols([symbol], true) > 0) {
    focusRow(normalize(symbol));
    el.search.focus();
  }
}

el.search.addEventListener('input', renderSuggestions);
el.search.addEventListener('blur', () => setTimeout(closeSuggestions, 100));
el.search.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' && suggestionItems.length > 0) {
    e.preventDefault();
    suggestionIndex = (suggestionIndex + 1) % suggestionItems.length;
    markSuggestion();
  } else if (e.key === 'ArrowUp' && suggestionItems.length > 0) {
    e.preventDefault();
    suggestionIndex = (suggestionIndex - 1 + suggestionItems.length) % suggestionItems.length;
    markSuggestion();
  } else if (e.key === 'Escape') {
    if (el.search.value !== '' || !el.suggestions.hidden) {
      el.search.value = '';
      closeSuggestions();
    } else {
      el.search.blur();
    }
  } else if (e.key === 'Tab' && suggestionIndex >= 0 && !el.suggestions.hidden) {
    e.preventDefault();
    el.search.value = suggestionItems[suggestionIndex];
    renderSuggestions();
  }
});
el.form.addEventListener('submit', (e) => {
  e.preventDefault();
  const typed = normalize(el.search.value);
  if (typed === '') {
    return;
  }
  // exact match wins; otherwise the highlighted suggestion; otherwise what was typed (validated in addSymbols)
  const chosen = universeSet.has(typed) || suggestionIndex < 0 ? typed : suggestionItems[suggestionIndex];
  commit(chosen);
});

// ---- keyboard on the table and globally ------------------------------------------------------------------------
el.rows.addEventListener('keydown', (e) => {
  const tr = e.target.closest('tr');
  if (tr === null) {
    return;
  }
  if (e.key === 'Delete' || e.key === 'Backspace') {
    e.preventDefault();
    removeSymbol(tr.dataset.symbol, true);
  } else if (e.key === 'ArrowDown' || e.key === 'j') {
    e.preventDefault();
    if (tr.nextElementSibling) {
      tr.nextElementSibling.focus();
    }
  } else if (e.key === 'ArrowUp' || e.key === 'k') {
    e.preventDefault();
    if (tr.previousElementSibling) {
      tr.previousElementSibling.focus();
    } else {
      el.search.focus();
    }
  }
});

document.addEventListener('keydown', (e) => {
  const typing = e.target instanceof HTMLInputElement;
  if (typing || e.ctrlKey || e.metaKey || e.altKey) {
    return;
  }
  if (e.key === '/') {
    e.preventDefault();
    showView('watch');
    el.search.focus();
  } else if (e.key === 'w') {
    showView('watch');
  } else if (e.key === 'm') {
    showView('movers');
  }
});

// ---- top movers (firehose on a second socket, only while that view is shown) ------------------------------------
const movers = {
  feed: null,
  last: new Map(), // symbol -> last price
  counts: new Map(), // symbol -> updates in the current interval
  rate: new Map(), // symbol -> updates per second, last interval
  timer: 0,
  intervalStart: 0,
};

function onMoverEvents(events) {
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e !== null && e.type === 'reset') {
      // a new feed session: movement is measured from its own prices
      movers.last.clear();
      movers.counts.clear();
      baseline.clear();
    } else if (e !== null && e.type === 'quote' && typeof e.last === 'number') {
      movers.last.set(e.symbol, e.last);
      if (!baseline.has(e.symbol)) {
        baseline.set(e.symbol, e.last);
      }
      if (e.snapshot !== true) {
        movers.counts.set(e.symbol, (movers.counts.get(e.symbol) || 0) + 1 + (e.conflated || 0));
      }
    } else if (e !== null && e.type === 'error') {
      onServerError(e);
    }
  }
}

function fillMovers(tbody, list, third) {
  const trs = tbody.children;
  while (trs.length < list.length) {
    const tr = document.createElement('tr');
    tr.tabIndex = 0;
    for (let c = 0; c < 3; c++) {
      const td = document.createElement('td');
      if (c > 0) {
        td.className = 'c-num';
      } else {
        td.className = 'c-sym';
      }
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }
  while (trs.length > list.length) {
    tbody.lastElementChild.remove();
  }
  list.forEach((item, i) => {
    const tr = trs[i];
    tr.dataset.symbol = item.symbol;
    const tds = tr.children;
    const d = decimalsOf(item.last);
    const cells = [item.symbol, item.last.toFixed(d), third(item)];
    for (let c = 0; c < 3; c++) {
      if (tds[c].textContent !== cells[c]) {
        tds[c].textContent = cells[c];
      }
    }
    const cls = c3class(item);
    if (tds[2].className !== cls) {
      tds[2].className = cls;
    }
  });
}

function c3class(item) {
  return 'c-num' + (item.pct > 0 ? ' pos' : item.pct < 0 ? ' neg' : '');
}

function renderMovers() {
  const now = performance.now();
  const seconds = Math.max(0.001, (now - movers.intervalStart) / 1000);
  movers.intervalStart = now;
  movers.rate.clear();
  for (const [s, n] of movers.counts) {
    movers.rate.set(s, n / seconds);
  }
  movers.counts.clear();
  const items = [];
  for (const [symbol, last] of movers.last) {
    const base = changeBase(symbol);
    items.push({ symbol, last, pct: base ? (last - base) / base * 100 : 0, rate: movers.rate.get(symbol) || 0 });
  }
  const pctText = (it) => formatSigned(it.pct, 2) + '%';
  const byPct = items.slice().sort((a, b) => b.pct - a.pct);
  fillMovers(el.gainers, byPct.slice(0, 10).filter((it) => it.pct > 0), pctText);
  fillMovers(el.losers, byPct.reverse().slice(0, 10).filter((it) => it.pct < 0), pctText);
  const byRate = items.sort((a, b) => b.rate - a.rate).slice(0, 10);
  fillMovers(el.active, byRate, (it) => it.rate.toFixed(1));
}

function startMovers() {
  if (movers.feed !== null) {
    return;
  }
  movers.feed = new Feed(WS_URL, {
    open: (f) => f.send({ op: 'subscribe', symbols: ['*'], id: 'movers' }),
    events: onMoverEvents,
    state: () => {},
    closed: () => {},
    message: showMessage,
  });
  movers.feed.start();
  movers.intervalStart = performance.now();
  movers.timer = setInterval(renderMovers, MOVERS_RENDER_MS);
}

function stopMovers() {
  if (movers.feed === null) {
    return;
  }
  movers.feed.stop();
  movers.feed = null;
  clearInterval(movers.timer);
  movers.counts.clear();
}

function onMoverClick(e) {
  const tr = e.target.closest('tr');
  if (tr !== null && tr.dataset.symbol) {
    addSymbols([tr.dataset.symbol], true);
    showMessage('Added ' + tr.dataset.symbol + ' to the watchlist', 'info');
  }
}

for (const tbody of [el.gainers, el.losers, el.active]) {
  tbody.addEventListener('click', onMoverClick);
  tbody.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      onMoverClick(e);
    }
  });
}

function showView(view) {
  const watch = view === 'watch';
  el.watchView.hidden = !watch;
  el.moversView.hidden = watch;
  el.tabWatch.setAttribute('aria-pressed', String(watch));
  el.tabMovers.setAttribute('aria-pressed', String(!watch));
  if (watch) {
    stopMovers();
  } else {
    startMovers();
  }
}

el.tabWatch.addEventListener('click', () => showView('watch'));
el.tabMovers.addEventListener('click', () => showView('movers'));

// ---- start -----------------------------------------------------------------------------------------------------
const feed = new Feed(WS_URL, {
  open: (f) => {
    for (const row of rows.values()) {
      row.seq = -1; // a new connection may be a restarted feed; its snapshot and sequence start over
    }
    inflight.clear();
    if (universe === null) {
      f.send({ op: 'list', id: 'universe' });
    }
    subscribeResuming(watchlist.slice());
  },
  events: onEvents,
  state: onState,
  closed: (code) => {
    if (code === 1008) {
      showMessage('Disconnected by the server (policy violation)', 'error');
    } else if (code === 1013) {
      showMessage('Server busy, trying again later', 'info');
    }
  },
  message: showMessage,
});

if (params.get('ws') && WS_OVERRIDE === null) {
  showMessage('Ignored ?ws=: only a ws: or wss: URL on this page\'s own host is allowed', 'error');
}

const stored = loadWatchlist();
if (stored !== null) {
  addSymbols(stored, false);
}
loadSort();
updateCount();
fetchUniverse();
feed.start();

// for tests and the curious: read-only view of the counters
window.tickerPage = Object.freeze({
  wsUrl: WS_URL,
  reference: (symbol) => references.get(symbol),
  state: () => feed.state,
  watchlist: () => watchlist.slice(),
  updatesPerSecond: () => updatesPerSecond,
  resume: () => Object.freeze({ epoch: resumePoint.epoch, seq: resumePoint.seq, since: resumePoint.since,
    outcome: resumePoint.outcome, reason: resumePoint.reason, replayed: resumePoint.replayed }),
});
