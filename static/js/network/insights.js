// The view's Insights: the server's presets (config.network.presets), each a button that opens its
// run from the defaults (so no earlier knob leaks into the lesson) at step 0, and its one sentence.
// The preset on screen is marked, so a person can tell which lesson the picture is.

import { defaults, sanitize, toHash } from "./state.js";

export function createInsights(list, net, { open }) {
  const presets = net.presets.map((p) => {
    const item = document.createElement("li");
    item.className = "preset";
    item.innerHTML = `<button type="button"></button><p></p>`;
    const [button, sentence] = item.children;
    button.textContent = p.title;
    sentence.textContent = p.sentence;
    button.addEventListener("click", () => open(presetState(p, net)));
    return { p, item, button };
  });
  list.replaceChildren(...presets.map((x) => x.item));
  return {
    /** Mark the preset whose run is on screen (whatever step or speed it is shown at). */
    render(state) {
      const key = runHash(state, net);
      for (const { p, button } of presets) {
        button.setAttribute("aria-pressed", String(runHash(presetState(p, net), net) === key));
      }
    },
  };
}

export function presetState(preset, net) {
  return sanitize({ ...defaults(net), ...preset.settings }, net);
}

const runHash = (state, net) => toHash({ ...state, at: 0, speed: defaults(net).speed }, net);
