// Each magnitude class's look, from the server (config.classes[i].style: colour, ink for text on it,
// dash, width, marker, glyph), in the server's order (vanishing, normal, exploding, undefined; the
// order is part of the API). The plot's arrows and trails, the run chart, the key and the badges in
// the lists all come through here, so colour is never the only cue and never defined twice.

import { num } from "./format.js";

/** A class's position in the server's list; an unknown name is the last (undefined) class. */
export function classIndex(config, name) {
  const i = config.classes.findIndex((c) => c.name === name);
  return i < 0 ? config.classes.length - 1 : i;
}

export function styleAt(config, index) {
  return config.classes[Math.min(index, config.classes.length - 1)].style;
}

export function classStyle(config, name) {
  return styleAt(config, classIndex(config, name));
}

/** Each class with its rule in words, by position: below vanish, between, above explode, not finite. */
export function classRules(config, { vanish, explode }) {
  const rules = [`|v| < ${num(vanish)}`, `${num(vanish)} to ${num(explode)}`, `|v| > ${num(explode)}`];
  return config.classes.map((c, i) => ({ ...c, index: i, rule: rules[i] ?? "not a finite number" }));
}

/** Fill `el` as the badge of class `name`: its glyph and name in white on the class's ink, its meaning on hover. */
export function paintBadge(el, config, name) {
  const i = classIndex(config, name);
  const st = styleAt(config, i);
  el.classList.add("badge");
  el.textContent = `${st.glyph} ${config.classes[i]?.name ?? name}`;
  el.style.background = st.ink;
  el.title = config.classes[i]?.meaning ?? "";
  return el;
}
