// The insights panel: what each magnitude class means (from the server's config, with the current
// thresholds); it also keeps the plot's key in step with the thresholds. Buttons open the catalog
// loss (and, with data-method, the optimiser) illustrating each lesson. A button whose loss is not
// in the catalog is hidden rather than broken.

import { classRules } from "./format.js";
import { drawLegend } from "./plot.js";

export function createInsights(root, { config, losses }, { openLoss, legend }) {
  const list = root.querySelector("#class-meanings");
  for (const button of root.querySelectorAll("button[data-loss]")) {
    const entry = losses.find((l) => l.id === button.dataset.loss);
    button.hidden = !entry;
    button.addEventListener("click", () => openLoss(button.dataset.loss, button.dataset.method));
  }
  let shown = null;
  return {
    render(state) {
      const key = `${state.vanish}|${state.explode}`;
      if (key === shown) return;
      shown = key;
      drawLegend(legend, config, state);
      list.replaceChildren(...classRules(config, state).flatMap((c) => {
        const dt = document.createElement("dt");
        dt.innerHTML = `<span class="badge"></span> <span class="rule"></span>`;
        dt.firstChild.textContent = c.name;
        dt.firstChild.dataset.class = String(c.index);
        dt.lastChild.textContent = c.rule;
        const dd = document.createElement("dd");
        dd.textContent = c.meaning;
        return [dt, dd];
      }));
    },
  };
}
