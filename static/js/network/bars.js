// The view's main picture: one bar per layer (input left, output right), its weight gradient's norm
// on a log axis between the vanishing and exploding thresholds, and the backward signal ‖dL/dh‖ as
// a line over the bars (the thing whose product over layers vanishes or explodes). Each bar says its
// class three ways: the class colour, a fill pattern, and a mark above it (all the server's class styles)
// (the badges' ▽ ● ▲ ✕), so colour is never the only cue. Pure builders, then a drawer.

import { latestOnly } from "../coalesce.js";
import { num } from "../format.js";
import { plotlyReady } from "../plot.js";
import { classIndex, styleAt } from "../classes.js";


/** "layer3" -> "3", "output" -> "output": the tick under each bar. */
export function layerTick(name) {
  return name.replace(/^layer/, "");
}

/** Decades [lo, hi] holding every positive finite value of the run (all steps) and both thresholds,
 * so that the axis stays put while the player moves through the steps. */
export function runRange(run, thresholds) {
  let lo = thresholds.vanish;
  let hi = thresholds.explode;
  for (const layer of run.layers) {
    for (const v of [...layer.weight_grad.norm, ...layer.signal_norm]) {
      if (v !== null && v > 0) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  return [Math.floor(Math.log10(lo)) - 0.3, Math.ceil(Math.log10(hi)) + 0.6];
}

/** Every `k`-th layer's tick (and the output's) for at most about `most` ticks, so 65 layers do not
 * print on top of each other; layers are at 1 .. n on the axis. */
export function layerTicks(layers, most) {
  const k = Math.max(1, Math.ceil(layers.length / most));
  const vals = [];
  layers.forEach((l, i) => {
    if (i % k === 0 || i === layers.length - 1) vals.push(i + 1);
  });
  if (vals.length > 1 && vals.at(-1) - vals.at(-2) < k) vals.splice(-2, 1); // room for "output"
  return { tickvals: vals, ticktext: vals.map((v) => layerTick(layers[v - 1].name)) };
}

/** The traces at recorded step `frame`: bars, marks for layers without a bar, and the signal line. */
export function barTraces(run, frame, config, range) {
  const x = run.layers.map((_, i) => i + 1);
  const norms = run.layers.map((l) => l.weight_grad.norm[frame]);
  const cls = run.layers.map((l) => classIndex(config, l.weight_grad.class[frame]));
  const style = (i) => styleAt(config, i);
  const drawn = norms.map((v) => (v !== null && v > 0 ? v : null));
  const missing = norms.map((v, i) => (drawn[i] === null ? i : -1)).filter((i) => i >= 0);
  const floor = 10 ** (range[0] + 0.25);
  return [
    {
      type: "bar", name: "weight gradient ‖g‖", x, y: drawn,
      marker: {
        color: cls.map((c) => style(c).color), line: { color: "#111", width: 1 },
        pattern: { shape: cls.map((c) => style(c).pattern ?? ""), fgcolor: "#fff", size: 7, solidity: 0.4 },
      },
      text: cls.map((c, i) => (drawn[i] === null ? "" : style(c).glyph)), textposition: "outside", cliponaxis: false,
      textfont: { size: 16, color: "#111" },
      customdata: run.layers.map((l, i) => [l.name, config.classes[cls[i]].name, num(norms[i]),
        num(l.weight_grad.rms[frame]), num(l.signal_norm[frame])]),
      hovertemplate: "%{customdata[0]}: ‖g‖ %{customdata[2]} (%{customdata[1]})<br>RMS %{customdata[3]}, "
        + "signal ‖dL/dh‖ %{customdata[4]}<extra></extra>",
    },
    { // a layer with no bar (a gradient of exactly 0, or not finite) still says what it is
      type: "scatter", mode: "text", name: "no bar", x: missing.map((i) => i + 1), y: missing.map(() => floor),
      text: missing.map((i) => (norms[i] === 0 ? `${style(cls[i]).glyph} 0` : style(cls[i]).glyph)),
      textfont: { size: 16, color: "#111" }, hoverinfo: "skip", cliponaxis: false,
    },
    {
      type: "scatter", mode: "lines+markers", name: "backward signal ‖dL/dh‖", x,
      y: run.layers.map((l) => (l.signal_norm[frame] > 0 ? l.signal_norm[frame] : null)),
      line: { color: "#111", width: 2 }, marker: { symbol: "diamond", size: 9, color: "#fff", line: { color: "#111", width: 2 } },
      hovertemplate: "signal ‖dL/dh‖ at %{x}: %{y:.3g}<extra></extra>",
    },
  ];
}

export function barLayout(run, config, range, compact) {
  const font = compact ? 12 : 16;
  const { vanish, explode } = config.thresholds;
  const line = (y, color) => ({ type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: y, y1: y,
    line: { color, width: 2, dash: "dash" }, layer: "above" });
  // the lines' names in the right margin, beside their lines, where no bar can be under them; a
  // phone has no margin to spare, so there they sit inside, on the side of the line away from the bars' tops
  const note = (y, name, color, side) => ({
    text: compact ? `${name} ${num(y)}` : `${name.replace(" ", "<br>")} ${num(y)}`, xref: "paper", x: compact ? 1 : 1.01,
    xanchor: compact ? "right" : "left", yref: "y", y: Math.log10(y), yanchor: compact ? side : "middle", align: "left",
    showarrow: false, font: { size: font - 2, color }, bgcolor: "rgba(255,255,255,0.85)" });
  return {
    margin: compact ? { l: 48, r: 8, t: 8, b: 44 } : { l: 70, r: 92, t: 10, b: 54 },
    font: { size: font, family: "system-ui, sans-serif", color: "#111" },
    xaxis: { ...layerTicks(run.layers, compact ? 7 : 12), tickmode: "array", tickangle: 0, // never turned on end range: [0.4, run.layers.length + 0.6],
      title: { text: "layer, input → output", standoff: 4 }, fixedrange: true, zeroline: false },
    yaxis: { type: "log", range, exponentformat: "power", title: { text: "‖g‖ and ‖dL/dh‖", standoff: 4 },
      fixedrange: true, zeroline: false },
    shapes: [line(vanish, styleAt(config, 0).color), line(explode, styleAt(config, 2).color)],
    annotations: [note(vanish, `${config.classes[0].name} below`, styleAt(config, 0).ink, "top"),
      note(explode, `${config.classes[2].name} above`, styleAt(config, 2).ink, "bottom")],
    bargap: 0.25, showlegend: false, hovermode: "closest", dragmode: false,
    paper_bgcolor: "#fff", plot_bgcolor: "#fff",
  };
}

/** The key above the bars: each class with its swatch (colour and pattern), mark, name and rule. */
export function drawBarKey(list, config) {
  const { vanish, explode } = config.thresholds;
  const rules = [`‖g‖ < ${num(vanish)}`, `${num(vanish)} to ${num(explode)}`, `‖g‖ > ${num(explode)}`, "not finite"];
  const items = config.classes.map((c, i) => {
    const li = document.createElement("li");
    li.innerHTML = `<span class="swatch" aria-hidden="true"></span><span class="badge"></span> <span class="rule"></span>`;
    li.children[0].dataset.class = String(i);
    li.children[1].dataset.class = String(i);
    li.children[1].textContent = c.name;
    li.children[2].textContent = rules[i];
    return li;
  });
  const signal = document.createElement("li");
  signal.innerHTML = `<span class="signal-key" aria-hidden="true">─◇─</span> backward signal ‖dL/dh‖`;
  list.replaceChildren(...items, signal);
}

/** createBars(el) -> {draw({run, frame, config, compact})}: Plotly.react with new arrays each frame. */
export function createBars(el) {
  let range = null;
  let rangeOf = null;
  let shown = null; // what is on screen: a render that changes neither run nor frame draws nothing
  async function drawNow({ run, frame, config, compact }) {
    if (shown && shown.run === run && shown.frame === frame && shown.compact === compact) return;
    const Plotly = await plotlyReady();
    if (rangeOf !== run) {
      range = runRange(run, config.thresholds);
      rangeOf = run;
    }
    await Plotly.react(el, barTraces(run, frame, config, range), barLayout(run, config, range, compact),
      { displayModeBar: false, responsive: true });
    shown = { run, frame, compact };
  }
  return { draw: latestOnly(drawNow) };
}
