// The main plot, as two Plotly graphs stacked with identical geometry (the same size, fixed margins,
// ranges and aspect): the landscape underneath (loss contours, descent field, colour bar), redrawn
// only when the field or the view changes; and on top, a transparent layer with the stationary
// points, sample points, their gradient arrows and trajectories. Plotly redraws every trace of a
// graph on any data change, so this split is what keeps adding a point or an animation frame at a
// few milliseconds instead of hundreds. Each update is Plotly.react with new arrays.
// Plotly arrives by a separate deferred <script>; nothing here touches it before plotlyReady().

import { latestOnly } from "./coalesce.js";
import { classRules, styleAt } from "./classes.js";
import {
  COMPARE_DASH, comparisonTraces, fieldShapes, gradientArrowShapes, landscapeTrace, pointsTrace, stationaryTrace,
  trajectoryTraces,
} from "./traces.js";

/**
 * Resolves with window.Plotly once the deferred <script id="plotly"> has run; rejects if it failed.
 * A failure can come before this module listens for it (the module is async), and the page has no
 * inline onerror= (its Content-Security-Policy runs none). Deferred scripts all run, or fail, before
 * DOMContentLoaded: past it without window.Plotly, plotly.min.js failed.
 */
export function plotlyReady() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  const failure = () => new Error("plotly.min.js failed to load");
  if (domContentLoaded()) return Promise.reject(failure());
  const tag = document.getElementById("plotly");
  return new Promise((resolve, reject) => {
    tag.addEventListener("load", () => resolve(window.Plotly), { once: true });
    tag.addEventListener("error", () => reject(failure()), { once: true });
  });
}

function domContentLoaded() {
  const [nav] = performance.getEntriesByType("navigation");
  return nav ? nav.domContentLoadedEventStart > 0 : document.readyState === "complete";
}

const RANGE_KEYS = ["xaxis.range[0]", "xaxis.range[1]", "yaxis.range[0]", "yaxis.range[1]"];


/**
 * The share of the plot area each axis takes so that one unit of x and one of y are the same length
 * on screen, the view kept exactly. Computed here rather than by Plotly's scaleanchor with
 * constrain: "domain", which Plotly.react loses on a range change (it widens the range instead, so a
 * zoomed view showed more than the link said and clicks landed outside the field).
 */
export function squareDomains(view, width, height, margin) {
  const w = Math.max(1, width - margin.l - margin.r);
  const h = Math.max(1, height - margin.t - margin.b);
  const spanX = view[1] - view[0];
  const spanY = view[3] - view[2];
  const scale = Math.min(w / spanX, h / spanY); // pixels per unit, the same on both axes
  const fx = Math.min(1, (spanX * scale) / w);
  const fy = Math.min(1, (spanY * scale) / h);
  return { x: [(1 - fx) / 2, (1 + fx) / 2], y: [(1 - fy) / 2, (1 + fy) / 2] };
}

/** The geometry both layers share; `ink` says whether this layer draws the axes. */
function layout(scene, ink, size) {
  const { view, look } = scene;
  const compact = Boolean(scene.phone); // a phone's finger scrolls the page: no drag, no zoom on the plot
  const { font, margin } = look;
  const domain = squareDomains(view, size.width, size.height, margin);
  const axis = (range, d) => ({
    range, domain: d, zeroline: false, showgrid: false, fixedrange: compact,
    ...(ink ? { ticks: "outside", ticklen: 5 } : { showticklabels: false, ticks: "", showline: false }),
  });
  return {
    // fixed margins (no autoexpand) and size: the two layers must compute the same plot area
    margin: { ...margin, autoexpand: false },
    width: size.width, height: size.height,
    font: { size: font, family: "system-ui, sans-serif", color: "#111" },
    xaxis: { ...axis([view[0], view[1]], domain.x), ...(ink ? { title: { text: "x", standoff: 2 } } : {}) },
    yaxis: axis([view[2], view[3]], domain.y),
    // y's title as an upright note above its axis: a rotated "y" reads as ">"
    annotations: ink ? [{ text: "y", xref: "x domain", yref: "y domain", x: 0, y: 1, xanchor: "right", yanchor: "bottom",
      showarrow: false, xshift: -4, yshift: 6, font: { size: font + 2 } }] : [],
    showlegend: false,
    hovermode: ink ? false : "closest",
    dragmode: ink || compact ? false : "pan",
    paper_bgcolor: ink ? "#fff" : "rgba(0,0,0,0)",
    plot_bgcolor: ink ? "#fff" : "rgba(0,0,0,0)",
  };
}

/** createPlot(el, config, {onClick(x, y), onHover([x, y] | null), onView(view)}) -> {draw(scene) -> Promise}. */
export function createPlot(el, config, { onClick, onHover, onView }) {
  const under = document.createElement("div");
  const over = document.createElement("div");
  under.className = "layer";
  over.className = "layer";
  el.append(under, over);
  let underKey = null; // what each layer shows: a layer is redrawn only when its key changes
  let overKey = null;
  let landscape = { field: undefined };
  let bound = false;
  let lastClick = { t: -1, x: 0, y: 0 };
  const follow = latestOnly(async ([x0, x1, y0, y1]) => {
    await window.Plotly.relayout(under, { "xaxis.range": [x0, x1], "yaxis.range": [y0, y1] });
  });

  /** The data coordinates under a mouse event, or null outside the plot area. */
  function toData(ev) {
    const xa = over._fullLayout.xaxis;
    const ya = over._fullLayout.yaxis;
    const box = over.getBoundingClientRect();
    const px = ev.clientX - box.left - xa._offset;
    const py = ev.clientY - box.top - ya._offset;
    if (px < 0 || py < 0 || px > xa._length || py > ya._length) return null;
    return [xa.p2l(px), ya.p2l(py)];
  }

  function bind() {
    // Plotly swallows the mouse while it may be a drag, then dispatches a click itself, so a click
    // can arrive twice (ours and the browser's); one point per click.
    over.addEventListener("click", (ev) => {
      if (ev.timeStamp - lastClick.t < 300 && ev.clientX === lastClick.x && ev.clientY === lastClick.y) return;
      lastClick = { t: ev.timeStamp, x: ev.clientX, y: ev.clientY };
      const at = toData(ev);
      if (at) onClick(...at);
    });
    over.addEventListener("mousemove", (ev) => onHover(toData(ev)));
    over.addEventListener("mouseleave", () => onHover(null));
    over.on("plotly_relayout", (ev) => {
      if (RANGE_KEYS.every((k) => k in ev)) onView(RANGE_KEYS.map((k) => ev[k]));
    });
    // While a drag pans the top layer, the landscape follows it (at whatever rate it can redraw)
    // instead of jumping into place when the mouse is released.
    over.on("plotly_relayouting", (ev) => {
      if (RANGE_KEYS.every((k) => k in ev)) follow(RANGE_KEYS.map((k) => ev[k]));
    });
    bound = true;
  }

  let lastScene = null;
  const draw = latestOnly(drawNow);
  // A new size (a rotated phone, a window dragged to the projector) needs new axis shares: draw again.
  // (a failure to draw is the page's to report, on its own draw: not an unhandled rejection here)
  new ResizeObserver(() => lastScene && draw(lastScene).catch(() => {})).observe(el);

  async function drawNow(scene) {
    lastScene = scene;
    const Plotly = await plotlyReady();
    const plotConfig = { displayModeBar: false, scrollZoom: !scene.phone, doubleClick: false };
    const size = { width: el.clientWidth, height: el.clientHeight }; // inside the border, as the layers are
    const key = [scene.field, scene.view.join(), scene.look, scene.phone, size.width, size.height, scene.basins];
    if (!underKey || key.some((k, i) => k !== underKey[i])) {
      overKey = null; // the layers share axes: redraw both
      underKey = key;
      // The same trace object while the field is the same: Plotly writes the contour levels it
      // computes back into it, and skips recomputing them when the data did not change.
      if (scene.field !== landscape.field || scene.look !== landscape.look) {
        landscape = scene.field
          ? { field: scene.field, look: scene.look, traces: [landscapeTrace(scene.field, scene.look, scene.valueName)],
            shapes: fieldShapes(scene.field, config, scene.look) }
          : { field: null, look: scene.look, traces: [], shapes: [] };
      }
      const { traces, shapes } = landscape;
      const images = scene.basins ? [scene.basins.image] : []; // the convergence map: over the contours, under the arrows
      await Plotly.react(under, traces, { ...layout(scene, true, size), shapes, images }, { ...plotConfig, staticPlot: true });
    }
    const next = [scene.analysis, scene.frame, scene.selected, scene.view.join(), scene.look, size.width, size.height,
      ...scene.points.flatMap((p) => [p.xy, p.grad, p.traj, ...p.others.map((o) => o.traj)])];
    if (overKey && next.length === overKey.length && next.every((k, i) => k === overKey[i])) return;
    overKey = next;
    await Plotly.react(over, [
      ...trajectoryTraces(scene.points, scene.frame, config, scene.view, scene.look),
      ...comparisonTraces(scene.points, scene.frame, scene.view, scene.look),
      stationaryTrace(scene.analysis, scene.points.map((q) => q.xy), scene.view, scene.look),
      pointsTrace(scene.points, scene.selected, scene.look),
    ], {
      ...layout(scene, false, size),
      shapes: gradientArrowShapes(scene.points, scene.view, config, scene.look),
    }, plotConfig);
    if (!bound) bind();
  }

  /** The picture as SVG: both layers, each a standalone SVG document, with their size on screen. */
  async function toSvg() {
    const Plotly = await plotlyReady();
    const { width, height } = under.getBoundingClientRect();
    const layers = await Promise.all([under, over].map(async (gd) => decodeURIComponent(
      (await Plotly.toImage(gd, { format: "svg", width, height })).replace(/^data:image\/svg\+xml,/, ""))));
    return { width, height, layers };
  }

  return { draw, toSvg };
}

function icon(st) {
  const line = `stroke="${st.color}" stroke-width="${Math.min(st.width, 3) * 0.8}" stroke-linejoin="round"`;
  if (st.head === "none") return `<path d="M4 4 L14 14 M14 4 L4 14" fill="none" ${line} stroke-linecap="round"/>`;
  const fill = st.head === "open" ? "#fff" : st.color;
  return `<path d="M2 9 H10" fill="none" ${line}/><path d="M16 9 L10 5.5 L10 12.5 Z" fill="${fill}" ${line}/>`;
}

const SVG_DASH = { dash: "5 3", dashdot: "5 2.5 1.5 2.5", longdash: "9 3" };

/** Which line is which method: [{name, label, icon}], the chosen one first; empty unless methods are compared. */
export function methodKey(config, method, compare) {
  if (!compare.length) return [];
  const label = (name) => config.methods.find((m) => m.name === name)?.label ?? name;
  // the chosen method's path is dotted ahead of the player and solid behind it: its key shows both
  const played = `<path d="M1 9 H12" fill="none" stroke="#000" stroke-width="3"/><path d="M13 9 H23" fill="none"
      stroke="#000" stroke-width="2" stroke-dasharray="1.5 2"/>`;
  const dashed = (dash) => `<path d="M1 9 H23" fill="none" stroke="#000" stroke-width="2.5" stroke-dasharray="${dash}"/>`;
  return [{ name: method, label: label(method), icon: played },
    ...compare.map((m, c) => ({ name: m, label: label(m), icon: dashed(SVG_DASH[COMPARE_DASH[c % COMPARE_DASH.length]]) }))];
}

/** The class key: [{label, rule, icon}] in 18 x 18 SVG units, for the page and for saved pictures. */
export function classKey(config, thresholds) {
  return classRules(config, thresholds).map((c) => ({ label: c.name, rule: c.rule, icon: icon(styleAt(config, c.index)) }));
}

/** Which line is which method, shown only while methods are compared. */
export function drawMethodKey(el, config, method, compare) {
  el.hidden = !compare.length;
  el.replaceChildren(...methodKey(config, method, compare).map((m) => {
    const li = document.createElement("li");
    li.innerHTML = `<svg viewBox="0 0 24 18" width="1.8em" height="1.4em" aria-hidden="true">${m.icon}</svg> <span></span>`;
    li.lastChild.textContent = m.label;
    return li;
  }));
}

/** The plot's key, in HTML: text a screen reader reads and large type can reflow. */
export function drawLegend(el, config, thresholds) {
  el.replaceChildren(...classKey(config, thresholds).map((c) => {
    const li = document.createElement("li");
    li.innerHTML = `<svg viewBox="0 0 18 18" width="1.4em" height="1.4em" aria-hidden="true">${c.icon}</svg> <strong></strong>
      <span class="rule"></span>`;
    li.querySelector("strong").textContent = c.label;
    li.querySelector(".rule").textContent = c.rule;
    return li;
  }));
}
