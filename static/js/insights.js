// The insights panel: what each magnitude class means (from the server's config, with the current
// thresholds), and the server's lessons, each a few sentences with buttons that open its scenes.
// Nothing here names a loss or a method: the lessons do (/api/config), checked against the catalog.
// It also keeps the plot's key in step with the thresholds.

import { classRules, paintBadge } from "./classes.js";
import { drawLegend } from "./plot.js";

function lessonCard(lesson, openScene) {
  const card = document.createElement("article");
  const h = document.createElement("h3");
  h.textContent = lesson.title;
  card.append(h, ...lesson.text.map((t) => {
    const p = document.createElement("p");
    p.textContent = t;
    return p;
  }));
  for (const link of lesson.links ?? []) {
    const p = document.createElement("p");
    const a = document.createElement("a");
    a.href = link.href;
    a.textContent = link.label;
    p.append(a);
    card.append(p);
  }
  for (const scene of lesson.scenes) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = scene.label;
    b.addEventListener("click", () => openScene(scene.state));
    card.append(b);
  }
  return card;
}

export function createInsights(root, { config }, { openScene, legend }) {
  const list = root.querySelector("#class-meanings");
  root.querySelector(".cards").append(...config.lessons.map((lesson) => lessonCard(lesson, openScene)));
  let shown = null;
  return {
    render(state) {
      const key = `${state.vanish}|${state.explode}`;
      if (key === shown) return;
      shown = key;
      drawLegend(legend, config, state);
      list.replaceChildren(...classRules(config, state).flatMap((c) => {
        const dt = document.createElement("dt");
        dt.innerHTML = `<span></span> <span class="rule"></span>`;
        paintBadge(dt.firstChild, config, c.name);
        dt.lastChild.textContent = c.rule;
        const dd = document.createElement("dd");
        dd.textContent = c.meaning;
        return [dt, dd];
      }));
    },
  };
}
