// The one state of the main view and who hears of its changes. A change is a patch, brought within
// what the catalog and config allow (state.js sanitize) and written to the URL hash, so any picture
// is a link. The latest choice wins: a token lets a slow check (an expression being tried) see that
// something newer has happened since it began.

import { fromHash, sanitize, toHash } from "./state.js";

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
      state = sanitize({ ...state, ...patch }, config, losses);
      history.replaceState(null, "", toHash(state, config));
      generation++;
      onChange(state);
    },
    /** Adopt what the hash says (a link pasted, Back), without writing it back. */
    load(hash) {
      state = fromHash(hash, config, losses);
      generation++;
      onChange(state);
    },
    /** Patch without announcing it (the next change or load will): a view widened for a typed point. */
    quietly(patch) {
      state = sanitize({ ...state, ...patch }, config, losses);
    },
  };
}
