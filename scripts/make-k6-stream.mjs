#!/usr/bin/env node
// Generates a synthetic `k6 run --out json` NDJSON stream, shaped like the real ones in
// fixtures/perf/k6-ndjson/: Metric lines written lazily before a metric's first point, Point
// lines with RFC 3339 times carrying nanoseconds and a UTC offset, HTTP tags (method, name,
// status, url, scenario, group, expected_response, proto), the expected_response:true
// sub-metric, thresholds in the Metric lines, checks with a `check` tag, a custom trend with an
// `endpoint` tag, and vus/vus_max gauges once a second. Used for qgate's memory and speed check
// of the NDJSON reader (a stream of any size must parse in flat memory).
//
// Usage:
//   node scripts/make-k6-stream.mjs --out /tmp/k6-1g.json --size 1GB [--seed 7] [--exact]
//   node scripts/make-k6-stream.mjs --out /tmp/k6-small.json --iterations 20000 --exact
// --size accepts B, KB, MB, GB (powers of 1024); --iterations stops after that many iterations.
// --exact keeps every http_req_duration sample (8 bytes each) and prints the exact statistics,
// computed as k6 computes them (linear interpolation between sorted samples), as JSON on stdout.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

function parseArgs(argv) {
  const args = { out: null, size: null, iterations: null, seed: 20261123, exact: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') args.out = argv[++i];
    else if (arg === '--size') args.size = parseSize(argv[++i]);
    else if (arg === '--iterations') args.iterations = Number(argv[++i]);
    else if (arg === '--seed') args.seed = Number(argv[++i]);
    else if (arg === '--exact') args.exact = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!args.out) throw new Error('--out PATH is required');
  if (args.size === null && args.iterations === null) args.size = parseSize('100MB');
  return args;
}

function parseSize(text) {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(text ?? '');
  if (!match) throw new Error(`--size ${text}: expected e.g. 1GB, 500MB`);
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[(match[2] ?? 'B').toUpperCase()];
  return Math.round(Number(match[1]) * unit);
}

const args = parseArgs(process.argv.slice(2));

// mulberry32: deterministic, so the same arguments give the same stream.
let seed = args.seed >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function normal() {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
function logNormal(median, sigma) {
  return Math.round(median * Math.exp(sigma * normal()) * 1e6) / 1e6; // k6 writes µs precision in ms
}

// Times: k6 writes the local offset and nanoseconds, e.g. 2024-08-05T15:24:38.952806123+07:00.
const OFFSET_MS = 2 * 3600 * 1000;
let clockNs = BigInt(Date.UTC(2025, 9, 15, 10, 0, 0)) * 1_000_000n;
function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}
let cachedSecond = -1n;
let cachedPrefix = '';
function timestamp() {
  const second = clockNs / 1_000_000_000n;
  if (second !== cachedSecond) {
    cachedSecond = second;
    const local = new Date(Number(second) * 1000 + OFFSET_MS);
    cachedPrefix = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  }
  return `${cachedPrefix}.${pad(Number(clockNs % 1_000_000_000n), 9)}+02:00`;
}

const METRICS = {
  http_reqs: ['counter', 'default', [], null],
  http_req_duration: ['trend', 'time', ['p(95)<500', 'p(99)<1500'], [{ name: 'http_req_duration{expected_response:true}', suffix: 'expected_response:true', tags: { expected_response: 'true' } }]],
  http_req_blocked: ['trend', 'time', [], null],
  http_req_connecting: ['trend', 'time', [], null],
  http_req_tls_handshaking: ['trend', 'time', [], null],
  http_req_sending: ['trend', 'time', [], null],
  http_req_waiting: ['trend', 'time', [], null],
  http_req_receiving: ['trend', 'time', [], null],
  http_req_failed: ['rate', 'default', ['rate<0.05'], null],
  checks: ['rate', 'default', ['rate>0.9'], null],
  api_latency: ['trend', 'default', [{ threshold: 'p(99.9) < 3000', abortOnFail: true, delayAbortEval: '10s' }], null],
  data_sent: ['counter', 'data', [], null],
  data_received: ['counter', 'data', [], null],
  iteration_duration: ['trend', 'time', [], null],
  iterations: ['counter', 'default', [], null],
  vus: ['gauge', 'default', [], null],
  vus_max: ['gauge', 'default', [], null],
};
const declared = new Set();

let buffer = '';
let written = 0;
const stream = createWriteStream(args.out);
async function flush() {
  if (buffer.length === 0) return;
  written += Buffer.byteLength(buffer);
  if (!stream.write(buffer)) await once(stream, 'drain');
  buffer = '';
}
function metricLine(name) {
  const [type, contains, thresholds, submetrics] = METRICS[name];
  buffer += `${JSON.stringify({ type: 'Metric', data: { name, type, contains, thresholds, submetrics }, metric: name })}\n`;
}
function point(name, value, tags) {
  if (!declared.has(name)) {
    declared.add(name);
    metricLine(name);
  }
  buffer += `{"metric":"${name}","type":"Point","data":{"time":"${timestamp()}","value":${value},"tags":${tags}}}\n`;
}

const ENDPOINTS = [
  ['GET', 'http://localhost:8080/api/votes', 60],
  ['POST', 'http://localhost:8080/api/votes', 120],
  ['GET', 'http://localhost:8080/api/agendas/42', 35],
  ['GET', 'http://localhost:8080/actuator/health', 4],
];
const VUS = 50;

let durations = args.exact ? new Float64Array(1 << 20) : null;
let expected = args.exact ? new Float64Array(1 << 20) : null;
let durationCount = 0;
let expectedCount = 0;
function keep(value, ok) {
  if (!durations) return;
  if (durationCount === durations.length) {
    const bigger = new Float64Array(durations.length * 2);
    bigger.set(durations);
    durations = bigger;
  }
  durations[durationCount++] = value;
  if (!ok) return;
  if (expectedCount === expected.length) {
    const bigger = new Float64Array(expected.length * 2);
    bigger.set(expected);
    expected = bigger;
  }
  expected[expectedCount++] = value;
}

let iteration = 0;
let lastGaugeSecond = -1n;
let failed = 0;
let requests = 0;
while ((args.size === null || written + buffer.length < args.size) && (args.iterations === null || iteration < args.iterations)) {
  iteration++;
  const vu = (iteration % VUS) + 1;
  const scenario = vu <= 40 ? 'steady' : 'spike';
  let iterationMs = 0;
  for (const [method, url, median] of ENDPOINTS) {
    const fail = random() < 0.02;
    const status = fail ? (random() < 0.5 ? '500' : '503') : method === 'POST' ? '201' : '200';
    const ok = !fail;
    const tags = `{"expected_response":"${ok}","group":"::votes","method":"${method}","name":"${url}","proto":"HTTP/1.1","scenario":"${scenario}","status":"${status}","url":"${url}"}`;
    const waiting = logNormal(median, 0.55);
    const sending = logNormal(0.02, 0.4);
    const receiving = logNormal(0.08, 0.6);
    const duration = Math.round((waiting + sending + receiving) * 1e6) / 1e6;
    const blocked = random() < 0.05 ? logNormal(1.2, 0.5) : logNormal(0.004, 0.3);
    clockNs += BigInt(Math.round(duration * 1e6));
    point('http_reqs', 1, tags);
    point('http_req_duration', duration, tags);
    point('http_req_blocked', blocked, tags);
    point('http_req_connecting', blocked > 1 ? logNormal(0.6, 0.4) : 0, tags);
    point('http_req_tls_handshaking', 0, tags);
    point('http_req_sending', sending, tags);
    point('http_req_waiting', waiting, tags);
    point('http_req_receiving', receiving, tags);
    point('http_req_failed', fail ? 1 : 0, tags);
    point('api_latency', Math.round(waiting * 1000) / 1000, `{"endpoint":"${method} ${url.slice(21)}","scenario":"${scenario}"}`);
    point('checks', ok ? 1 : 0, `{"check":"status is 2xx","group":"::votes","scenario":"${scenario}"}`);
    keep(duration, ok);
    requests++;
    if (fail) failed++;
    iterationMs += duration + blocked;
  }
  const base = `{"group":"","scenario":"${scenario}"}`;
  point('data_sent', 180 + Math.floor(random() * 40), base);
  point('data_received', 900 + Math.floor(random() * 400), base);
  point('iteration_duration', Math.round((iterationMs + 1000) * 1e6) / 1e6, base);
  point('iterations', 1, base);
  // VUs run in parallel: the clock advances by a share of an iteration's time.
  clockNs += BigInt(Math.round((1000 * 1e6) / VUS));
  const second = clockNs / 1_000_000_000n;
  if (second !== lastGaugeSecond) {
    lastGaugeSecond = second;
    point('vus', VUS, '{}');
    point('vus_max', VUS, '{}');
  }
  if (buffer.length > 1 << 20) await flush();
}
await flush();
stream.end();
await once(stream, 'finish');

/** k6's percentile: linear interpolation between the sorted samples around rank p·(n−1). */
function exactStats(values) {
  const sorted = values.slice().sort();
  const at = (p) => {
    if (sorted.length === 1) return sorted[0];
    const rank = p * (sorted.length - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
  };
  let sum = 0;
  for (const value of sorted) sum += value;
  return { count: sorted.length, avg: sum / sorted.length, min: sorted[0], med: at(0.5), max: sorted[sorted.length - 1], 'p(90)': at(0.9), 'p(95)': at(0.95), 'p(99)': at(0.99) };
}

const summary = { out: args.out, bytes: written, iterations: iteration, requests, failedRequests: failed };
if (durations) {
  summary.exact = {
    http_req_duration: exactStats(durations.subarray(0, durationCount)),
    'http_req_duration{expected_response:true}': exactStats(expected.subarray(0, expectedCount)),
  };
}
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
