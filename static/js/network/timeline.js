// The run over training, step on the x axis: the layer x step heat map of the gradient norm (log
// colour scale, the thresholds drawn as contour lines) and the loss curve. Both are drawn once per
// run; the player's position is a plain element over each chart, moved without Plotly (a Plotly
// redraw per frame would halve the frame rate, as curve.js found for the main page).

import { latestOnly } from "../coalesce.js";
import { num } from "../format.js";
import { plotlyReady } from "../plot.js";
import { layerTicks } from "./bars.js";

const FONT = (compact) => ({ size: compact ? 12 : 15, family: "system-ui, sans-serif", color: "#111" });

/** log10 of a positive finite norm, else null (a gradient of exactly 0 has no place on a log scale). */
const log10 = (v) => (v !== null && v > 0 ? Math.log10(v) : null);

export function heatTraces(run, config) {
  const z = run.layers.map((l) => l.weight_grad.norm.map(log10));
  const finite = z.flat().filter((v) => v !== null);
  const lo = Math.floor(Math.min(Math.log10(config.thresholds.vanish), ...finite));
  const hi = Math.ceil(Math.max(Math.log10(config.thresholds.explode), ...finite));
  const every = Math.max(1, Math.ceil((hi - lo) / 7));
  const tickvals = [];
  for (let t = lo; t <= hi; t += every) tickvals.push(t);
  const y = run.layers.map((_, i) => i + 1);
  const [v, e] = [config.thresholds.vanish, config.thresholds.explode].map(Math.log10);
  const edges = cellEdges(run.steps);
  const centres = run.steps.map((s, k) => (edges[k] + edges[k + 1]) / 2);
  return [
    { // a column from its recorded step to the next: the step's numbers hold until they are recorded again
      type: "heatmap", x: edges, y, z, zmin: lo, zmax: hi, colorscale: "Cividis", zsmooth: false,
      colorbar: { title: { text: "‖g‖", side: "top" }, tickvals, ticktext: tickvals.map((t) => `1e${t}`), thickness: 12,
        outlinewidth: 0, len: 1, x: 1.01, xpad: 4 },
      customdata: run.layers.map((l) => l.weight_grad.norm.map((n) => num(n))),
      text: run.layers.map((l) => run.steps.map(() => l.name)),
      hovertemplate: "%{text}, step %{x}: ‖g‖ %{customdata}<extra></extra>",
    },
    { // the two thresholds as lines through the map: where a layer crosses into vanishing or exploding
      type: "contour", x: centres, y, z, showscale: false, hoverinfo: "skip", autocontour: false,
      contours: { coloring: "none", start: v, end: e, size: e - v, showlabels: false },
      line: { color: "#fff", width: 2.5, dash: "dash", smoothing: 0 },
    },
  ];
}

/** A tick spacing of 1, 2 or 5 times a power of ten, whole steps, about `count` ticks over `span`. */
export function stepTick(span, count = 6) {
  const raw = Math.max(1, span / count);
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((d) => d >= raw);
}

/** The heat map's column edges: each recorded step to the next, the last as wide as the one before it. */
export function cellEdges(steps) {
  const last = steps.length > 1 ? steps.at(-1) - steps.at(-2) : 1;
  return [...steps, steps.at(-1) + last];
}

/** The step axis, in whole steps: to the last recorded step, or (for the heat map) to its last column's end. */
function stepAxis(run, cells) {
  const s = run.steps;
  const hi = Math.max(cells ? cellEdges(s).at(-1) : s.at(-1), s[0] + 1);
  return { title: { text: "step", standoff: 2 }, fixedrange: true, range: [s[0], hi], tick0: 0, dtick: stepTick(hi - s[0]) };
}

export function heatLayout(run, compact) {
  const n = run.layers.length;
  return {
    margin: compact ? { l: 52, r: 62, t: 6, b: 40 } : { l: 64, r: 80, t: 8, b: 46 },
    font: FONT(compact),
    xaxis: stepAxis(run, true),
    yaxis: { title: { text: "layer", standoff: 2 }, fixedrange: true, tickmode: "array",
      ...layerTicks(run.layers, compact ? 6 : 10), range: [0.5, n + 0.5] },
    dragmode: false, paper_bgcolor: "#fff", plot_bgcolor: "#fff",
  };
}

export function lossTraces(run) {
  return [{
    type: "scatter", mode: run.steps.length <= 101 ? "lines+markers" : "lines", x: run.steps, y: run.loss,
    line: { color: "#111", width: 2 }, marker: { size: 5, color: "#111" },
    hovertemplate: "step %{x}: loss %{y:.3g}<extra></extra>",
  }];
}

export function lossLayout(run, compact) {
  const positive = run.loss.filter((v) => v !== null && v > 0);
  const notes = run.status === "diverged"
    ? [{ text: `diverged at step ${run.diverged_at}`, x: run.diverged_at, xref: "x", y: 1, yref: "paper", yanchor: "top",
      xanchor: "right", showarrow: false, font: { color: "#b34e00", size: compact ? 12 : 15 } }] : [];
  return {
    margin: compact ? { l: 52, r: 14, t: 6, b: 40 } : { l: 64, r: 20, t: 8, b: 46 },
    font: FONT(compact),
    xaxis: stepAxis(run, false),
    yaxis: { title: { text: "loss", standoff: 2 }, fixedrange: true, type: positive.length ? "log" : "linear",
      exponentformat: "power" },
    annotations: notes, showlegend: false, dragmode: false, hovermode: "closest",
    paper_bgcolor: "#fff", plot_bgcolor: "#fff",
  };
}

/**
 * createTimeline(el, build) -> {draw({run, step, compact})}: `build(run, compact)` gives [traces,
 * layout], drawn once per run; `step` (a training step) moves the cursor alone.
 */
export function createTimeline(el, build) {
  const chart = document.createElement("div");
  const cursor = document.createElement("div");
  chart.className = "layer";
  cursor.className = "cursor";
  el.append(chart, cursor);
  let shown = null;
  let at = 0;
  let bound = false;

  function moveCursor() {
    const full = chart._fullLayout;
    if (!full?.xaxis) return;
    cursor.style.left = `${full.xaxis._offset + full.xaxis.l2p(at)}px`;
    cursor.style.top = `${full.yaxis._offset}px`;
    cursor.style.height = `${full.yaxis._length}px`;
  }

  async function drawNow({ run, step, compact }) {
    if (shown?.run !== run || shown?.compact !== compact) {
      const Plotly = await plotlyReady();
      const [traces, layout] = build(run, compact);
      await Plotly.react(chart, traces, layout, { displayModeBar: false, responsive: true });
      shown = { run, compact };
      if (!bound) chart.on("plotly_afterplot", moveCursor); // a resize redraws the axes: follow them
      bound = true;
    }
    at = step;
    moveCursor();
  }
  return { draw: latestOnly(drawNow) };
}

export const heatBuild = (config) => (run, compact) => [heatTraces(run, config), heatLayout(run, compact)];
export const lossBuild = (run, compact) => [lossTraces(run), lossLayout(run, compact)];
