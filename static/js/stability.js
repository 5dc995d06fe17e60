// The stability view: at one equilibrium (the one nearest the selected sample point, or the one a
// person picks), J's eigenvalues and the chosen method's update-map eigenvalues, each in its own
// complex plane (J's right half-plane attracts the flow; the update's unit circle decides the
// method), the spectral radius and the verdict in words. Every number is the server's
// (/api/analysis with method and lr); the verdicts' meanings are config.verdicts'. A method
// without an update map (Adam) is said so, and J's eigenvalues are still shown.

import { num, pair } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const SIZE = 150; // px: a plane's side; two fit side by side in the side column

/** Index of the stationary point nearest `to`, or -1 if there is none. */
export function nearestIndex(points, to) {
  let best = -1;
  let bestD = Infinity;
  points.forEach((p, i) => {
    const d = Math.hypot(p.point[0] - to[0], p.point[1] - to[1]);
    if (d < bestD) [best, bestD] = [i, d];
  });
  return best;
}

/** The point the view is about: the picked one, else the one nearest the selected sample point. */
export function focusIndex(state, points) {
  const to = state.equilibrium ?? state.points[state.selected] ?? null;
  return points.length ? (to ? nearestIndex(points, to) : 0) : -1;
}

/** "0.975 + 0.0433i", "-0.5", "0 − 0.5i": an eigenvalue [re, im] to 5 figures. */
export function complexText([re, im]) {
  if (Math.abs(im) <= 1e-12 * Math.max(1, Math.abs(re))) return num(re, 5);
  return `${num(Math.abs(re) <= 1e-15 ? 0 : re, 5)} ${im < 0 ? "−" : "+"} ${num(Math.abs(im), 5)}i`;
}

/** Eigenvalues in words, a conjugate pair as one "a ± bi". */
export function eigenText(eigenvalues) {
  const left = [...eigenvalues];
  const out = [];
  while (left.length) {
    const [re, im] = left.shift();
    const close = (u, v) => Math.abs(u - v) <= 1e-12 * Math.max(1, Math.abs(v));
    const k = im ? left.findIndex(([r, i]) => close(r, re) && close(i, -im)) : -1;
    if (k < 0) {
      out.push(complexText([re, im]));
      continue;
    }
    left.splice(k, 1);
    out.push(`${num(Math.abs(re) <= 1e-15 ? 0 : re, 5)} ± ${num(Math.abs(im), 5)}i`);
  }
  return out.join(", ");
}

/** How the error moves near the point, from the update's eigenvalues: a spiral when they are complex. */
function motion(update) {
  if (!update.eigenvalues) return "it flies away at once"; // the map overflowed: no eigenvalues were sent
  const turns = update.eigenvalues.some(([re, im]) => Math.abs(im) > 1e-12 * Math.max(1, Math.abs(re)));
  const ways = turns ? { diverges: "it spirals out", converges: "it spirals in", neutral: "it circles" }
    : { diverges: "it moves away", converges: "it closes in", neutral: "it neither closes in nor moves away" };
  return ways[update.verdict] ?? "";
}

/** The verdict in words: what the method at this lr does to the distance to the point, a step at a time;
 *  [the sentence, the verdict]. */
export function verdictText(method, lr, point) {
  const u = point.update;
  return [`${method.label} at lr ${num(lr, 6)} multiplies the distance to the ${point.label} at ${pair(point.point)} `
    + `by ${u.spectral_radius === null ? "more than a number can hold" : num(u.spectral_radius, 5)} a step near it (the spectral radius of its update map): ${motion(u)}.`,
  `Verdict: ${u.verdict}.`];
}

function el(name, attrs) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/**
 * A complex plane with the eigenvalues marked. `circle` draws the unit circle (the update map's
 * border between converging and not); otherwise the attracting half-plane Re > 0 is shaded.
 */
export function drawPlane(holder, eigenvalues, { circle, marker }) {
  const reach = Math.max(circle ? 1.25 : 1, ...eigenvalues.flat().map((v) => Math.abs(v) * 1.15));
  const at = (re, im) => [SIZE / 2 + (re / reach) * (SIZE / 2), SIZE / 2 - (im / reach) * (SIZE / 2)];
  const svg = el("svg", { viewBox: `0 0 ${SIZE} ${SIZE}`, width: SIZE, height: SIZE, "aria-hidden": "true" });
  svg.append(el("rect", { x: 0, y: 0, width: SIZE, height: SIZE, fill: "#fff", stroke: "#c9c9c4" }));
  if (circle) {
    svg.append(el("circle", { cx: SIZE / 2, cy: SIZE / 2, r: SIZE / 2 / reach, fill: "#e3eefa", stroke: "#0b57a4",
      "stroke-width": 2 }));
  } else {
    svg.append(el("rect", { x: SIZE / 2, y: 0, width: SIZE / 2, height: SIZE, fill: "#e3eefa" }));
  }
  svg.append(el("path", { d: `M0 ${SIZE / 2}H${SIZE}M${SIZE / 2} 0V${SIZE}`, stroke: "#4a4a4a", "stroke-width": 1 }));
  for (const [re, im] of eigenvalues) {
    const [x, y] = at(re, im);
    svg.append(marker === "diamond"
      ? el("path", { d: `M${x} ${y - 6}L${x + 6} ${y}L${x} ${y + 6}L${x - 6} ${y}Z`, fill: "#D55E00", stroke: "#000",
        "stroke-width": 1.5 })
      : el("circle", { cx: x, cy: y, r: 4.5, fill: "#F0E442", stroke: "#000", "stroke-width": 1.5 }));
  }
  const label = (text, x, y, anchor) => {
    const t = el("text", { x, y, "font-size": 11, "text-anchor": anchor, fill: "#4a4a4a" });
    t.textContent = text;
    svg.append(t);
  };
  label("Re", SIZE - 3, SIZE / 2 + 13, "end");
  label("Im", SIZE / 2 + 4, 11, "start");
  const r = SIZE / 2 / reach; // the unit circle's radius on screen; its label below it, clear of the markers
  if (circle) label("|z| = 1", Math.max(3, SIZE / 2 - r - 2), SIZE - 5, "start");
  holder.replaceChildren(svg);
}

/** The settings an answer was computed for, read off its own URL (so words never claim a newer lr). */
function askedFor(url) {
  const q = new URLSearchParams(url.split("?")[1]);
  return { method: q.get("method"), lr: Number(q.get("lr")) };
}

function numbers(dl, rows) {
  dl.replaceChildren(...rows.flatMap(([term, value]) => {
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = term;
    dd.textContent = value;
    return [dt, dd];
  }));
}

/** createStability(root, {config}, {change}) -> {render(state, lab)}; lab as scene.js collects it. */
export function createStability(root, { config }, { change }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const [pick, verdict, meaning, planeJ, planeM, figureM, dl, flow] = ["stability-pick", "stability-verdict",
    "stability-meaning", "stability-j", "stability-m", "stability-m-figure", "stability-numbers", "stability-flow"].map($);
  let shown = [];
  let points = [];
  pick.addEventListener("change", () => {
    const p = points[Number(pick.value)];
    change({ equilibrium: pick.value === "" || !p ? null : p.point });
  });

  function fillPick(state, focus) {
    const auto = document.createElement("option");
    auto.value = "";
    auto.textContent = "Nearest the selected point";
    pick.replaceChildren(auto, ...points.map((p, i) => {
      const o = document.createElement("option");
      o.value = String(i);
      o.textContent = `${p.label} at ${pair(p.point)}`;
      return o;
    }));
    pick.value = state.equilibrium && focus >= 0 ? String(focus) : "";
    pick.disabled = !points.length;
  }

  function say(text, hint = "", strong = "") {
    const b = document.createElement("strong");
    b.textContent = strong;
    verdict.replaceChildren(text, ...(strong ? [" ", b] : []));
    meaning.textContent = hint;
  }

  function show(state, got, method) {
    points = got.data.stationary_points;
    const focus = focusIndex(state, points);
    fillPick(state, focus);
    if (focus < 0) {
      say("The analysis found no stationary point in view, so there is no equilibrium to linearise about.");
      [planeJ, planeM].forEach((p) => p.replaceChildren());
      figureM.hidden = true;
      numbers(dl, []);
      flow.textContent = "";
      return;
    }
    const p = points[focus];
    drawPlane(planeJ, p.eigenvalues, { circle: false, marker: "diamond" });
    planeJ.setAttribute("aria-label", `J's eigenvalues at the ${p.label}: ${eigenText(p.eigenvalues)}`);
    const rows = [["J's eigenvalues", eigenText(p.eigenvalues)]];
    flow.textContent = `J's eigenvalues: ${p.meaning}`;
    figureM.hidden = !p.update;
    if (p.update) {
      const asked = askedFor(got.url);
      const [sentence, word] = verdictText(config.methods.find((m) => m.name === asked.method) ?? method, asked.lr, p);
      say(sentence, config.verdicts[p.update.verdict] ?? "", word);
      const lams = p.update.eigenvalues;
      const lamText = lams ? eigenText(lams) : "too large for a number to hold";
      drawPlane(planeM, lams ?? [], { circle: true, marker: "circle" });
      planeM.setAttribute("aria-label", `The update map's eigenvalues: ${lamText}, against the unit circle`);
      rows.splice(1, 0, ["Update's eigenvalues", lamText],
        ["Spectral radius", lams ? num(p.update.spectral_radius, 5) : "overflows"]);
    } else {
      say(`${method.label} has no update map to linearise, so whether it converges here cannot be read off `
        + `eigenvalues; J's eigenvalues still say what the flow does at the ${p.label} at ${pair(p.point)}.`);
    }
    numbers(dl, rows);
  }

  return {
    render(state, lab) {
      const method = config.methods.find((m) => m.name === state.method);
      const got = method?.update_map ? lab.stability : lab.analysis;
      const key = [got.data, got.fresh, got.error, state.selected, state.points[state.selected], state.equilibrium,
        state.method];
      if (key.every((k, i) => k === shown[i])) return;
      shown = key;
      root.setAttribute("aria-busy", String(!got.fresh && !got.error));
      if (got.error) {
        say(`The stability analysis could not be computed: ${got.error}`);
        return;
      }
      if (!got.data) say("Computing…");
      else if (got.fresh || !verdict.textContent || verdict.textContent === "Computing…") show(state, got, method);
      // for bench/lab_browser.py: the current answer's words are on screen at the next frame
      if (got.fresh) requestAnimationFrame(() => performance.mark("stability-drawn"));
    },
  };
}
