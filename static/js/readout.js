// What the pointer is over, in words under the plot: the loss and gradient at the nearest node of
// the grid the server computed. The nearest node, not an interpolation, so every number shown is
// one the server computed exactly at the coordinates shown beside it.

import { num, pair } from "./format.js";

export const IDLE = "Point at the plot to read the loss and gradient there.";

/** Row i, column j of the node of `field` nearest (x, y); null outside the grid. */
export function nearestNode(field, [x, y]) {
  const index = (axis, t) => {
    const n = axis.length;
    const k = Math.round(((t - axis[0]) / (axis[n - 1] - axis[0])) * (n - 1));
    return k >= 0 && k < n ? k : null;
  };
  const i = index(field.y, y);
  const j = index(field.x, x);
  return i === null || j === null ? null : [i, j];
}

/** `valueName` is the kind's: "loss", or a game's "f". */
export function describeNode(field, [i, j], valueName) {
  const g = [field.gx[i][j], field.gy[i][j]];
  return `At grid point ${pair([field.x[j], field.y[i]])}: ${valueName} ${num(field.value[i][j])}, `
    + `gradient v = ${pair(g)}, |v| = ${num(field.magnitude[i][j])}, ${field.class[i][j]}.`;
}

/** createReadout(el).show(field, [x, y] | null, valueName, announce): coalesced to one update per
 * animation frame; `announce` (the keyboard's probe) makes a screen reader say it, a mouse's hover not. */
export function createReadout(el) {
  let pending = null;
  let queued = false;
  el.textContent = IDLE;
  return {
    show(field, at, valueName, announce = false) {
      el.setAttribute("aria-live", announce ? "polite" : "off");
      pending = { field, at, valueName };
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        const node = pending.field && pending.at && nearestNode(pending.field, pending.at);
        el.textContent = node ? describeNode(pending.field, node, pending.valueName) : IDLE;
      });
    },
  };
}
