// A deck of scenes: an instructor adds the current picture, names it, says a sentence over it,
// reorders, and moves through the slides (in presentation mode, with N and Shift+N). A deck is
// state like any other, so it is one URL: "deck=builtin" for the course's own deck (from
// /api/config), or the slides themselves, each the hash of its whole picture. It can also be saved
// to a file and opened from one.

import { defaults, sanitize, sceneOf, toHash } from "./state.js";
import { describeScene } from "./cells.js";

export const BUILTIN = "builtin";

/** The hash of a whole picture from a lesson-style partial state (the server's built-in slides). */
function slideHash(partial, config, losses) {
  const base = defaults(config);
  const own = (s) => ({ method: base.method, options: {}, params: {}, steps: base.steps, lr: base.lr,
    ...(losses.find((l) => l.id === s.loss)?.scene ?? {}), ...s });
  const { side = [], ...main } = partial;
  const state = sanitize({ ...base, ...own(main), scenes: side.map((s) => sceneOf({ ...base, ...own(s) })) },
    config, losses);
  return toHash(state, config);
}

/** The slides a state's deck names: [{title, narration, hash}]. */
export function slidesOf(state, config, losses) {
  if (state.deck === BUILTIN) {
    return config.deck.slides.map((s) => ({ title: s.title, narration: s.narration, hash: slideHash(s.state, config, losses) }));
  }
  return Array.isArray(state.deck?.slides) ? state.deck.slides : [];
}

/** The picture without its deck: what a slide holds. */
function pictureHash(state, config) {
  return toHash({ ...state, deck: null, slide: -1, present: 0 }, config);
}

export function createDeck(root, bootstrap, { store, onFile }) {
  const { config, losses } = bootstrap;
  const list = root.querySelector("#deck-slides");

  function editable() {
    const s = store.state;
    return s.deck === BUILTIN || !s.deck ? { title: s.deck === BUILTIN ? config.deck.title : "My deck",
      slides: slidesOf(s, config, losses).map((x) => ({ ...x })) } : structuredClone(s.deck);
  }

  const actions = {
    add() {
      const s = store.state;
      const deck = editable();
      deck.slides.push({ title: describeScene(s, config, losses), narration: "", hash: pictureHash(s, config) });
      store.change({ deck, slide: deck.slides.length - 1 });
    },
    go(i) {
      const slides = slidesOf(store.state, config, losses);
      if (i < 0 || i >= slides.length) return;
      store.showSlide(slides[i].hash, { deck: store.state.deck, slide: i, present: store.state.present });
    },
    next: () => actions.go(store.state.slide + 1),
    previous: () => actions.go(store.state.slide - 1),
    move(i, by) {
      const deck = editable();
      const j = i + by;
      if (j < 0 || j >= deck.slides.length) return;
      [deck.slides[i], deck.slides[j]] = [deck.slides[j], deck.slides[i]];
      store.change({ deck, slide: store.state.slide === i ? j : store.state.slide === j ? i : store.state.slide });
    },
    remove(i) {
      const deck = editable();
      deck.slides.splice(i, 1);
      const slide = Math.min(store.state.slide, deck.slides.length - 1);
      store.change({ deck: deck.slides.length ? deck : null, slide });
    },
    rename(i, field, text) {
      const deck = editable();
      deck.slides[i][field] = text;
      store.change({ deck });
    },
    builtin: () => { store.change({ deck: BUILTIN, slide: -1 }); actions.go(0); },
    save() {
      const deck = editable();
      onFile(new Blob([JSON.stringify(deck, null, 1)], { type: "application/json" }), "gradient-flow-deck.json");
    },
    async open(file) {
      const deck = JSON.parse(await file.text());
      if (!Array.isArray(deck?.slides)) throw new Error("not a deck: it has no list of slides");
      store.change({ deck: { title: String(deck.title ?? "A deck"), slides: deck.slides.map((x) => ({
        title: String(x.title ?? ""), narration: String(x.narration ?? ""), hash: String(x.hash ?? "") })) }, slide: -1 });
      actions.go(0);
    },
  };

  function row(slide, i, current) {
    const li = document.createElement("li");
    if (i === current) li.setAttribute("aria-current", "true");
    li.innerHTML = `<div class="slide-names"><label>Name <input type="text" data-field="title"></label>
      <label>Narration <input type="text" data-field="narration"></label></div>
      <p class="actions"><button type="button" data-go>Show</button> <button type="button" data-up>Up</button>
      <button type="button" data-down>Down</button> <button type="button" data-remove>Remove</button></p>`;
    for (const input of li.querySelectorAll("input")) {
      input.value = slide[input.dataset.field];
      input.addEventListener("change", () => actions.rename(i, input.dataset.field, input.value));
    }
    const n = i + 1;
    const bind = (sel, label, fn) => {
      const b = li.querySelector(sel);
      b.setAttribute("aria-label", `${label} slide ${n}`);
      b.addEventListener("click", fn);
    };
    bind("[data-go]", "Show", () => actions.go(i));
    bind("[data-up]", "Move up", () => actions.move(i, -1));
    bind("[data-down]", "Move down", () => actions.move(i, 1));
    bind("[data-remove]", "Remove", () => actions.remove(i));
    return li;
  }

  let shown = null;
  return {
    actions,
    render(state) {
      const slides = slidesOf(state, config, losses);
      const key = JSON.stringify([slides, state.slide]);
      if (key === shown) return;
      shown = key;
      list.replaceChildren(...slides.map((slide, i) => row(slide, i, state.slide)));
      root.querySelector("#deck-empty").hidden = slides.length > 0;
    },
    /** What the presentation bar says: the slide, its number and its sentence. */
    note(state) {
      const slides = slidesOf(state, config, losses);
      const slide = slides[state.slide];
      return slide ? `Slide ${state.slide + 1} of ${slides.length}: ${slide.title}. ${slide.narration}` : null;
    },
  };
}
