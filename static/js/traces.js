// What the plot draws, as Plotly traces built from API data: the loss landscape, the descent field,
// stationary points, trajectories, sample points and their gradient arrows. Functions of their
// inputs only (drawnSteps remembers its answer per run, in a WeakMap: the same input, the same
// answer); plot.js decides which layer each goes to and when it is redrawn.

import { classIndex, classStyle, styleAt } from "./classes.js";
import { num } from "./format.js";
import { linearTicks } from "./ticks.js";

const STATIONARY_SYMBOL = {
  minimum: "star", maximum: "triangle-up", saddle: "x", degenerate: "diamond",
  attracting: "star", repelling: "triangle-down", rotational: "circle-dot", curve: "hexagon",
};
const GREYS = [[0, "#ffffff"], [1, "#a3a3a3"]];
const TURN = 0.5; // an arrowhead's barbs leave the shaft at +-29 degrees

// Arrows are SVG path text in data coordinates, drawn as one Plotly *shape* per class: a single
// <path> element however many arrows. (A scatter trace with gaps makes one element per piece, and
// styling ~900 of them cost more than everything else in a redraw.)
const fix = (v) => +v.toPrecision(6);

/** One arrow from (x0, y0) to (x1, y1), its barbs `barb` long, as path text (a sample point's arrow). */
function arrowPath(x0, y0, x1, y1, barb) {
  const len = Math.hypot(x1 - x0, y1 - y0) || 1;
  const bx = ((x0 - x1) / len) * barb;
  const by = ((y0 - y1) / len) * barb;
  const c = Math.cos(TURN);
  const s = Math.sin(TURN);
  return `M${fix(x0)},${fix(y0)}L${fix(x1)},${fix(y1)}L${fix(x1 + bx * c - by * s)},${fix(y1 + bx * s + by * c)}`
    + `M${fix(x1)},${fix(y1)}L${fix(x1 + bx * c + by * s)},${fix(y1 - bx * s + by * c)}`;
}

/**
 * A field arrow centred on (cx, cy) along the unit (ux, uy), `length` long, ending in a closed
 * triangular head `head` long (always its full size, so even the shortest arrow shows its
 * direction); the head is filled or left open by the shape that draws it.
 */
function fieldArrowPath(cx, cy, ux, uy, length, head) {
  const [tx, ty] = [cx - (ux * length) / 2, cy - (uy * length) / 2];
  const [hx, hy] = [cx + (ux * length) / 2, cy + (uy * length) / 2];
  const [bx, by] = [hx - ux * head, hy - uy * head]; // the head's base, where the shaft stops
  const [wx, wy] = [-uy * head * 0.5, ux * head * 0.5];
  return `M${fix(tx)},${fix(ty)}L${fix(bx)},${fix(by)}`
    + `M${fix(hx)},${fix(hy)}L${fix(bx + wx)},${fix(by + wy)}L${fix(bx - wx)},${fix(by - wy)}Z`;
}

function crossPath(x, y, r) {
  return `M${fix(x - r)},${fix(y - r)}L${fix(x + r)},${fix(y + r)}M${fix(x - r)},${fix(y + r)}L${fix(x + r)},${fix(y - r)}`;
}

function pathShape(path, line, layer = "above") {
  return { type: "path", path, xref: "x", yref: "y", line, layer };
}

/** The loss (or a game's f, named `valueName`): filled contour bands with their lines, and a colour bar unless the screen is narrow. */
export function landscapeTrace(field, look, valueName) {
  // Twelve bands spanning exactly the values there are: Plotly's own "nice" levels can overshoot
  // the data, leaving colour-bar ticks that no colour stands for.
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of field.value) {
    for (const v of row) {
      if (v !== null && v < lo) lo = v;
      if (v !== null && v > hi) hi = v;
    }
  }
  const levels = hi > lo ? { start: lo, end: hi, size: (hi - lo) / 12 } : {};
  // the bar's ticks are round numbers, not the bands' edges (−0.0578, −0.1155, … cut off by the margin)
  const ticks = hi > lo ? linearTicks([lo, hi], 4) : { times: "" };
  const title = ticks.times ? `${valueName} ${ticks.times}` : valueName;
  return {
    type: "contour", x: field.x, y: field.y, z: field.value, ncontours: 12, colorscale: GREYS, showscale: look.colorbar,
    autocontour: !(hi > lo), ...(hi > lo ? { zmin: lo, zmax: hi } : {}),
    colorbar: { title: { text: title, side: "top", font: { size: look.font } }, thickness: 14 * look.line, len: 0.8,
      outlinewidth: 0, x: 1.02, xpad: 0, tickfont: { size: look.font },
      ...(ticks.tickvals ? { tickmode: "array", tickvals: ticks.tickvals, ticktext: ticks.ticktext } : {}) },
    contours: { coloring: "fill", showlabels: false, ...levels }, line: { color: "rgba(0,0,0,0.3)", width: 1 },
    hoverinfo: "skip", name: valueName,
  };
}

/** The decades of |v| the drawn arrows span: their lengths are read on this log scale. */
function logSpan(field, idx) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of idx) {
    for (const j of idx) {
      const m = field.magnitude[i][j];
      if (m !== null && m > 0) {
        lo = Math.min(lo, m);
        hi = Math.max(hi, m);
      }
    }
  }
  return lo <= hi ? [Math.log10(lo), Math.log10(hi)] : [0, 0];
}

/**
 * The descent field -v on every k-th grid point, as one path shape per class. An arrow's length
 * grows with log |v| from the smallest |v| drawn to the largest (0.35 to 0.9 of a cell), so a field
 * spanning decades (Rosenbrock, the deep chain) shows every arrow at a readable size; its head is
 * always drawn whole, and its class is told by colour, by width and by its head (open for
 * vanishing, filled otherwise) as well as by the key.
 */
export function fieldShapes(field, config, look) {
  const n = field.x.length;
  const k = Math.max(1, Math.round((n - 1) / look.arrows));
  const idx = [];
  for (let i = 0; i < n; i += k) idx.push(i);
  const cell = Math.min(field.x[k] - field.x[0], field.y[k] - field.y[0]);
  const [lo, hi] = logSpan(field, idx);
  const paths = config.classes.map(() => []);
  for (const i of idx) {
    for (const j of idx) {
      const m = field.magnitude[i][j];
      const out = paths[classIndex(config, field.class[i][j])];
      const [cx, cy] = [field.x[j], field.y[i]];
      if (m === null || !(m > 0)) {
        out.push(crossPath(cx, cy, cell * 0.15));
        continue;
      }
      const t = hi > lo ? (Math.log10(m) - lo) / (hi - lo) : 1;
      const length = cell * (0.35 + 0.55 * t);
      out.push(fieldArrowPath(cx, cy, -field.gx[i][j] / m, -field.gy[i][j] / m, length, cell * 0.3));
    }
  }
  return paths.flatMap((p, ci) => {
    if (!p.length) return [];
    const st = styleAt(config, ci);
    const shape = pathShape(p.join(""), { color: st.color, width: look.line * Math.min(st.width, 3) });
    return [{ ...shape, fillcolor: st.head === "open" ? "#ffffff" : st.color }];
  });
}

/**
 * Where a stationary point's label goes: below it unless a sample point (and its number, written up
 * and to its right) sits there, then above, then to a side. Sizes in data units of the view.
 */
function labelPosition(p, label, samples, view, look) {
  // a character of the 15 px label is ~1.4% of the plot's width
  const w = 0.014 * (look.label / 15) * label.length * (view[1] - view[0]);
  const h = 0.1 * (view[3] - view[2]);
  const boxes = {
    "bottom center": [p[0] - w / 2, p[0] + w / 2, p[1] - h, p[1]],
    "top center": [p[0] - w / 2, p[0] + w / 2, p[1], p[1] + h],
    "middle right": [p[0], p[0] + w, p[1] - h / 2, p[1] + h / 2],
    "middle left": [p[0] - w, p[0], p[1] - h / 2, p[1] + h / 2],
  };
  const clear = ([x0, x1, y0, y1]) => !samples.some(([x, y]) => x >= x0 - 0.1 * w && x <= x1 && y >= y0 - 0.4 * h && y <= y1);
  return Object.keys(boxes).find((k) => clear(boxes[k])) ?? "bottom center";
}

/** Stationary points by type, each named as the server names it ("minimum", "rotational equilibrium"). */
export function stationaryTrace(analysis, samples = [], view = null, look = { label: 15, marker: 1 }) {
  const pts = analysis?.stationary_points ?? [];
  return {
    type: "scatter", mode: "markers+text", name: "stationary points",
    x: pts.map((p) => p.point[0]), y: pts.map((p) => p.point[1]),
    text: pts.map((p) => p.label),
    textposition: view ? pts.map((p) => labelPosition(p.point, p.label, samples, view, look)) : "bottom center",
    textfont: { size: look.label, color: "#000" }, cliponaxis: false,
    marker: { symbol: pts.map((p) => STATIONARY_SYMBOL[p.type] ?? "square"), size: 18 * look.marker, color: "#F0E442",
      line: { color: "#000", width: 2 * look.marker } },
    customdata: pts.map((p) => p.meaning),
    hovertemplate: "%{text} at (%{x:.3g}, %{y:.3g})<br>%{customdata}<extra></extra>",
  };
}

// A path is drawn through the steps that move it at least 1/DETAIL of the view, at most MAX_DRAWN of
// them: 10,000 steps creeping along a valley floor draw as the same line from a few hundred, and
// playback redraws every path on every frame, so 32 points x 10,000 steps went at 3 frames a second.
const DETAIL = 1500;
const MAX_DRAWN = 1500;
const drawnCache = new WeakMap(); // run's points -> {tol, steps}: a run and a view decimate once

/** The steps of a run worth drawing at tolerance `tol`: the first, the last, and each that moved. */
export function drawnSteps(points, tol) {
  const hit = drawnCache.get(points);
  if (hit && hit.tol === tol) return hit.steps;
  let steps = [0];
  let [lx, ly] = points[0];
  for (let s = 1; s < points.length - 1; s++) {
    const [x, y] = points[s];
    if (Math.abs(x - lx) >= tol || Math.abs(y - ly) >= tol || !Number.isFinite(x + y)) {
      steps.push(s);
      [lx, ly] = [x, y];
    }
  }
  if (points.length > 1) steps.push(points.length - 1);
  if (steps.length > MAX_DRAWN) { // a long orbit that keeps moving: every k-th, the ends kept
    const k = Math.ceil(steps.length / MAX_DRAWN);
    steps = steps.filter((_, i) => i % k === 0 || i === steps.length - 1);
  }
  drawnCache.set(points, { tol, steps });
  return steps;
}

const tolerance = (view) => Math.min(view[1] - view[0], view[3] - view[2]) / DETAIL;

/** The drawn steps up to and including `last` (the player's frame, drawn exactly). */
function stepsUpTo(steps, last) {
  let n = 0;
  while (n < steps.length && steps[n] <= last) n++;
  const upTo = steps.slice(0, n);
  if (upTo.at(-1) !== last) upTo.push(last);
  return upTo;
}

/** A run's points at `steps` onto a trace's x and y, then a gap so the next run is not joined to it. */
function appendPath(trace, points, steps) {
  for (const s of steps) {
    trace.x.push(points[s][0]);
    trace.y.push(points[s][1]);
  }
  trace.x.push(null);
  trace.y.push(null);
}

/**
 * Each trajectory: its whole path dotted, the trail up to `frame` solid and drawn in its classes
 * (one trace per class, each step's segment in the class of the step it reaches: colour, dash and
 * width, however long the run), and where it is now. Markers at each step only while there are few.
 */
export function trajectoryTraces(points, frame, config, view, look = { line: 1, marker: 1 }) {
  const ghost = { x: [], y: [] };
  const trails = config.classes.map(() => ({ x: [], y: [] }));
  const heads = { x: [], y: [], color: [], text: [] };
  const tol = tolerance(view);
  let drawn = 0;
  for (const p of points) {
    const t = p.traj;
    if (!t || !t.points.length) continue;
    const steps = drawnSteps(t.points, tol);
    appendPath(ghost, t.points, steps);
    const last = Math.min(frame, t.points.length - 1);
    const upTo = stepsUpTo(steps, last);
    drawn += upTo.length;
    for (let k = 1; k < upTo.length; k++) {
      const [a, b] = [t.points[upTo[k - 1]], t.points[upTo[k]]];
      const trail = trails[classIndex(config, t.classes[upTo[k]])];
      trail.x.push(a[0], b[0], null);
      trail.y.push(a[1], b[1], null);
    }
    if (last === 0) continue; // at the start, the sample point itself marks where it is
    heads.x.push(t.points[last][0]);
    heads.y.push(t.points[last][1]);
    heads.color.push(classStyle(config, t.classes[last]).color);
    heads.text.push(`step ${last}: ${t.classes[last]}`);
  }
  const markers = drawn <= 600; // beyond that, per-step markers cost more than they tell
  return [
    { type: "scatter", mode: "lines", name: "path", x: ghost.x, y: ghost.y, hoverinfo: "skip",
      line: { color: "rgba(0,0,0,0.55)", width: 2 * look.line, dash: "dot" } },
    ...trails.map((trail, i) => {
      const st = styleAt(config, i);
      return { type: "scatter", mode: markers ? "lines+markers" : "lines", name: `trajectory: ${config.classes[i].name}`,
        x: trail.x, y: trail.y, hoverinfo: "skip", line: { color: st.color, width: (st.width + 1) * look.line, dash: st.dash },
        marker: { size: 7 * look.marker, color: st.color, symbol: st.marker, line: { color: st.color, width: 1.5 } } };
    }),
    { type: "scatter", mode: "markers", name: "position", x: heads.x, y: heads.y, text: heads.text,
      hovertemplate: "%{text}<br>(%{x:.3g}, %{y:.3g})<extra></extra>",
      marker: { size: 15 * look.marker, color: heads.color, line: { color: "#fff", width: 2.5 * look.marker } } },
  ];
}

// Methods run beside the chosen one: told apart by dash and marker shape (never by colour alone);
// the HTML key above the plot names them.
export const COMPARE_DASH = ["dash", "dashdot", "longdash"];
const COMPARE_SYMBOL = ["square", "triangle-up", "diamond-wide"];

/** The comparison runs (p.others): each whole path dashed, and where each is at `frame`. */
export function comparisonTraces(points, frame, view, look = { line: 1, marker: 1 }) {
  const count = Math.max(0, ...points.map((p) => p.others?.length ?? 0));
  const tol = tolerance(view);
  const out = [];
  for (let c = 0; c < count; c++) {
    const path = { x: [], y: [] };
    const heads = { x: [], y: [] };
    for (const p of points) {
      const t = p.others?.[c]?.traj;
      if (!t || !t.points.length) continue;
      appendPath(path, t.points, drawnSteps(t.points, tol));
      const last = Math.min(frame, t.points.length - 1);
      heads.x.push(t.points[last][0]);
      heads.y.push(t.points[last][1]);
    }
    out.push(
      { type: "scatter", mode: "lines", name: `compare ${c + 1}`, x: path.x, y: path.y, hoverinfo: "skip",
        line: { color: "rgba(0,0,0,0.75)", width: 2.5 * look.line, dash: COMPARE_DASH[c % COMPARE_DASH.length] } },
      { type: "scatter", mode: "markers", name: `compare ${c + 1} now`, x: heads.x, y: heads.y, hoverinfo: "skip",
        marker: { size: 12 * look.marker, color: "#fff", symbol: COMPARE_SYMBOL[c % COMPARE_SYMBOL.length],
          line: { color: "#000", width: 2 * look.marker } } },
    );
  }
  return out;
}

export function pointsTrace(points, selected, look = { label: 15, marker: 1 }) {
  return {
    type: "scatter", mode: "markers+text", name: "sample points",
    x: points.map((p) => p.xy[0]), y: points.map((p) => p.xy[1]),
    text: points.map((_, i) => String(i + 1)), textposition: "top right",
    textfont: { size: look.label + 2, color: "#000" }, cliponaxis: false,
    marker: {
      size: points.map((_, i) => (i === selected ? 20 : 15) * look.marker), color: "#fff", symbol: "circle",
      line: { color: "#000", width: points.map((_, i) => (i === selected ? 5 : 2.5) * look.marker) },
    },
    customdata: points.map((p) => (p.grad ? `|v| ${num(p.grad.magnitude)}, ${p.grad.class}` : "")),
    hovertemplate: "point %{text} at (%{x:.3g}, %{y:.3g})<br>%{customdata}<extra></extra>",
  };
}

/** Each sample point's descent direction -v, a fixed length (the list gives |v|), outlined in black. */
export function gradientArrowShapes(points, view, config, look) {
  const len = 0.13 * Math.min(view[1] - view[0], view[3] - view[2]);
  const paths = config.classes.map(() => []);
  for (const p of points) {
    const g = p.grad;
    if (!g || g.magnitude === null || !(g.magnitude > 0)) continue;
    const [x, y] = p.xy;
    const hx = x - (g.gradient[0] / g.magnitude) * len;
    const hy = y - (g.gradient[1] / g.magnitude) * len;
    paths[classIndex(config, g.class)].push(arrowPath(x, y, hx, hy, len * 0.32));
  }
  const all = paths.flat().join("");
  if (!all) return [];
  const w = 4.5 * look.line;
  return [
    pathShape(all, { color: "#000", width: w + 3.5 }, "below"), // below the point markers they start from
    ...paths.flatMap((p, ci) => (p.length
      ? [pathShape(p.join(""), { color: styleAt(config, ci).color, width: w }, "below")] : [])),
  ];
}
