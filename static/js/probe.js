// The plot by keyboard: focus it (Tab) and the arrow keys walk a probe over the grid the server
// computed, the readout saying (politely, to a screen reader too) the loss and gradient at each node
// exactly as the pointer readout does; Enter adds a sample point there. A tap reads the spot it
// touches the same way. The probe's moves stay here: the page's arrow-key shortcuts yield to it.

import { nearestNode } from "./readout.js";

const STEP = 1 / 20; // of the grid per key press: the arrows' own spacing on the plot

export function bindProbe(plotEl, { field, read, add }) {
  let at = null; // [i, j] on the field's grid
  plotEl.tabIndex = 0;
  plotEl.dataset.keys = "own";
  plotEl.setAttribute("aria-keyshortcuts", "ArrowUp ArrowDown ArrowLeft ArrowRight Enter");
  const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [1, 0], ArrowDown: [-1, 0] };
  plotEl.addEventListener("keydown", (e) => {
    const f = field();
    if (!f) return;
    const n = f.x.length;
    if (e.key in moves) {
      e.preventDefault();
      const k = Math.max(1, Math.round((n - 1) * STEP));
      const [di, dj] = moves[e.key];
      const [i, j] = at ?? [Math.floor(n / 2), Math.floor(n / 2)];
      at = [Math.min(n - 1, Math.max(0, i + di * k)), Math.min(n - 1, Math.max(0, j + dj * k))];
      read([f.x[at[1]], f.y[at[0]]], true);
    } else if (e.key === "Enter" && at) {
      e.preventDefault();
      add(f.x[at[1]], f.y[at[0]]);
    }
  });
  plotEl.addEventListener("blur", () => { at = null; });
  return {
    /** A tap (or click) at data coordinates: read the node there. */
    tap(x, y) {
      const f = field();
      const node = f && nearestNode(f, [x, y]);
      if (node) read([f.x[node[1]], f.y[node[0]]], false);
    },
  };
}
