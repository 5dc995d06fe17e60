// The one state of the main view and who hears of its changes. A change is a patch, brought within
// what the catalog and config allow (state.js sanitize) and written to the URL hash, so any picture
// is a link. A deliberate change (a new loss, method, scene or point, a zoom) is a new history
// entry, so Back returns to the picture before it and never leaves the app by surprise; a tick of a
// slider drag or a typed number only replaces the current entry. The latest choice wins: a token
// lets a slow check (an expression being tried) see that something newer has happened since it began.

import { fromHash, sanitize, toHash } from "./state.js";

// The fields whose change makes a new picture worth going Back to.
const DELIBERATE = ["loss", "expr", "exprY", "kind", "method", "compare", "points", "view", "deck", "slide", "present"];

function deliberate(before, after) {
  return DELIBERATE.some((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

export function createStore({ config, losses }, onChange) {
  let state = fromHash(location.hash, config, losses);
  let token = 0;
  let generation = 0; // bumped by every change, so a late draw cannot claim to be current

  return {
    get state() { return state; },
    get generation() { return generation; },
    /** A new token: any older one is now stale. */
    claim() { return ++token; },
    current(t) { return t === token; },
    change(patch) {
      token++;
      const before = state;
      state = sanitize({ ...state, ...patch }, config, losses);
      const hash = toHash(state, config);
      if (deliberate(before, state) && hash !== location.hash) history.pushState(null, "", hash);
      else history.replaceState(null, "", hash);
      generation++;
      onChange(state);
    },
    /** Adopt what the hash says (a link pasted, Back), without writing it back. */
    load(hash) {
      state = fromHash(hash, config, losses);
      generation++;
      onChange(state);
    },
    /** A deck's slide: the picture its hash holds, with the deck's own fields kept; a Back entry. */
    showSlide(hash, keep) {
      token++;
      state = sanitize({ ...fromHash(hash, config, losses), ...keep }, config, losses);
      history.pushState(null, "", toHash(state, config));
      generation++;
      onChange(state);
    },
    /** Patch without announcing it (the next change or load will): a view widened for a typed point. */
    quietly(patch) {
      state = sanitize({ ...state, ...patch }, config, losses);
    },
  };
}
