// The selected point's run as a chart: |v| at every step on a log axis, between dashed lines at the
// two thresholds, so a gradient vanishing down a deep chain or blowing up past "exploding" is seen
// step by step, as GAN Lab's loss curves show training. The loss (a game's f) rides on a second
// axis, and a vertical line follows the player. Pure data in, Plotly.react out.

import { latestOnly } from "./coalesce.js";
import { num, words } from "./format.js";
import { plotlyReady } from "./plot.js";
import { classStyle, styleAt } from "./classes.js";
import { COMPARE_DASH } from "./traces.js";
import { linearTicks } from "./ticks.js";

export { linearTicks };

/** The log-axis range, in decades, that holds every finite positive |v| and both thresholds. */
export function logRange(magnitudes, { vanish, explode }) {
  const positive = magnitudes.filter((m) => m !== null && m > 0);
  const lo = Math.min(vanish, ...positive);
  const hi = Math.max(explode, ...positive);
  return [Math.log10(lo) - 0.5, Math.log10(hi) + 0.5];
}

/**
 * A linear range around the finite values (Plotly's autorange of an overlaying axis lags behind
 * react). At least 1% of their size wide, so a loss that barely moves draws as the flat line it
 * is rather than a cliff across the chart.
 */
export function linearRange(values) {
  const finite = values.filter((v) => v !== null && Number.isFinite(v));
  if (!finite.length) return [-1, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const span = (Math.max(hi - lo, 0.01 * Math.max(Math.abs(lo), Math.abs(hi))) || 1) * 1.12;
  const mid = (lo + hi) / 2;
  return [mid - span / 2, mid + span / 2];
}

/** The run in one sentence: what the chart shows, for its text alternative and caption. */
export function summarize(run, valueName, config) {
  const { traj, index } = run;
  const n = traj.points.length - 1;
  const m = traj.magnitudes;
  const beside = (run.others ?? []).map(({ method, traj: t }) => {
    const k = t.points.length - 1;
    return ` Beside it, ${methodLabel(config, method)}: |v| = ${num(t.magnitudes[k])} (${t.classes[k]}) at step ${k}, `
      + `${words(t.status)}.`;
  });
  // a run that converged has a vanishing |v| because it arrived: the class stays, the words say which
  const end = ["converged", "stalled"].includes(traj.status) ? `${traj.classes[n]}: ${words(traj.status)}` : traj.classes[n];
  return `Point ${index + 1}: |v| = ${num(m[0])} (${traj.classes[0]}) at step 0, `
    + `${num(m[n])} (${end}) at step ${n}; ${valueName} ${num(traj.values[0])} to ${num(traj.values[n])}; `
    + `${words(traj.status)}.${beside.join("")}`;
}

const methodLabel = (config, name) => config.methods.find((m) => m.name === name)?.label ?? name;

function traces(run, config, valueName, compact) {
  const { traj } = run;
  const steps = traj.points.map((_, s) => s);
  const markers = steps.length <= 121; // beyond that the markers merge into a band
  return [
    {
      type: "scatter", mode: markers ? "lines+markers" : "lines", name: "|v|", x: steps,
      y: traj.magnitudes.map((m) => (m !== null && m > 0 ? m : null)),
      line: { color: "#000", width: compact ? 1.5 : 2 },
      marker: {
        size: compact ? 5 : 6, color: traj.classes.map((c) => classStyle(config, c).color),
        symbol: traj.classes.map((c) => classStyle(config, c).marker),
      },
      customdata: traj.classes, hovertemplate: "step %{x}: |v| %{y:.3g}, %{customdata}<extra></extra>",
    },
    {
      type: "scatter", mode: "lines", name: valueName, x: steps, y: traj.values, yaxis: "y2",
      line: { color: "#777", width: 1.5, dash: "dot" },
      hovertemplate: `step %{x}: ${valueName} %{y:.3g}<extra></extra>`,
    },
    ...(run.others ?? []).map(({ method, traj: t }, c) => ({ // dashed as on the plot, named on hover
      type: "scatter", mode: "lines", name: methodLabel(config, method), x: t.points.map((_, k) => k),
      y: t.magnitudes.map((m) => (m !== null && m > 0 ? m : null)),
      line: { color: "rgba(0,0,0,0.7)", width: compact ? 1.5 : 2, dash: COMPARE_DASH[c % COMPARE_DASH.length] },
      hovertemplate: `${methodLabel(config, method)}, step %{x}: |v| %{y:.3g}<extra></extra>`,
    })),
  ];
}

function layout(run, thresholds, valueName, compact, config) {
  const valueRange = linearRange(run.traj.values);
  const ticks = linearTicks(valueRange);
  const n = Math.max(...[run.traj, ...(run.others ?? []).map((o) => o.traj)].map((t) => t.points.length - 1));
  const font = compact ? 12 : 16; // read from the back of a lecture hall
  // each note on its own side of its line, so the two never collide however far apart the lines are
  const threshold = (y, text, color, side) => [
    { type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: y, y1: y, line: { color, width: 1.5, dash: "dash" } },
    { text, xref: "paper", x: 0.01, yref: "y", y: Math.log10(y), xanchor: "left", yanchor: side, showarrow: false,
      font: { size: font - 1, color }, bgcolor: "rgba(255,255,255,0.8)" },
  ];
  // the first class lies below the vanishing line and the third above the exploding one (the API's order)
  const [below, above] = [config.classes[0].name, config.classes[2].name];
  const [vanishLine, vanishNote] = threshold(thresholds.vanish, `${below} below ${num(thresholds.vanish)}`, styleAt(config, 0).ink, "top");
  const [explodeLine, explodeNote] = threshold(thresholds.explode, `${above} above ${num(thresholds.explode)}`, styleAt(config, 2).ink, "bottom");
  return {
    margin: compact ? { l: 48, r: 64, t: 8, b: 36 } : { l: 64, r: 84, t: 10, b: 46 },
    font: { size: font, family: "system-ui, sans-serif", color: "#111" },
    xaxis: { title: { text: "step", standoff: 4 }, range: [0, Math.max(1, n)], zeroline: false, fixedrange: true },
    yaxis: { type: "log", title: { text: "|v|", standoff: 4 },
      range: logRange([run.traj, ...(run.others ?? []).map((o) => o.traj)].flatMap((t) => t.magnitudes), thresholds),
      exponentformat: "power", zeroline: false, fixedrange: true },
    yaxis2: { overlaying: "y", side: "right", title: { text: `${valueName} ${ticks.times}`.trim(), standoff: 4 },
      showgrid: false, range: valueRange, tickmode: "array", tickvals: ticks.tickvals, ticktext: ticks.ticktext,
      zeroline: false, fixedrange: true, tickfont: { color: "#555" } },
    shapes: [vanishLine, explodeLine],
    annotations: [vanishNote, explodeNote, ...statusNote(run.traj, font)],
    showlegend: false, hovermode: "closest", dragmode: false,
    paper_bgcolor: "#fff", plot_bgcolor: "#fff",
  };
}

/** "converged" (or "stalled") written where the run ended: its last |v| is small because it arrived (or stuck). */
function statusNote(traj, font) {
  if (!["converged", "stalled"].includes(traj.status)) return [];
  const n = traj.points.length - 1;
  const m = traj.magnitudes[n];
  if (!(m > 0)) return [];
  return [{ text: words(traj.status), x: n, y: Math.log10(m), xanchor: n > 0 ? "right" : "left", yanchor: "bottom",
    showarrow: false,
    font: { size: font, color: "#111" }, bgcolor: "rgba(255,255,255,0.85)" }];
}

/**
 * createCurve(el, caption, config) -> {draw({run: {traj, index} | null, thresholds, valueName, frame, compact})}.
 * The player's position is a plain element over the chart, moved without Plotly: a Plotly redraw
 * per animation frame halved the frame rate of playback.
 */
export function createCurve(el, caption, config) {
  const chart = document.createElement("div");
  const cursor = document.createElement("div");
  chart.className = "layer";
  cursor.className = "cursor";
  el.append(chart, cursor);
  let shownTraces = null; // the same trace objects while the run is the same: Plotly then skips recomputing
  let shown = null; // what the chart was last drawn for
  let at = 0; // the step the cursor marks
  let bound = false;

  function moveCursor() {
    const xa = chart._fullLayout?.xaxis;
    if (!xa) return;
    cursor.style.left = `${xa._offset + xa.l2p(at)}px`;
    cursor.style.top = `${chart._fullLayout.yaxis._offset}px`;
    cursor.style.height = `${chart._fullLayout.yaxis._length}px`;
  }

  async function drawNow({ run, thresholds, valueName, frame, compact }) {
    if (!run) {
      el.hidden = true;
      caption.textContent = "Add a point to see its gradient size, step by step.";
      shown = null;
      return;
    }
    el.hidden = false;
    const text = summarize(run, valueName, config);
    caption.textContent = text;
    el.setAttribute("aria-label", `Gradient size during the run. ${text}`);
    const key = { traj: run.traj, vanish: thresholds.vanish, explode: thresholds.explode, valueName, compact,
      others: (run.others ?? []).map((o) => o.traj) };
    const same = (a, b) => a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length
      && a.every((v, i) => v === b[i]));
    if (!shown || Object.keys(key).some((k) => !same(key[k], shown[k]))) {
      const Plotly = await plotlyReady();
      if (!shown || ["traj", "valueName", "compact", "others"].some((k) => !same(key[k], shown[k]))) {
        shownTraces = traces(run, config, valueName, compact);
      }
      await Plotly.react(chart, shownTraces, layout(run, thresholds, valueName, compact, config),
        { displayModeBar: false, responsive: true, staticPlot: compact });
      shown = key;
      if (!bound) chart.on("plotly_afterplot", moveCursor); // a resize redraws the axes: follow them
      bound = true;
    }
    at = Math.min(frame, chart._fullLayout.xaxis.range[1]);
    moveCursor();
  }

  return { draw: latestOnly(drawNow) };
}
