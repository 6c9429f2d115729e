// A comparison peer on uWebSockets (uWebSockets.js v20: the C++ server and its pub/sub, driven from Node), speaking
// the load-test subset of our wire contract (docs/PROTOCOL.md): subscribe (symbols or "*") with its ack and
// snapshot, unsubscribe, list, ping, quote arrays with seq and ts, and errors for bad commands.
//
// Used the way its authors recommend for broadcast: every symbol is a topic, each quote is encoded once and
// published once, and the C++ topic tree fans it out, writing each subscriber's messages of one event-loop iteration
// with one system call. Firehose ("*") subscribers share one topic that gets one array frame per feed tick, as our
// server and the Node `ws` peer send them. No compression, no conflation; a subscriber's backlog may reach 16 MiB
// before uWebSockets drops its messages.
//
// The feed: `--rate` updates/s over `--symbols` symbols, made on a `--tick-ms` timer (1 ms, as the other peers),
// uniform over the symbols, a random walk of the mid price with a one- or two-cent half spread.
//
//   node server.mjs --port 9091 --host 127.0.0.1 --symbols 500 --rate 5000 [--tick-ms 1]
import { App, DISABLED } from 'uws-pack';
import { readFileSync } from 'node:fs';

const options = { port: '9091', host: '127.0.0.1', symbols: '500', rate: '5000', 'tick-ms': '1' };
for (let i = 2; i < process.argv.length; i++) {
    const flag = process.argv[i];
    const name = flag.replace(/^--/, '').split('=')[0];
    if (!flag.startsWith('--') || !(name in options)) {
        console.error(`unknown argument ${flag}; flags: ${Object.keys(options).map((k) => '--' + k).join(' ')}`);
        process.exit(2);
    }
    options[name] = flag.includes('=') ? flag.slice(flag.indexOf('=') + 1) : process.argv[++i];
}
const port = Number(options.port);
const symbolCount = Number(options.symbols);
const rate = Number(options.rate);
const tickMs = Number(options['tick-ms']);
const FIREHOSE = '*';

// ---- the feed's state, one record per symbol ----
const names = [];
const index = new Map();
for (let i = 0; i < symbolCount; i++) {
    const name = 'U' + String(i).padStart(4, '0');
    names.push(name);
    index.set(name, i);
}
const namesJson = JSON.stringify(names);
const book = names.map((name) => ({ name, mid: 0, bid: 0, ask: 0, last: 0, bidSize: 0, askSize: 0, lastSize: 0,
    volume: 0, seq: 0, ts: 0 }));

// splitmix32: small, fast and deterministic, so two runs make the same quotes
let seed = 0x2545f491;
function random() {
    seed = (seed + 0x9e3779b9) | 0;
    let z = seed;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
}
const below = (n) => Math.floor(random() * n);
for (const quote of book) {
    quote.mid = 200000 + below(4800000); // 20.0000 .. 500.0000, four decimals
}

function price(fixed) {
    const whole = Math.floor(fixed / 10000);
    return whole + '.' + String(fixed - whole * 10000).padStart(4, '0');
}

function encode(quote, snapshot) {
    return `{"type":"quote","symbol":"${quote.name}","seq":${quote.seq},"bid":${price(quote.bid)},` +
        `"bidSize":${quote.bidSize},"ask":${price(quote.ask)},"askSize":${quote.askSize},` +
        `"last":${price(quote.last)},"lastSize":${quote.lastSize},"volume":${quote.volume},"ts":${quote.ts}` +
        (snapshot ? ',"snapshot":true}' : '}');
}

// Epoch microseconds from the monotonic clock: Date.now() alone has millisecond steps. The offset is the largest
// (wall - monotonic) seen, re-learned every second, since a reading can only come out late, never early.
let offset = -Infinity;
let nextOffset = -Infinity;
let offsetSecond = 0;
function learnOffset() {
    const wall = Date.now() * 1000;
    const mono = performance.now() * 1000;
    const sample = wall - mono;
    const second = Math.floor(mono / 1_000_000);
    if (second !== offsetSecond) {
        offset = Math.max(nextOffset, sample);
        nextOffset = -Infinity;
        offsetSecond = second;
    }
    nextOffset = Math.max(nextOffset, sample);
    offset = Math.max(offset, sample);
}
for (const end = Date.now() + 3; Date.now() < end;) {
    learnOffset();
}
const nowMicros = () => Math.round(performance.now() * 1000 + offset);

// ---- the server ----
let connections = 0;
const app = App();
app.ws('/ws', {
    compression: DISABLED,
    maxPayloadLength: 64 * 1024,
    maxBackpressure: 16 * 1024 * 1024,
    idleTimeout: 120,
    open: (ws) => {
        connections++;
        ws.getUserData().firehose = false;
    },
    close: () => {
        connections--;
    },
    message: (ws, message) => {
        let command;
        try {
            command = JSON.parse(Buffer.from(message).toString('utf8'));
        } catch (e) {
            reply(ws, { type: 'error', code: 'BAD_REQUEST', message: 'not JSON' });
            return;
        }
        if (command === null || typeof command !== 'object' || Array.isArray(command)) {
            reply(ws, { type: 'error', code: 'BAD_REQUEST', message: 'a command is a JSON object' });
            return;
        }
        handle(ws, command);
    },
});

function reply(ws, event, id) {
    if (typeof id === 'string' || typeof id === 'number') {
        event.id = id;
    }
    ws.send(JSON.stringify([event]), false);
}

function handle(ws, command) {
    const id = command.id;
    if (command.op === 'ping') {
        reply(ws, { type: 'pong', ts: nowMicros() }, id);
    } else if (command.op === 'list') {
        ws.send(`[{"type":"symbols",${id === undefined ? '' : `"id":${JSON.stringify(id)},`}"symbols":${namesJson}}]`,
            false);
    } else if (command.op === 'subscribe' || command.op === 'unsubscribe') {
        if (!Array.isArray(command.symbols)) {
            reply(ws, { type: 'error', code: 'BAD_REQUEST', message: 'symbols must be an array' }, id);
        } else if (command.op === 'subscribe') {
            subscribe(ws, command.symbols, id);
        } else {
            for (const symbol of command.symbols) {
                ws.unsubscribe(String(symbol));
            }
            reply(ws, { type: 'unsubscribed', symbols: command.symbols }, id);
        }
    } else {
        reply(ws, { type: 'error', code: 'BAD_REQUEST', message: 'unknown op' }, id);
    }
}

function subscribe(ws, symbols, id) {
    const accepted = [];
    const unknown = [];
    const fresh = [];
    for (const symbol of symbols) {
        if (symbol === FIREHOSE) {
            accepted.push(symbol);
            if (ws.subscribe(FIREHOSE)) {
                for (let i = 0; i < symbolCount; i++) {
                    // the firehose topic carries every symbol: no quote twice
                    if (ws.unsubscribe(names[i]) === false) {
                        fresh.push(i);
                    }
                }
            }
        } else if (!index.has(symbol)) {
            unknown.push(String(symbol));
        } else {
            accepted.push(symbol);
            if (!ws.isSubscribed(FIREHOSE) && ws.subscribe(symbol)) {
                fresh.push(index.get(symbol));
            }
        }
    }
    if (unknown.length > 0) {
        reply(ws, { type: 'error', code: 'UNKNOWN_SYMBOL', message: 'unknown symbol(s): ' + unknown.join(',') }, id);
    }
    reply(ws, { type: 'subscribed', symbols: accepted }, id);
    const snapshot = fresh.filter((i) => book[i].seq > 0).map((i) => encode(book[i], true));
    if (snapshot.length > 0) {
        ws.send('[' + snapshot.join(',') + ']', false);
    }
}

// ---- the feed: quotes due since the last tick, published once each ----
let seq = 0;
let made = 0;
const start = performance.now();
const tickQuotes = [];
function tick() {
    learnOffset();
    const elapsedMs = performance.now() - start;
    let due = Math.floor(elapsedMs * rate / 1000) - made;
    const cap = Math.max(1, Math.floor(rate / 10));
    if (due > cap) {
        made += due - cap; // more than 100 ms behind: skip, as the other peers do
        due = cap;
    }
    made += Math.max(0, due);
    for (let k = 0; k < due; k++) {
        const quote = book[below(symbolCount)];
        quote.mid = Math.max(10000, quote.mid + (below(5) - 2) * 100);
        const half = 100 * (1 + below(2));
        quote.bid = quote.mid - half;
        quote.ask = quote.mid + half;
        quote.last = random() < 0.5 ? quote.bid : quote.ask;
        quote.bidSize = 100 * (1 + below(10));
        quote.askSize = 100 * (1 + below(10));
        quote.lastSize = 100 * (1 + below(5));
        quote.volume += quote.lastSize;
        quote.seq = ++seq;
        quote.ts = nowMicros();
        const json = encode(quote, false);
        app.publish(quote.name, '[' + json + ']', false);
        tickQuotes.push(json);
    }
    if (tickQuotes.length > 0) {
        app.publish(FIREHOSE, '[' + tickQuotes.join(',') + ']', false);
        tickQuotes.length = 0;
    }
}

function json(res, status, body) {
    res.cork(() => res.writeStatus(status).writeHeader('Content-Type', 'application/json').end(body));
}
app.get('/health', (res) => json(res, '200 OK', JSON.stringify({ status: 'UP', connections, seq })));
app.get('/api/symbols', (res) => json(res, '200 OK', namesJson));
app.get('/*', (res) => json(res, '404 Not Found', '{"error":"not found"}'));

const version = JSON.parse(readFileSync(new URL('./node_modules/uws-pack/package.json', import.meta.url))).version;
app.listen(options.host, port, (listening) => {
    if (!listening) {
        console.error(`uws peer: cannot listen on ${options.host}:${port}`);
        process.exit(1);
    }
    console.log(`uws peer listening on ${options.host}:${port} symbols=${symbolCount} rate=${rate}/s ` +
        `tick=${tickMs}ms uws-pack=${version}`);
    setInterval(tick, tickMs);
});

function stop() {
    console.log(`uws peer stopping: seq=${seq} connections=${connections}`);
    process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
