// The view's Insights: the server's presets (config.gan.presets), each a button that opens its run
// from the defaults (so no earlier knob leaks into the lesson) and its sentence of what to look at.
// The preset on screen is marked (aria-pressed), so a person can tell which lesson the picture is.

import { defaults, sanitize, toHash } from "./state.js";

export function presetState(preset, gan) {
  return sanitize({ ...defaults(gan), ...preset.settings, options: { ...preset.options } }, gan);
}

/** A state's run, whatever the seed count shown beside it. */
const runHash = (state, gan) => toHash({ ...state, seeds: defaults(gan).seeds }, gan);

export function createInsights(list, gan, { open }) {
  const presets = gan.presets.map((p) => {
    const item = document.createElement("li");
    item.className = "preset";
    item.innerHTML = `<button type="button"></button><p></p>`;
    const [button, sentence] = item.children;
    button.textContent = p.label;
    sentence.textContent = p.look;
    button.addEventListener("click", () => open(presetState(p, gan)));
    return { p, button };
  });
  list.replaceChildren(...presets.map((x) => x.button.parentElement));
  return {
    render(state) {
      const key = runHash(state, gan);
      for (const { p, button } of presets) button.setAttribute("aria-pressed", String(runHash(presetState(p, gan), gan) === key));
    },
  };
}
