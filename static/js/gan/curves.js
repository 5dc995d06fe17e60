// The run over training, recorded step on the x axis: how many modes the generator captures and the
// share of its samples near any mode (quality); and both players' gradient norms on a log axis with
// the vanishing and exploding thresholds (the state's, the server's defaults) drawn and named as
// lines, each point's class in its hover text. The class's style (colour, marker) is the server's.

import { classStyle } from "../classes.js";
import { latestOnly } from "../coalesce.js";
import { num } from "../format.js";
import { plotlyReady } from "../plot.js";
import { FONT } from "./dataspace.js";

const PLOT = { displayModeBar: false, responsive: true };

function baseLayout(run, compact) {
  return {
    font: FONT(compact), margin: { l: 52, r: 52, t: 30, b: 40 }, paper_bgcolor: "#fff", plot_bgcolor: "#fff",
    legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
    xaxis: { title: { text: "training step" }, range: [0, run.settings.steps || 1], zeroline: false },
  };
}

export function modesFigure(run, compact) {
  const k = run.modes.length;
  return {
    data: [
      { type: "scatter", mode: "lines+markers", name: "modes captured", x: run.steps, y: run.modes_captured,
        line: { color: "#111", width: 2.5 }, marker: { symbol: "circle", size: 6 },
        hovertemplate: "step %{x}: %{y} of " + k + " modes<extra></extra>" },
      { type: "scatter", mode: "lines+markers", name: "quality (right axis)", x: run.steps, y: run.quality, yaxis: "y2",
        line: { color: "#0b57a4", width: 2, dash: "dash" }, marker: { symbol: "square-open", size: 6 },
        hovertemplate: "step %{x}: quality %{y:.2f}<extra></extra>" },
    ],
    layout: { ...baseLayout(run, compact),
      yaxis: { title: { text: "modes captured" }, range: [0, k + 0.5], dtick: k > 12 ? 5 : 1, rangemode: "tozero" },
      yaxis2: { title: { text: "quality" }, overlaying: "y", side: "right", range: [0, 1.05], showgrid: false,
        tickvals: [0, 0.25, 0.5, 0.75, 1] } },
  };
}

const log10 = (v) => Math.log10(v);

export function gradsFigure(run, thresholds, config, compact) {
  const player = (key, name, dash, symbol) => ({
    type: "scatter", mode: "lines+markers", name, x: run.steps, y: run[`${key}_grad_norm`].map((v) => (v > 0 ? v : null)),
    line: { color: "#111", width: 2, dash }, marker: { size: 7, symbol,
      color: run[`${key}_grad_class`].map((c) => classStyle(config, c).color), line: { color: "#111", width: 1 } },
    text: run[`${key}_grad_class`], hovertemplate: `${name} at step %{x}: %{y:.3g}, %{text}<extra></extra>`,
  });
  const data = [player("g", "G ‖∇‖", "solid", "circle"), player("d", "D ‖∇‖", "dot", "diamond")];
  const finite = data.flatMap((t) => t.y).filter((v) => v > 0);
  const lo = Math.floor(Math.min(log10(thresholds.vanish), ...finite.map(log10))) - 0.2;
  const hi = Math.ceil(Math.max(log10(thresholds.explode), ...finite.map(log10))) + 0.6; // room for the line's name
  const line = (y, name, text, pos) => ({
    shape: { type: "line", xref: "paper", x0: 0, x1: 1, y0: y, y1: y, line: { color: classStyle(config, name).ink, width: 2, dash: "dash" } },
    note: { xref: "paper", x: 1, xanchor: "right", y: log10(y), yanchor: pos, text, showarrow: false,
      font: { color: classStyle(config, name).ink, size: compact ? 11 : 13 }, bgcolor: "rgba(255,255,255,0.8)" },
  });
  const lines = [line(thresholds.vanish, "vanishing", `vanishing below ${num(thresholds.vanish)}`, "top"),
    line(thresholds.explode, "exploding", `exploding above ${num(thresholds.explode)}`, "bottom")];
  return {
    data,
    layout: { ...baseLayout(run, compact), margin: { l: 60, r: 24, t: 30, b: 40 },
      yaxis: { title: { text: "gradient norm (log)" }, type: "log", range: [lo, hi], exponentformat: "power" },
      shapes: lines.map((l) => l.shape), annotations: lines.map((l) => l.note) },
  };
}

/** createCurves(modesEl, gradsEl, config) -> {draw({run, thresholds, compact}) -> Promise}. */
export function createCurves(modesEl, gradsEl, config) {
  const draw = latestOnly(async ({ run, thresholds, compact }) => {
    const Plotly = await plotlyReady();
    const m = modesFigure(run, compact);
    const g = gradsFigure(run, thresholds, config, compact);
    await Plotly.react(modesEl, m.data, m.layout, PLOT);
    await Plotly.react(gradsEl, g.data, g.layout, PLOT);
  });
  return { draw };
}
