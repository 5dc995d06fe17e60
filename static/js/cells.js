// The scenes beside the main one (side by side): one cell each, with its own plot, its title in
// words and two buttons, made and removed as the state's scene list grows and shrinks. The main
// scene's plot (#plot) is the first cell; the grid (app.css .plots) gives every cell the same size,
// and all share the main scene's axes, points and player frame.

import { createPlot } from "./plot.js";
import { paramValues } from "./state.js";
import { num } from "./format.js";

/** A picture in words: its loss, its parameters and its method, in full. */
export function describeScene(state, config, losses) {
  const entry = losses.find((l) => l.id === state.loss);
  const params = Object.entries(paramValues(state, config, losses)).map(([n, v]) => `${n} = ${num(v)}`);
  const method = config.methods.find((m) => m.name === state.method)?.label ?? state.method;
  const loss = entry ? entry.title : `custom ${state.expr}`;
  return `${loss}${params.length ? `, ${params.join(", ")}` : ""}; ${method}, lr ${num(state.lr)}`;
}

/** The same for scene k of a side-by-side comparison. */
export function sceneTitle(state, k, config, losses) {
  return `Scene ${k + 1}: ${describeScene(state, config, losses)}`;
}

/** The same, short enough for a cell's one line: the loss's id, its parameters, the method's name. */
export function sceneLabel(state, k, config, losses) {
  const params = Object.entries(paramValues(state, config, losses)).map(([n, v]) => `${n} ${num(v)}`);
  const loss = losses.some((l) => l.id === state.loss) ? state.loss : "custom";
  return `${k + 1}. ${[loss, ...params, state.method, `lr ${num(state.lr)}`].join(" · ")}`;
}

/**
 * createCells(container, mainTitle, config, {edit(k), remove(k), onClick, onView}) -> {sync(n), cell(k), title(k, text)}.
 * Cell 0 is the main plot's; cells 1.. are made here.
 */
export function createCells(container, mainTitle, config, actions) {
  const cells = [];

  function make(k) {
    const cell = document.createElement("div");
    cell.className = "scene-cell";
    cell.innerHTML = `<div class="scene-head"><p class="scene-title"></p>
      <button type="button" class="small" data-edit>Edit</button> <button type="button" class="small" data-remove>Remove</button></div>
      <div class="plot" role="img"></div>`;
    const [title, plotEl] = [cell.querySelector(".scene-title"), cell.querySelector(".plot")];
    cell.querySelector("[data-edit]").addEventListener("click", () => actions.edit(k));
    cell.querySelector("[data-remove]").addEventListener("click", () => actions.remove(k));
    container.append(cell);
    const plot = createPlot(plotEl, config, { onClick: actions.onClick, onHover: () => {}, onView: actions.onView });
    return { cell, title, plotEl, plot };
  }

  return {
    /** Have exactly n cells beside the main one. */
    sync(n) {
      while (cells.length < n) cells.push(make(cells.length + 1));
      while (cells.length > n) cells.pop().cell.remove();
      container.classList.toggle("side-by-side", n > 0);
      mainTitle.hidden = n === 0;
    },
    cell: (k) => cells[k - 1],
    /** The cell's short label on screen, and its full title for hover and for screen readers. */
    title(k, label, full) {
      const target = k === 0 ? mainTitle : cells[k - 1].title;
      target.textContent = label;
      target.title = full;
      if (k > 0) {
        for (const b of cells[k - 1].cell.querySelectorAll("button")) {
          b.setAttribute("aria-label", `${b.textContent} scene ${k + 1}`);
        }
      }
    },
  };
}
