// The picture of data space at one recorded step: the discriminator's output (or the critic's value)
// on the server's grid as a heat map underneath, the real samples, the generated ones, the modes
// with each captured one ticked (a filled marker and "✓", a missed one open with "✗": never colour
// alone) and, for a penalty drawn on interpolates (WGAN-GP), each interpolate's segment from the
// real to the fake sample with |grad D(x_hat)| at x_hat, in colour and in its hover text.

import { latestOnly } from "../coalesce.js";
import { num } from "../format.js";
import { plotlyReady } from "../plot.js";

export const FONT = (compact) => ({ size: compact ? 12 : 14, family: "system-ui, sans-serif", color: "#111" });
const xs = (points) => points.map((p) => p[0]);
const ys = (points) => points.map((p) => p[1]);

function heatTrace(run, frame, compact, small) {
  const g = run.d_grid;
  return {
    // a 1D layout's grid is one row: drawn as a band around the line the samples lie on
    type: "heatmap", x: g.x, y: g.y.length > 1 ? g.y : [-0.15, 0.15],
    z: g.y.length > 1 ? g.values[frame] : [g.values[frame][0], g.values[frame][0]],
    colorscale: "RdBu", zsmooth: false, // cells as computed; "best" interpolates every pixel in JS (~0.3 s a draw)
    hoverinfo: small ? "skip" : undefined,
    showscale: !small,
    colorbar: { title: { text: g.label, side: "right" }, thickness: compact ? 10 : 14, len: 0.9, outlinewidth: 0 },
    hovertemplate: `x %{x:.2f}, y %{y:.2f}: ${g.label} %{z:.3g}<extra></extra>`,
  };
}

function modeTrace(run, frame, small) {
  const captured = run.captured[frame];
  return {
    type: "scatter", mode: "markers+text", name: "modes (✓ captured, ✗ missed)",
    x: xs(run.modes), y: ys(run.modes).map((y) => y ?? 0),
    marker: { size: small ? 9 : 13, color: captured.map((c) => (c ? "#111" : "#fff")),
      symbol: captured.map((c) => (c ? "circle" : "circle-open")), line: { color: "#111", width: 2 } },
    text: captured.map((c) => (c ? "✓" : "✗")), textposition: "top right",
    textfont: { size: small ? 11 : 16, color: "#111" },
    hovertext: captured.map((c, i) => `mode ${i + 1}: ${c ? "captured" : "missed"}`), hoverinfo: "text",
  };
}

/** Segments real -> fake, one trace with gaps, and x_hat coloured by |grad D(x_hat)|. */
function interpolateTraces(run, frame, compact) {
  const real = run.interpolate_real?.[frame];
  const fake = run.interpolate_fake?.[frame];
  const at = run.interpolates?.[frame];
  if (!real || !fake || !at || !real.length) return [];
  const norms = run.interpolate_grad_norm[frame];
  const seg = (k) => real.flatMap((r, i) => [r[k] ?? 0, fake[i][k] ?? 0, null]);
  return [
    { type: "scatter", mode: "lines", name: "real → fake segments", x: seg(0), y: seg(1), hoverinfo: "skip",
      line: { color: "rgba(40,40,40,0.45)", width: 1 } },
    { type: "scatter", mode: "markers", name: "interpolates x̂", x: xs(at), y: ys(at).map((y) => y ?? 0),
      // 0 to 2, so the penalty's target 1 sits mid-scale and a critic held to it reads as one colour
      marker: { size: compact ? 6 : 8, color: norms, colorscale: "Viridis", cmin: 0, cmax: 2, symbol: "diamond",
        line: { color: "#000", width: 0.5 },
        // beside D's colour bar on a wide screen; across the top on a phone, where two side by side crowd
        colorbar: compact
          ? { title: { text: "‖∇D(x̂)‖", side: "top" }, orientation: "h", x: 0.5, xanchor: "center", y: 1.01,
            yanchor: "bottom", len: 0.8, thickness: 8 }
          : { title: { text: "‖∇D(x̂)‖", side: "right" }, x: 1.16, thickness: 14, len: 0.9 } },
      text: norms.map((n) => `‖∇D(x̂)‖ = ${num(n)}`), hoverinfo: "text" },
  ];
}

export function dataTraces(run, frame, { compact = false, small = false } = {}) {
  const gen = run.generated[frame];
  return [
    heatTrace(run, frame, compact, small),
    { type: "scatter", mode: "markers", name: "real samples", x: xs(run.real), y: ys(run.real).map((y) => y ?? 0),
      marker: { size: small ? 2 : 3, color: "rgba(255,255,255,0.9)", line: { color: "#555", width: 0.5 } }, hoverinfo: "skip" },
    { type: "scatter", mode: "markers", name: "generated samples", x: xs(gen), y: ys(gen).map((y) => y ?? 0),
      marker: { size: small ? 3 : 4, color: "#000", symbol: "x-thin-open", line: { color: "#000", width: 1.2 } },
      hoverinfo: "skip" },
    ...(small ? [] : interpolateTraces(run, frame, compact)),
    modeTrace(run, frame, small),
  ];
}

export function dataLayout(run, { compact = false, small = false, title = "" } = {}) {
  const g = run.d_grid;
  const axis = (range) => ({ range, zeroline: false, showgrid: false, ticks: small ? "" : "outside",
    showticklabels: !small, fixedrange: true });
  return {
    margin: small ? { l: 4, r: 4, t: title ? 22 : 4, b: 4 } : { l: 44, r: 10, t: compact && run.interpolates ? 60 : 8, b: 30 },
    font: FONT(compact), showlegend: !small, title: title ? { text: title, font: { size: 13 }, y: 0.98 } : undefined,
    // below the x axis and its title, which it would otherwise cover
    legend: { orientation: "h", x: 0, y: compact ? -0.13 : -0.1, yanchor: "top", bgcolor: "rgba(255,255,255,0.85)" },
    xaxis: { ...axis([g.x[0], g.x.at(-1)]), title: small ? undefined : { text: "x₁", standoff: 2 } },
    yaxis: { ...axis(g.y.length > 1 ? [g.y[0], g.y.at(-1)] : [-0.15, 0.15]), scaleanchor: g.y.length > 1 ? "x" : undefined,
      title: small ? undefined : { text: "x₂" } },
    paper_bgcolor: "#fff", plot_bgcolor: "#fff",
  };
}

/** createDataSpace(el) -> {draw({run, frame, compact, small, title}) -> Promise}: one draw at a time, the newest wins. */
export function createDataSpace(el) {
  const draw = latestOnly(async ({ run, frame, compact, small, title }) => {
    const Plotly = await plotlyReady();
    await Plotly.react(el, dataTraces(run, frame, { compact, small }), dataLayout(run, { compact, small, title }),
      { displayModeBar: false, responsive: true, staticPlot: small });
  });
  return { draw };
}
