// What the trained network does with the data: for a 2D task, p(class 1) over the task's window
// (blue to orange, Okabe-Ito, white at 0.5, the boundary p = 0.5 as a black line) under the training
// points, each class its own shape; for the regression, the data and the fitted curve. Drawn from
// the final parameters, once per run.

import { latestOnly } from "../coalesce.js";
import { plotlyReady } from "../plot.js";

const BLUE = "#0072B2";
const ORANGE = "#E69F00";
const CLASS_MARKER = [ // by label: 0, 1; told apart by shape as well as colour
  { symbol: "circle", color: BLUE, name: "class 0" },
  { symbol: "triangle-up", color: ORANGE, name: "class 1" },
];

export function boundaryTraces(run, compact) {
  const { boundary: b, data } = run;
  const size = compact ? 6 : 8;
  if (!b.p) { // regression: y against x
    return [
      { type: "scatter", mode: "markers", name: "data", x: data.x.map((p) => p[0]), y: data.y,
        marker: { size: size - 2, color: "rgba(0,114,178,0.55)" }, hovertemplate: "(%{x:.2f}, %{y:.2f})<extra></extra>" },
      { type: "scatter", mode: "lines", name: "fitted", x: b.x, y: b.y, line: { color: "#111", width: 3 },
        hovertemplate: "x %{x:.2f}: fitted %{y:.3g}<extra></extra>" },
    ];
  }
  const points = CLASS_MARKER.map((m, label) => {
    const idx = data.y.map((y, i) => (y === label ? i : -1)).filter((i) => i >= 0);
    return {
      type: "scatter", mode: "markers", name: m.name, x: idx.map((i) => data.x[i][0]), y: idx.map((i) => data.x[i][1]),
      marker: { symbol: m.symbol, size, color: m.color, line: { color: "#111", width: 1 } }, hoverinfo: "skip",
    };
  });
  return [
    { type: "heatmap", x: b.x, y: b.y, z: b.p, zmin: 0, zmax: 1, zsmooth: "fast", showscale: !compact,
      colorscale: [[0, BLUE], [0.5, "#ffffff"], [1, ORANGE]],
      colorbar: { title: { text: "p(1)", side: "top" }, thickness: 12, outlinewidth: 0, len: 1, x: 1.01, xpad: 4 },
      hovertemplate: "(%{x:.2f}, %{y:.2f}): p(class 1) %{z:.2f}<extra></extra>" },
    { type: "contour", x: b.x, y: b.y, z: b.p, showscale: false, hoverinfo: "skip", autocontour: false,
      contours: { coloring: "none", start: 0.5, end: 0.5, size: 1 }, line: { color: "#111", width: 3 } },
    ...points,
  ];
}

export function boundaryLayout(run, compact) {
  const font = { size: compact ? 12 : 15, family: "system-ui, sans-serif", color: "#111" };
  const b = run.boundary;
  const range = (a) => [a[0], a.at(-1)];
  return {
    margin: compact ? { l: 40, r: 10, t: 6, b: 36 } : { l: 50, r: b.p ? 64 : 14, t: 8, b: 42 },
    font,
    xaxis: { range: range(b.x), fixedrange: true, zeroline: false, title: { text: b.p ? "x₁" : "x", standoff: 2 } },
    yaxis: { fixedrange: true, zeroline: false, title: { text: b.p ? "x₂" : "y", standoff: 2 },
      ...(b.p ? { range: range(b.y), scaleanchor: "x", constrain: "domain" } : {}) },
    showlegend: false, dragmode: false, hovermode: "closest", paper_bgcolor: "#fff", plot_bgcolor: "#fff",
  };
}

export function createBoundary(el) {
  let shown = null;
  async function drawNow({ run, compact }) {
    if (shown?.run === run && shown?.compact === compact) return;
    const Plotly = await plotlyReady();
    await Plotly.react(el, boundaryTraces(run, compact), boundaryLayout(run, compact),
      { displayModeBar: false, responsive: true });
    shown = { run, compact };
  }
  return { draw: latestOnly(drawNow) };
}

export { CLASS_MARKER };
