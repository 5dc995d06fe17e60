// How each magnitude class looks, in the server's order (config.classes: vanishing, normal, exploding,
// undefined; the order is part of the API). The one place: the plot's arrows and trails, the run
// chart, the key and the badges in the lists all take their colour, dash, width, marker and glyph
// from here. Okabe-Ito colours, told apart with any common colour-vision deficiency, and each class
// drawn differently too (dashed, solid, bold, a cross), so colour is never the only cue.

import { num } from "./format.js";

export const CLASS_STYLE = [
  { color: "#0072B2", ink: "#0072B2", dash: "3px,2px", width: 2, marker: "circle-open", glyph: "▽" }, // vanishing
  { color: "#009E73", ink: "#007a59", dash: "solid", width: 2, marker: "circle", glyph: "●" }, // normal
  { color: "#D55E00", ink: "#b34e00", dash: "solid", width: 4, marker: "diamond", glyph: "▲" }, // exploding
  { color: "#CC79A7", ink: "#a4507f", dash: "solid", width: 2, marker: "x-thin-open", glyph: "✕" }, // undefined
];
// `ink` is the colour darkened until white text on it passes WCAG AA (4.5:1), for badges.

/** A class's position in the server's list; an unknown name is the last (undefined) class. */
export function classIndex(config, name) {
  const i = config.classes.findIndex((c) => c.name === name);
  return i < 0 ? config.classes.length - 1 : i;
}

export function styleAt(index) {
  return CLASS_STYLE[Math.min(index, CLASS_STYLE.length - 1)];
}

export function classStyle(config, name) {
  return styleAt(classIndex(config, name));
}

/** Each class with its rule in words, by position: below vanish, between, above explode, not finite. */
export function classRules(config, { vanish, explode }) {
  const rules = [`|v| < ${num(vanish)}`, `${num(vanish)} to ${num(explode)}`, `|v| > ${num(explode)}`];
  return config.classes.map((c, i) => ({ ...c, index: i, rule: rules[i] ?? "not a finite number" }));
}

/** Fill `el` as the badge of class `name`: its glyph and name in white on the class's ink, its meaning on hover. */
export function paintBadge(el, config, name) {
  const i = classIndex(config, name);
  const st = styleAt(i);
  el.classList.add("badge");
  el.textContent = `${st.glyph} ${config.classes[i]?.name ?? name}`;
  el.style.background = st.ink;
  el.title = config.classes[i]?.meaning ?? "";
  return el;
}
