// A neutral cross-check of the load generator on another client stack: subscribers on Node's `ws` (the library of
// the node-ws peer, taken from its node_modules), counting what they receive and its latency (receive time minus the
// quote's "ts"). No seq tracking: delivered is received (plus reported conflated) over what a uniform feed of --rate
// over the server's symbols should send to the subscriptions made. The same flags and JSON line as
// JdkWebSocketProbe.java:
//
//   node scripts/probe/ws-probe.js --url ws://127.0.0.1:18080/ws --connections 1000 --symbols-per-connection 10 \
//       --rate 5000 --warmup 5 --duration 20
//
// One thread: `ws` hands over each message whole, and a few native indexOf calls find its quotes (no JSON parse).
// Its own CPU over the window is printed (probeCores, and busiestThreadCores for the event-loop thread, from
// /proc): near 1.0 the probe is measuring itself. Latency is recorded in a log-linear histogram of 1/1024 precision.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { performance } = require('perf_hooks');
const WS_MODULE = process.env.WS_MODULE || path.join(__dirname, '../../../shared/peers/node-ws/node_modules/ws');
const WebSocket = require(WS_MODULE);

const options = { url: 'ws://127.0.0.1:18080/ws', connections: 100, 'symbols-per-connection': 10, rate: 5000,
    warmup: 5, duration: 20 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(name in options)) {
        console.error(`unknown flag ${argv[i]}`);
        process.exit(2);
    }
    options[name] = name === 'url' ? argv[i + 1] : Number(argv[i + 1]);
}

// Wall clock in epoch microseconds as the Node peers keep it: monotonic performance.now() plus the largest
// (Date.now() - performance.now()) seen, which converges on the true offset; refreshed every second.
let offset = -Infinity;
function learnOffset() {
    const o = Date.now() * 1000 - performance.now() * 1000;
    if (o > offset) offset = o;
}
for (const end = Date.now() + 3; Date.now() < end;) learnOffset();
setInterval(learnOffset, 1000).unref();
const nowMicros = () => performance.now() * 1000 + offset;

// Log-linear histogram of microseconds: exact below 1,024, then 1,024 buckets per power of two.
const SUB = 1024;
const counts = new Float64Array(SUB * 40);
let total = 0, maxValue = 0;
function bucket(v) {
    if (v < SUB) return v;
    const e = 31 - Math.clz32(Math.floor(v / SUB));
    return (e + 1) * SUB + Math.floor(v / 2 ** e) - SUB;
}
function bucketValue(b) {
    if (b < SUB) return b;
    const e = Math.floor(b / SUB) - 1;
    return ((b % SUB) + SUB) * 2 ** e;
}
function record(v) {
    v = Math.max(0, Math.floor(v));
    counts[bucket(v)]++;
    total++;
    if (v > maxValue) maxValue = v;
}
function percentile(p) {
    let seen = 0;
    const want = Math.ceil(total * p / 100);
    for (let b = 0; b < counts.length; b++) {
        seen += counts[b];
        if (seen >= want && seen > 0) return bucketValue(b);
    }
    return 0;
}

let recording = false, quotes = 0, conflated = 0, frames = 0;
const TYPE_QUOTE = Buffer.from('"type":"quote"');
function onMessage(data, isBinary) {
    if (!recording || isBinary) return;
    const now = nowMicros();
    let inFrame = 0;
    for (let at = data.indexOf(TYPE_QUOTE); at >= 0; at = data.indexOf(TYPE_QUOTE, at + 14)) {
        const end = data.indexOf(125 /* } */, at);
        const snapshot = data.indexOf('"snapshot":true', at);
        if (snapshot >= 0 && snapshot < end) continue;
        inFrame++;
        const ts = data.indexOf('"ts":', at);
        if (ts >= 0 && ts < end) record(now - number(data, ts + 5));
        const c = data.indexOf('"conflated":', at);
        if (c >= 0 && c < end) conflated += number(data, c + 12);
    }
    if (inFrame > 0) {
        quotes += inFrame;
        frames++;
    }
}
function number(data, from) {
    let value = 0;
    for (let i = from; i < data.length; i++) {
        const c = data[i];
        if (c < 48 || c > 57) break;
        value = value * 10 + (c - 48);
    }
    return value;
}

// CPU seconds of the process and of its event-loop thread (the thread whose id is the pid).
function cpuSeconds() {
    const tick = 100;
    const fields = (f) => fs.readFileSync(f, 'utf8').replace(/^.*\) /, '').split(' ');
    const proc = fields('/proc/self/stat');
    const main = fields(`/proc/self/task/${process.pid}/stat`);
    return { process: (Number(proc[11]) + Number(proc[12])) / tick, main: (Number(main[11]) + Number(main[12])) / tick };
}

function getSymbols(url) {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
        http.get({ host: u.hostname, port: u.port, path: '/api/symbols' }, (res) => {
            let body = '';
            res.on('data', (d) => { body += d; });
            res.on('end', () => resolve([...body.matchAll(/"([^"]+)"/g)].map((m) => m[1])));
        }).on('error', reject);
    });
}

function open(url, subscribe) {
    return new Promise((resolve, reject) => {
        const ws = new WebSocket(url, { perMessageDeflate: false });
        ws.on('open', () => {
            if (subscribe) ws.send(subscribe);
            resolve(ws);
        });
        ws.on('error', reject);
        ws.on('message', onMessage);
    });
}

async function main() {
    const symbols = await getSymbols(options.url);
    const k = Math.min(options['symbols-per-connection'], symbols.length);
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    const opening = [];
    for (let c = 0; c < options.connections; c++) {
        const mine = symbols.slice();
        for (let i = 0; i < k; i++) {
            const j = i + Math.floor(random() * (mine.length - i));
            [mine[i], mine[j]] = [mine[j], mine[i]];
        }
        opening.push(open(options.url, k === 0 ? null
            : JSON.stringify({ op: 'subscribe', symbols: mine.slice(0, k) })));
        if (c % 200 === 199) await Promise.all(opening);
    }
    await Promise.all(opening);
    await new Promise((r) => setTimeout(r, options.warmup * 1000));
    const cpu0 = cpuSeconds();
    const t0 = performance.now();
    recording = true;
    await new Promise((r) => setTimeout(r, options.duration * 1000));
    recording = false;
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = cpuSeconds();
    const expected = options.rate * options.connections * k / symbols.length;
    const ms = (v) => Number((v / 1000).toFixed(2));
    console.log(JSON.stringify({
        url: options.url, connections: options.connections, client: `node ${process.version} ws`,
        quotesPerSecond: Math.round(quotes / seconds), expectedPerSecond: Math.round(expected),
        delivered: Number(((quotes + conflated) / seconds / expected).toFixed(4)),
        framesPerSecond: Math.round(frames / seconds), quotesPerFrame: frames ? Number((quotes / frames).toFixed(2)) : 0,
        p50Ms: ms(percentile(50)), p99Ms: ms(percentile(99)), p999Ms: ms(percentile(99.9)), maxMs: ms(maxValue),
        probeCores: Number(((cpu1.process - cpu0.process) / seconds).toFixed(3)), busiestThread: 'node main',
        busiestThreadCores: Number(((cpu1.main - cpu0.main) / seconds).toFixed(3)),
    }));
    process.exit(0);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
