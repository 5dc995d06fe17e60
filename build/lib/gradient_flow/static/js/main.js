// Gradient Flow's page: one state (state.js), one render(state, data), everything else wired here.
// The module starts fetching the moment it runs; Plotly (a separate deferred script) is awaited
// only when the first picture is drawn, so data and the 4.6 MB library load side by side.

import { ApiError, createLoader, sameLandscape, wantedUrls } from "./api.js";
import { checkNumber, createControls } from "./controls.js";
import { createCurve } from "./curve.js";
import { createWorkedExample } from "./derivation.js";
import { pair, roundTo } from "./format.js";
import { createInsights } from "./insights.js";
import { createPlayer } from "./player.js";
import { createPlot, drawMethodKey } from "./plot.js";
import { createPointsList } from "./points.js";
import { createReadout } from "./readout.js";
import { CUSTOM, defaults, fromHash, kindEntry, sanitize, toHash, viewOf } from "./state.js";

function start({ config, losses }) {
  const compact = window.matchMedia("(max-width: 700px)").matches;
  const header = document.querySelector(".top"); // the stage is a screen tall less this (app.css)
  new ResizeObserver(() => document.documentElement.style.setProperty("--header", `${header.offsetHeight}px`))
    .observe(header);
  const fieldN = 61; // 3721 values: smooth contours, and half the drawing time of 81
  let state = fromHash(location.hash, config, losses);
  let renderQueued = false;
  let holdUntil = 0; // a new point's picture waits this long for its data rather than draw twice
  let exprToken = 0;
  let generation = 0; // bumped by every state change, so a late draw cannot claim to be current
  const waits = []; // performance marks to set once a picture with these URLs is on screen

  const figure = document.querySelector("figure");
  const plotEl = document.getElementById("plot");
  const loader = createLoader(scheduleRender);
  const player = createPlayer({ onFrame: scheduleRender, onChange: () => controls.reflectPlayer(player) });
  const controls = createControls(document, { config, losses }, {
    change, applyExpression, current: () => state, player,
  });
  const readout = createReadout(document.getElementById("readout"));
  const plot = createPlot(plotEl, config, {
    onClick: (x, y) => addPoint(x, y, "click"),
    onHover: (at) => readout.show(loader.get("field").data, at, kindEntry(state, config, losses).value_name),
    onView: (v) => {
      const span = Math.min(v[1] - v[0], v[3] - v[2]);
      change({ view: v.map((c) => roundTo(c, span)) });
    },
  });
  const list = createPointsList(document.getElementById("points"), config, {
    select: (i) => change({ selected: i }),
    remove: (i) => change({
      points: state.points.filter((_, j) => j !== i),
      selected: i < state.selected ? state.selected - 1 : state.selected,
    }),
  });
  const worked = createWorkedExample(document.getElementById("worked"));
  const curve = createCurve(document.getElementById("curve"), document.getElementById("curve-caption"), config);
  const insights = createInsights(document.getElementById("insights"), { config, losses }, {
    // a lesson opens as it is taught: its own method, or plain gd, never whatever was chosen before
    openLoss: (id, method) => {
      change({ loss: id, params: {}, view: null, method: method ?? config.defaults.method, options: {}, compare: [] });
      figure.scrollIntoView({ block: "nearest", behavior: "smooth" });
    },
    legend: document.getElementById("legend"),
  });

  // -- intents -----------------------------------------------------------------------------
  function change(patch) {
    exprToken++; // the latest choice wins: an expression still being checked is dropped
    state = sanitize({ ...state, ...patch }, config, losses);
    history.replaceState(null, "", toHash(state, config));
    update();
  }

  function currentView() {
    return viewOf(state, losses, loader.get("field").data) ?? [-2, 2, -2, 2];
  }

  /** A point picked on the plot is rounded to what the view can show; a typed one is kept as typed. */
  function addPoint(x, y, how, typed = false) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    const v = currentView();
    const span = Math.min(v[1] - v[0], v[3] - v[2]);
    const points = [...state.points, typed ? [x, y] : [roundTo(x, span), roundTo(y, span)]];
    performance.mark(`point-added:${how}`);
    holdUntil = performance.now() + 80;
    change({ points, selected: points.length - 1 });
    const i = points.length - 1;
    waitFor(`point-drawn:${how}`, [`grad:${i}`, `traj:${i}`]);
  }

  /** Move the view by a quarter of its span: pan for keyboards and phones, where dragging is off. */
  function pan(dx, dy) {
    const [x0, x1, y0, y1] = currentView();
    const sx = (x1 - x0) / 4;
    const sy = (y1 - y0) / 4;
    const span = Math.min(x1 - x0, y1 - y0);
    change({ view: [x0 + dx * sx, x1 + dx * sx, y0 + dy * sy, y1 + dy * sy].map((c) => roundTo(c, span)) });
  }

  function addRandomPoint() {
    const [x0, x1, y0, y1] = currentView();
    const pad = 0.05;
    const r = (lo, hi) => lo + (hi - lo) * (pad + (1 - 2 * pad) * Math.random());
    addPoint(r(x0, x1), r(y0, y1), "button");
  }

  function zoom(factor) {
    const [x0, x1, y0, y1] = currentView();
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const hx = ((x1 - x0) / 2) * factor;
    const hy = ((y1 - y0) / 2) * factor;
    const span = 2 * Math.min(hx, hy);
    change({ view: [cx - hx, cx + hx, cy - hy, cy + hy].map((c) => roundTo(c, span)) });
  }

  async function applyExpression(text, kind) {
    const expr = text.trim();
    if (!expr) {
      controls.showExpressionError("Type an expression in x and y first, such as x^2 + 3y^2.");
      return;
    }
    const token = ++exprToken;
    const before = state;
    const candidate = sanitize({ ...state, loss: CUSTOM, expr, kind, params: {}, view: null }, config, losses);
    try {
      await loader.fetchOnce(wantedUrls(candidate, config, losses, { fieldN }).get("field"));
    } catch (err) {
      if (token === exprToken) controls.showExpressionError(err instanceof ApiError ? err.message : String(err.message));
      return;
    }
    if (token !== exprToken || state !== before) return;
    controls.showExpressionError(null);
    change(candidate);
  }

  function reset() {
    exprToken++;
    controls.showExpressionError(null);
    document.getElementById("expr").value = "";
    player.restart();
    change(defaults(config));
  }

  // -- updating and drawing -------------------------------------------------------------
  function update() {
    generation++;
    figure.setAttribute("aria-busy", "true");
    loader.sync(wantedUrls(state, config, losses, { fieldN }), new Set(["derivation"]));
    controls.reflect(state);
    drawMethodKey(document.getElementById("method-key"), config, state.method, state.compare);
    player.setSpeed(state.speed);
    insights.render(state);
    scheduleRender();
  }

  /** Coalesce renders: to the next animation frame while playing, else to the next task (sooner). */
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    const run = () => {
      renderQueued = false;
      render(state, collect());
    };
    if (player.playing) requestAnimationFrame(run);
    else setTimeout(run, 0);
  }

  /** What the loader holds for the current state: the data half of render(state, data). */
  function collect() {
    const used = new Set();
    const take = (key) => {
      const got = loader.get(key);
      if (got.fresh) used.add(key);
      return got;
    };
    const field = take("field");
    const fieldFailed = Boolean(field.error);
    // another loss's landscape under this state's points and markers would be a picture of nothing
    const landscapeStale = Boolean(field.data) && !field.fresh && !sameLandscape(field.url, field.wanted);
    const analysis = take("analysis");
    const points = state.points.map((xy, i) => {
      const g = take(`grad:${i}`);
      const t = take(`traj:${i}`);
      const others = state.compare.map((method) => ({ method, ...take(`traj:${i}:${method}`) }));
      return {
        xy, grad: g.data, traj: t.data, error: g.error ?? t.error ?? others.find((o) => o.error)?.error,
        others: others.map((o) => ({ method: o.method, traj: o.data })),
      };
    });
    const derivation = take("derivation");
    const complete = [field, analysis].every((c) => c.fresh) && state.points.every((_, i) => used.has(`grad:${i}`)
      && used.has(`traj:${i}`) && state.compare.every((m) => used.has(`traj:${i}:${m}`)));
    return {
      field: field.data, fieldFailed, landscapeStale, analysis: analysis.data, points, used, complete,
      derivation: derivation.fresh ? derivation.data : null,
      error: field.error ?? analysis.error ?? points.find((p) => p.error)?.error ?? derivation.error,
    };
  }

  function render(s, data) {
    const runs = data.points.flatMap((p) => [p.traj, ...p.others.map((o) => o.traj)]).filter(Boolean);
    player.setLength(Math.max(0, ...runs.map((t) => t.points.length - 1)));
    list.render(data.points, s.selected);
    const sel = s.points[s.selected];
    worked.render(sel ? { xy: sel, index: s.selected } : null, data.derivation?.derivation ?? null,
      null, methodNote(s, data));
    const alert = document.getElementById("plot-error");
    alert.textContent = data.error ? `${data.error}${data.fieldFailed ? " The picture shown is the last one that loaded." : ""}` : "";
    alert.hidden = !data.error;
    // a field that failed to load leaves the last whole picture up, never a new frame on an old landscape
    if (!data.field || data.fieldFailed || data.landscapeStale) return;
    const waiting = performance.now() < holdUntil;
    if (waiting && !data.points.every((_, i) => data.used.has(`grad:${i}`) && data.used.has(`traj:${i}`))) {
      setTimeout(scheduleRender, holdUntil - performance.now());
      return;
    }
    holdUntil = 0;
    const scene = {
      field: data.field, analysis: data.analysis, points: data.points, selected: s.selected,
      view: viewOf(s, losses, data.field), frame: player.frame, compact,
      valueName: kindEntry(s, config, losses).value_name,
    };
    plotEl.setAttribute("aria-label", describe(s, data));
    const drawn = generation;
    plot.draw(scene).then(() => {
      if (player.playing) performance.mark("frame-drawn");
      if (drawn === generation) figure.setAttribute("aria-busy", String(!data.complete));
      for (let i = waits.length - 1; i >= 0; i--) {
        if (waits[i].keys.every((k) => data.used.has(k))) {
          performance.mark(waits[i].name);
          waits.splice(i, 1);
        }
      }
      // after the main picture, which matters first
      const sel = data.points[s.selected];
      const traj = sel?.traj;
      return curve.draw({
        run: traj && traj.points.length ? { traj, index: s.selected, others: sel.others.filter((o) => o.traj) } : null,
        thresholds: { vanish: s.vanish, explode: s.explode }, valueName: scene.valueName, frame: player.frame, compact,
      });
    }).catch((err) => { // plotly.min.js did not load (a half-saved offline copy, say): say so, not a blank box
      const alertEl = document.getElementById("plot-error");
      alertEl.textContent = `The plot cannot be drawn: ${err.message}. Reload the page.`;
      alertEl.hidden = false;
    });
  }

  /** Where the worked step (one plain simultaneous step) and the chosen method's first step part ways. */
  function methodNote(s, data) {
    const next = data.derivation?.next;
    const first = data.points[s.selected]?.traj?.points[1];
    if (!next || !first) return null;
    const same = next.every((v, i) => Math.abs(v - first[i]) <= 1e-9 * Math.max(1, Math.abs(v)));
    if (same) return null;
    const label = config.methods.find((m) => m.name === s.method)?.label ?? s.method;
    return `This is one plain simultaneous gradient step. ${label}, with the options chosen, steps differently: `
      + `its first step from here lands at ${pair(first)}, as its trajectory shows.`;
  }

  /** The picture in words, for the plot's text alternative. */
  function describe(s, data) {
    const entry = losses.find((l) => l.id === s.loss);
    const title = entry ? entry.title : `custom ${s.kind} ${s.expr}`;
    const stationary = (data.analysis?.stationary_points ?? []).map((p) => `${p.label} at ${pair(p.point)}`);
    const n = s.points.length;
    return `Loss landscape of ${title}. ${stationary.length ? `Stationary points: ${stationary.join("; ")}.` : "No stationary point in view."} `
      + `${n} sample point${n === 1 ? "" : "s"}.`;
  }

  function waitFor(name, keys) {
    waits.push({ name, keys });
  }

  // -- wiring ---------------------------------------------------------------------------
  const on = (id, fn) => document.getElementById(id).addEventListener("click", fn);
  on("add-point", addRandomPoint);
  on("clear-points", () => change({ points: [], selected: -1 }));
  on("reset", reset);
  on("zoom-in", () => zoom(0.5));
  on("zoom-out", () => zoom(2));
  on("default-view", () => change({ view: null }));
  for (const b of document.querySelectorAll("button[data-pan]")) {
    b.addEventListener("click", () => pan(...b.dataset.pan.split(",").map(Number)));
  }
  on("save-png", async () => {
    // for slides: twice the size on screen, named after the loss
    const blob = await plot.toPng(2);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `gradient-flow-${state.loss === CUSTOM ? "custom" : state.loss}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  });
  document.getElementById("point-form").addEventListener("submit", (e) => {
    e.preventDefault(); // the browser has refused empty and out-of-range boxes already; 1e400 it lets by
    const [x, y] = ["point-x", "point-y"].map((id) => checkNumber(e.target.elements[id]));
    if (x === null || y === null) return;
    const [x0, x1, y0, y1] = currentView();
    if (x < x0 || x > x1 || y < y0 || y > y1) { // a typed point is wanted on screen: widen the view to it
      const lo = [Math.min(x0, x), Math.min(y0, y)];
      const hi = [Math.max(x1, x), Math.max(y1, y)];
      const pad = 0.1 * Math.max(hi[0] - lo[0], hi[1] - lo[1]);
      const span = Math.max(hi[0] - lo[0], hi[1] - lo[1]) + 2 * pad;
      state = sanitize({ ...state, view: [lo[0] - pad, hi[0] + pad, lo[1] - pad, hi[1] + pad].map((c) => roundTo(c, span)) },
        config, losses);
    }
    addPoint(x, y, "form", true);
  });
  document.getElementById("params").addEventListener("input", () => {
    performance.mark("param-input");
    waitFor("param-drawn", ["field"]);
  });
  window.addEventListener("hashchange", () => {
    // An in-page link (the skip link's #controls) names an element, not a picture: go there, and put
    // the picture's link back instead of reading "controls" as a state of defaults.
    const target = !location.hash.includes("=") && location.hash.length > 1
      && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) {
      history.replaceState(null, "", toHash(state, config));
      target.focus();
      return;
    }
    state = fromHash(location.hash, config, losses);
    update();
  });

  waitFor("first-plot", ["field", "analysis", ...state.points.flatMap((_, i) => [`grad:${i}`, `traj:${i}`])]);
  update();
  controls.reflectPlayer(player);
}

start(JSON.parse(document.getElementById("bootstrap").textContent));
