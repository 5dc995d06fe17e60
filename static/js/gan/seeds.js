// The seeds side by side: one small picture per seed (its samples and ticked modes at its latest
// frame, over its D), titled with its count in words, and the sentence that counts the collapses.
// A small multiple is static (no hover, no axes): it is there to be compared, the main picture to
// be read.

import { createDataSpace } from "./dataspace.js";
import { collapseWords } from "./words.js";

function cell(seed) {
  const item = document.createElement("li");
  item.className = "seed";
  item.innerHTML = `<p class="seed-title"></p><div class="chart seedplot" role="img"></div>`;
  item.firstChild.textContent = `Seed ${seed}: loading`;
  return item;
}

/** createSeeds(list, sentenceEl, ownEl, capture) -> {reset(seeds), draw(runs, run)}. */
export function createSeeds(list, sentenceEl, ownEl, capture) {
  let cells = [];
  return {
    reset(seeds) {
      cells = seeds.map((seed) => {
        const item = cell(seed);
        return { item, title: item.querySelector(".seed-title"), plot: createDataSpace(item.querySelector(".seedplot")),
          figure: item.querySelector(".seedplot") };
      });
      list.replaceChildren(...cells.map((c) => c.item));
    },
    /** Redraw seed `run`'s picture, and the sentence over all of them. */
    draw(runs, run) {
      const c = cells[run.index];
      const d = run.data;
      if (c && d) {
        const f = d.steps.length - 1;
        const words = `Seed ${d.settings.seed}: ${d.modes_captured[f]} of ${d.modes.length} modes at step ${d.steps[f]}, ${d.outcome[f]}`;
        c.title.textContent = words;
        c.figure.setAttribute("aria-label", words);
        c.plot.draw({ run: d, frame: f, small: true });
      }
      const { sentence, own } = collapseWords(runs, capture);
      sentenceEl.textContent = sentence;
      ownEl.textContent = own;
    },
  };
}
