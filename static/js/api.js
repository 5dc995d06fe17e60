// Talking to the server: the query for each endpoint, derived from the state, and a loader that
// keeps one channel per picture element ("field", "traj:2", ...). A channel never queues: while a
// request is in flight, newer wishes overwrite one pending URL (coalescing), so dragging a slider
// costs at most one request in flight plus the latest. Channels no longer wanted are aborted, and
// slow secondary channels (the worked example) wait until the picture's own requests are answered.

import { BASINS_N, phaseCells, sweepable } from "./labstate.js";
import { CUSTOM, methodOf, paramSpecs, paramValues, sceneState } from "./state.js";

export class ApiError extends Error {}

const RETRY_MS = 3000;

/** The query every loss endpoint shares: loss, its parameters, scale and thresholds. */
export function lossQuery(state, config, losses) {
  const q = { loss: state.loss };
  if (state.loss === CUSTOM) Object.assign(q, { expr: state.expr, kind: state.kind });
  if (state.loss === CUSTOM && state.exprY) q.expr_y = state.exprY;
  Object.assign(q, paramValues(state, config, losses));
  return Object.assign(q, { scale: state.scale, vanish: state.vanish, explode: state.explode });
}

const VIEW_KEYS = ["xmin", "xmax", "ymin", "ymax"];

/** Whether two field URLs draw the same landscape, perhaps over another view (a pan or a zoom). */
export function sameLandscape(a, b) {
  if (!a || !b) return false;
  const strip = (url) => {
    const q = new URLSearchParams(url.split("?")[1]);
    for (const k of VIEW_KEYS) q.delete(k);
    q.sort();
    return q.toString();
  };
  return strip(a) === strip(b);
}

function viewQuery(state) {
  if (!state.view) return {};
  return Object.fromEntries(VIEW_KEYS.map((k, i) => [k, state.view[i]]));
}

export function apiUrl(endpoint, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) q.set(k, String(v));
  return `/api/${endpoint}?${q}`;
}

/**
 * The URLs a state needs, by channel name; the scenes beside the main one get their field, analysis
 * and runs under the prefix "s<k>:" ("s1:field", "s1:traj:0"), on the main scene's axes (`view`).
 */
export function wantedUrls(state, config, losses, { fieldN, view = null }) {
  const wanted = sceneUrls(state, config, losses, { fieldN, prefix: "", withDerivation: true });
  state.scenes.forEach((_, k) => {
    const s = { ...sceneState(state, k + 1), view: state.view ?? view };
    for (const [key, url] of sceneUrls(s, config, losses, { fieldN, prefix: `s${k + 1}:` })) wanted.set(key, url);
  });
  return wanted;
}

function sceneUrls(state, config, losses, { fieldN, prefix, withDerivation = false }) {
  const base = lossQuery(state, config, losses);
  const wanted = new Map([
    [`${prefix}field`, apiUrl("field", { ...base, ...viewQuery(state), n: fieldN })],
    [`${prefix}analysis`, apiUrl("analysis", { ...base, ...viewQuery(state) })],
  ]);
  state.points.forEach(([x, y], i) => {
    wanted.set(`${prefix}grad:${i}`, apiUrl("gradient", { ...base, x, y, lr: state.lr, derivation: 0 }));
    wanted.set(`${prefix}traj:${i}`, apiUrl("trajectory", {
      ...base, x0: x, y0: y, method: state.method, lr: state.lr, steps: state.steps, ...state.options,
    }));
    for (const method of state.compare) { // with its own defaults: the options are the chosen method's
      wanted.set(`${prefix}traj:${i}:${method}`, apiUrl("trajectory", {
        ...base, x0: x, y0: y, method, lr: state.lr, steps: state.steps,
      }));
    }
  });
  const sel = state.points[state.selected];
  if (sel && withDerivation) {
    wanted.set("derivation", apiUrl("gradient", { ...base, x: sel[0], y: sel[1], lr: state.lr, derivation: 1 }));
  }
  if (withDerivation) { // the GAN lab's panels follow the main scene only
    for (const [key, url] of labUrls(state, config, losses, base)) wanted.set(key, url);
  }
  return wanted;
}

// -- the GAN lab's channels, apart from the picture's own: the stability view's analysis with the
// method's update map (only for a method that has one), and, only while shown, the convergence map
// and the phase diagram, so neither costs the ordinary picture anything.

/** [key, url] of each lab channel the state needs. */
export function labUrls(state, config, losses, base) {
  const method = config.methods.find((m) => m.name === state.method);
  const run = { method: state.method, lr: state.lr, ...state.options };
  const out = [];
  if (method?.update_map) out.push(["stability", apiUrl("analysis", { ...base, ...viewQuery(state), ...run })]);
  if (state.basins) {
    const declared = (name) => config.parameters.basins.find((p) => p.name === name);
    out.push(["basins", apiUrl("basins", { ...base, ...viewQuery(state), ...run,
      steps: Math.min(state.steps, declared("steps").max), n: Math.min(BASINS_N, declared("n").max) })]);
  }
  if (state.phase && method?.update_map) out.push(["phase", phaseUrl(state, config, losses, base, run)]);
  return out;
}

/** The phase diagram's query: every setting by name except the two swept, which are its axes. */
function phaseUrl(state, config, losses, base, run) {
  const q = { ...base, ...run };
  const axes = sweepable(paramSpecs(state, config, losses), methodOf(state, config), config);
  const [ax, ay] = state.phase.map((a) => ({ ...a, n: phaseCells(a, axes.find((d) => d.name === a.name)) }));
  for (const a of state.phase) delete q[a.name];
  Object.assign(q, { axis_x: ax.name, x: `${ax.lo},${ax.hi},${ax.n}`, axis_y: ay.name, y: `${ay.lo},${ay.hi},${ay.n}` });
  if (state.equilibrium) q.equilibrium = state.equilibrium.join(",");
  return apiUrl("phase", q);
}

/** A GET of our own API: the body, or an ApiError with the server's own message. */
export async function serverJSON(url, signal) {
  const resp = await fetch(url, { signal, headers: { Accept: "application/json" } });
  let body;
  try {
    body = await resp.json();
  } catch {
    throw new ApiError(`the server answered ${resp.status} without JSON`);
  }
  if (!resp.ok) throw new ApiError(body?.error?.message ?? `the server answered ${resp.status}`);
  return body;
}

/** A saved page's answers, in place of the server: what it was saved with, and a named refusal for the rest. */
function fromSnapshot(answers) {
  return async (url) => {
    if (url in answers) return answers[url];
    throw new ApiError("this page was saved for offline use and holds only the pictures it was saved with; "
      + "open Gradient Flow itself to change them");
  };
}

/**
 * createLoader(onChange, {answers}) -> {sync(wanted), get(key), fetchOnce(url), answered(urls)}.
 * get(key) = {data, url, wanted, fresh, error}: data is the newest answer the channel has (possibly
 * for an older URL, so the previous picture stays up while the next one loads); fresh says it matches.
 * `answers` (url -> body) serves a page saved for offline use instead of the server.
 */
export function createLoader(onChange, { cacheSize = 96, answers = null } = {}) {
  const channels = new Map();
  const cache = new Map(); // url -> data, least recently used first
  const getJSON = answers ? fromSnapshot(answers) : serverJSON;

  function remember(url, data) {
    cache.delete(url);
    cache.set(url, data);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value);
  }

  function start(ch, url) {
    ch.inflight = url;
    ch.controller = new AbortController();
    const { signal } = ch.controller;
    getJSON(url, signal).then(
      (data) => {
        remember(url, data);
        finish(ch, url, data, null);
      },
      (err) => {
        if (signal.aborted) return;
        const answered = err instanceof ApiError; // the server said no: asking again gets the same answer
        finish(ch, url, null, answered ? err.message : `network error: ${err.message}`, !answered);
      },
    );
  }

  function finish(ch, url, data, error, retryable = false) {
    ch.inflight = null;
    if (data) Object.assign(ch, { data, url, error: null, failed: null });
    else {
      ch.failed = url; // not asked again at once: the same request would fail the same way...
      ch.retryable = retryable; // ...unless the network, not the server, failed it
      if (ch.wanted === url) ch.error = error;
      if (retryable) retrySoon();
    }
    if (ch.wanted !== url && ch.wanted !== ch.url && ch.wanted !== ch.failed) want(ch);
    startLater();
    onChange();
  }

  /** Serve a channel's wish from the cache, or fetch it unless a request is already in flight. */
  function want(ch) {
    const cached = cache.get(ch.wanted);
    if (cached) {
      remember(ch.wanted, cached);
      Object.assign(ch, { data: cached, url: ch.wanted, error: null });
    } else if (!ch.inflight && !(ch.later && busy())) {
      start(ch, ch.wanted);
    } // else: coalesce; finish() or startLater() fetches the newest wish
  }

  let retryTimer = 0;
  /** After a network failure, every channel still wanting what failed asks again, a few seconds on. */
  function retrySoon() {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = 0;
      for (const ch of channels.values()) {
        if (ch.retryable && ch.failed === ch.wanted && !ch.inflight) {
          ch.failed = null;
          want(ch);
        }
      }
    }, RETRY_MS);
  }

  const busy = () => [...channels.values()].some((c) => c.inflight && !c.later);

  /** Channels marked `later` (slow, secondary) wait until every other channel has its answer. */
  function startLater() {
    if (busy()) return;
    for (const ch of channels.values()) {
      if (ch.later && !ch.inflight && ch.wanted !== ch.url && ch.wanted !== ch.failed) want(ch);
    }
  }

  return {
    /** Want exactly these channels (Map key -> url); keys in `later` wait for the others. */
    sync(wanted, later = new Set()) {
      for (const [key, ch] of channels) {
        if (!wanted.has(key)) {
          ch.controller?.abort();
          channels.delete(key);
        }
      }
      for (const [key, url] of wanted) {
        let ch = channels.get(key);
        if (!ch) channels.set(key, (ch = { wanted: null, url: null, data: null, error: null, inflight: null, failed: null }));
        ch.later = later.has(key);
        if (ch.wanted === url && !(ch.failed === url && ch.retryable)) continue; // asked again after a network failure
        ch.wanted = url;
        ch.error = null;
        ch.failed = null; // a wish made again (after Reset, say) is tried again
        want(ch);
      }
      startLater();
    },
    get(key) {
      const ch = channels.get(key);
      if (!ch) return { data: null, url: null, wanted: null, fresh: false, error: null };
      return { data: ch.data, url: ch.url, wanted: ch.wanted, fresh: ch.url === ch.wanted, error: ch.error };
    },
    /** url -> body for every URL given, asked of the server where the cache lacks it (a page to save). */
    async answered(urls) {
      const out = {};
      for (const url of urls) out[url] = cache.get(url) ?? await this.fetchOnce(url);
      return out;
    },
    /** One request outside any channel (to try an expression before committing it); cached on success. */
    async fetchOnce(url) {
      if (cache.has(url)) return cache.get(url);
      const data = await getJSON(url);
      remember(url, data);
      return data;
    },
  };
}
