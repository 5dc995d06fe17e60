// The run in words: the current step's summary under the bars (which layers vanish or explode, what
// the backward signal does on its way down, saturated and dead shares) and each chart's text
// alternative. Pure functions of the server's answer and config; the class names and rules are the
// server's, the numbers are printed to three figures.

import { num } from "../format.js";

const pct = (x) => `${Math.round(100 * x)}%`;

/** [1, 2, 3, 5, 7, 8] -> "1–3, 5, 7–8". */
export function spans(numbers) {
  const out = [];
  for (let i = 0; i < numbers.length; i++) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    out.push(j > i ? `${numbers[i]}–${numbers[j]}` : String(numbers[i]));
    i = j;
  }
  return out.join(", ");
}

/** Layers by index, as people say them: "layers 1–19 and the output layer". */
export function layerList(run, idx) {
  const hidden = idx.filter((i) => i < run.layers.length - 1).map((i) => i + 1);
  const output = idx.includes(run.layers.length - 1);
  const parts = [];
  if (hidden.length) parts.push(`${hidden.length === 1 ? "layer" : "layers"} ${spans(hidden)}`);
  if (output) parts.push("the output layer");
  return parts.join(" and ");
}

function classRule(config, i) {
  const { vanish, explode } = config.thresholds;
  return [`‖g‖ < ${num(vanish)}`, `${num(vanish)} ≤ ‖g‖ ≤ ${num(explode)}`, `‖g‖ > ${num(explode)}`, "not finite"][i];
}

/** One sentence per class present at `frame`: which layers, and the range of their norms. */
export function classSentences(run, frame, config) {
  return config.classes.flatMap((c, ci) => {
    const idx = run.layers.map((l, i) => (l.weight_grad.class[frame] === c.name ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) return [];
    const norms = idx.map((i) => run.layers[i].weight_grad.norm[frame]).filter((v) => v !== null);
    const range = norms.length > 1 ? ` (‖g‖ ${num(Math.min(...norms))} to ${num(Math.max(...norms))})`
      : norms.length ? ` (‖g‖ ${num(norms[0])})` : "";
    const name = c.name.charAt(0).toUpperCase() + c.name.slice(1);
    return [`${name} (${classRule(config, ci)}): ${layerList(run, idx)}${range}.`];
  });
}

/** What the backward signal does between the output and the first layer. */
export function signalSentence(run, frame) {
  const first = run.layers[0].signal_norm[frame];
  const out = run.layers.at(-1).signal_norm[frame];
  if (first === null || out === null || !(out > 0)) return "The backward signal is not a finite number.";
  const ratio = first / out;
  const change = ratio >= 1 ? `grows ${num(ratio)}-fold` : `shrinks ${num(1 / ratio)}-fold`;
  return `The backward signal ‖dL/dh‖ is ${num(out)} at the output and ${num(first)} at layer 1: it ${change} on its way down.`;
}

/** The hidden layers' share of saturated or dead units (`key`), on average and at most. */
function shareSentence(run, frame, key, word, rule) {
  const hidden = run.layers.slice(0, -1);
  if (!hidden.length || hidden[0][key] === null) return [];
  const shares = hidden.map((l) => l[key][frame]);
  const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
  const top = shares.indexOf(Math.max(...shares));
  if (!(shares[top] > 0)) return [`No unit is ${word} (${rule}).`];
  return [`${word.charAt(0).toUpperCase() + word.slice(1)} units (${rule}): ${pct(mean)} on average, most in layer `
    + `${top + 1} (${pct(shares[top])}).`];
}

/** How the run ended, in words: the status a person needs to read the rest. */
export function statusSentence(run, net) {
  const asked = run.settings.steps;
  if (run.status === "diverged") {
    return `Diverged at step ${run.diverged_at}: the loss, a gradient or a weight stopped being a finite number. `
      + `The steps recorded until then are shown.`;
  }
  if (run.status === "time_limit") {
    return `Stopped at step ${run.steps.at(-1)} of ${asked}: the server's time budget of ${net.limits.budget_s} s ran out. `
      + `The steps recorded until then are shown.`;
  }
  return `Trained for ${asked} steps, recorded every ${run.settings.record}.`;
}

/** The current step's summary: a headline and its sentences. */
export function stepSummary(run, frame, net, config) {
  const step = run.steps[frame];
  return {
    headline: `Step ${step} of ${run.steps.at(-1)}: loss ${num(run.loss[frame])}.`,
    lines: [
      ...classSentences(run, frame, config),
      signalSentence(run, frame),
      ...shareSentence(run, frame, "saturated", "saturated", `f′ < ${num(net.saturated_below)}`),
      ...shareSentence(run, frame, "dead", "dead", "off for the whole batch"),
    ],
  };
}

export function barsLabel(run, frame, net, config) {
  const s = stepSummary(run, frame, net, config);
  return `Gradient norm of each layer at step ${run.steps[frame]}, log scale. ${s.lines.join(" ")}`;
}

export function heatLabel(run) {
  const last = run.steps.length - 1;
  const at = (i, k) => num(run.layers[i].weight_grad.norm[k]);
  const out = run.layers.length - 1;
  return `Heat map of each layer's gradient norm over ${run.steps.at(-1)} steps, log colour scale. Layer 1: ${at(0, 0)} `
    + `at step 0, ${at(0, last)} at step ${run.steps[last]}. Output layer: ${at(out, 0)} at step 0, ${at(out, last)} `
    + `at step ${run.steps[last]}.`;
}

export function lossLabel(run) {
  const k = run.steps.length - 1;
  return `Training loss from ${num(run.loss[0])} at step 0 to ${num(run.loss[k])} at step ${run.steps[k]}`
    + `${run.status === "diverged" ? `; diverged at step ${run.diverged_at}` : ""}.`;
}

export function boundaryLabel(run) {
  const n = run.data.y.length;
  const last = run.steps.at(-1);
  const p = (run.boundary.p ?? [run.boundary.y]).flat().filter((v) => v !== null);
  if (!p.length) {
    return `After ${last} steps the network's output is not a finite number anywhere: there is no `
      + `${run.boundary.p ? "boundary" : "curve"} to draw.`;
  }
  if (!run.boundary.p) return `The fitted curve after ${last} steps over the ${n} training points.`;
  return `Decision boundary after ${last} steps: the network's probability of class 1 over the plane, from `
    + `${num(Math.min(...p), 2)} to ${num(Math.max(...p), 2)}, under the ${n} training points.`;
}
