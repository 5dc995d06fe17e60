// The marks on the plot in words, under it: each stationary point's name, place and meaning, which
// a hover gives on the plot and which this list gives to the keyboard, a tap and a screen reader.

import { pair } from "./format.js";

export function renderMarks(list, analysis) {
  const points = analysis?.stationary_points ?? [];
  const key = JSON.stringify(points.map((p) => [p.label, p.point]));
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  list.replaceChildren(...points.map((p) => {
    const li = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = `${p.label[0].toUpperCase()}${p.label.slice(1)} at ${pair(p.point)}`;
    li.append(name, `: ${p.meaning}`);
    return li;
  }));
}
