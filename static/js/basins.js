// The convergence map: where each start of a grid ends (/api/basins), drawn under the field on the
// plot's landscape layer and named in a key. Every cell is classed by the server; this module only
// gives each status a look (a hue, light to dark by the steps the start took, and a glyph drawn on a
// sparse lattice of cells, so no status is told by colour alone) and says the counts in words. The
// statuses and their meanings are config.statuses; a status this module has no look for still gets
// one (grey, "?") and its name.

import { num, words } from "./format.js";

// Okabe-Ito hues (colour-blind safe), each with its own glyph; not the magnitude classes' own blue,
// green and vermillion, which the field's arrows drawn over the map wear.
const LOOKS = {
  converged: { color: "#56B4E9", glyph: "✓" },
  stalled: { color: "#F0E442", glyph: "–" },
  diverged: { color: "#E69F00", glyph: "✕" },
  max_steps: { color: "#8f8f8f", glyph: "○" },
  time_limit: { color: "#CC79A7", glyph: "…" },
};
const UNKNOWN = { color: "#444444", glyph: "?" };
const LIGHT = 0.6; // the fewest steps any start took draw the hue mixed this far toward white; the most, the hue
const GLYPH_EVERY = 6; // a glyph on every 6th cell each way: ~11 x 11 over a 64 x 64 map
const OPACITY = 0.7; // the landscape's contours stay faintly visible under the map

export const lookOf = (status) => LOOKS[status] ?? UNKNOWN;

function mix(hex, t) { // hex mixed with white by t (0: the hue, 1: white)
  const c = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
  return `rgb(${c.map((v) => Math.round(v + (255 - v) * t)).join(",")})`;
}

/** The statuses the map may show, in config order, with any the answer adds. */
function statusList(config, data) {
  const names = Object.keys(config.statuses);
  for (const row of data?.status ?? []) for (const s of row) if (s && !names.includes(s)) names.push(s);
  return names;
}

const CELL_PX = 8; // the map's picture has 8 x 8 pixels a cell: crisp cell edges, room for a glyph

/**
 * The map as a picture for the landscape layer (a Plotly layout image, which Plotly puts above every
 * trace and below the field's arrows, which are shapes): each cell in its status's hue, light to dark
 * by the steps its start took between the fewest and the most any start took, and a glyph on every
 * GLYPH_EVERY-th cell. Cells are drawn as blocks: interpolating between statuses would invent one.
 */
export function basinsImage(data, fewest, most, config) {
  const names = statusList(config, data);
  const [nx, ny] = [data.x.length, data.y.length];
  const canvas = document.createElement("canvas");
  [canvas.width, canvas.height] = [nx * CELL_PX, ny * CELL_PX];
  const ctx = canvas.getContext("2d");
  const share = (n) => (most > fewest ? (n - fewest) / (most - fewest) : 1);
  data.status.forEach((row, i) => row.forEach((status, j) => {
    ctx.fillStyle = mix(lookOf(status).color, LIGHT * (1 - share(data.steps[i][j])));
    ctx.fillRect(j * CELL_PX, (ny - 1 - i) * CELL_PX, CELL_PX, CELL_PX); // row i is y[i]: y grows upward
  }));
  Object.assign(ctx, { fillStyle: "#000", textAlign: "center", textBaseline: "middle",
    font: `bold ${Math.round(CELL_PX * 2.2)}px system-ui, sans-serif` });
  const half = Math.floor(GLYPH_EVERY / 2);
  for (let i = half; i < ny; i += GLYPH_EVERY) {
    for (let j = half; j < nx; j += GLYPH_EVERY) {
      ctx.fillText(lookOf(data.status[i][j]).glyph, (j + 0.5) * CELL_PX, (ny - 0.5 - i) * CELL_PX);
    }
  }
  const step = (v) => (v.length > 1 ? v[1] - v[0] : 1);
  const [dx, dy] = [step(data.x), step(data.y)];
  return {
    source: canvas.toDataURL("image/png"), xref: "x", yref: "y", layer: "above", sizing: "stretch",
    x: data.x[0] - dx / 2, y: data.y.at(-1) + dy / 2, sizex: dx * nx, sizey: dy * ny, xanchor: "left", yanchor: "top",
    opacity: OPACITY,
  };
}

/** How many cells ended in each status. */
export function counts(data) {
  const out = {};
  for (const row of data.status) for (const s of row) out[s] = (out[s] ?? 0) + 1;
  return out;
}

function keyItem(config, name, count) {
  const look = lookOf(name);
  const dt = document.createElement("dt");
  dt.innerHTML = `<span class="swatch" aria-hidden="true"></span> <strong></strong> <span class="count"></span>`;
  const swatch = dt.querySelector(".swatch");
  swatch.textContent = look.glyph;
  // light (few steps) to dark (all of them): the shading the map uses (CSSOM, which the CSP allows)
  swatch.style.background = `linear-gradient(90deg, ${mix(look.color, LIGHT)}, ${look.color})`;
  dt.querySelector("strong").textContent = words(name);
  dt.querySelector(".count").textContent = `${count} cell${count === 1 ? "" : "s"}`;
  const dd = document.createElement("dd");
  dd.textContent = config.statuses[name] ?? "";
  return [dt, dd];
}

/** Whether an answer for `url` is of the same loss as `wanted`: a map of another loss is never drawn. */
function sameLoss(url, wanted) {
  const q = (u) => new URLSearchParams(u.split("?")[1]);
  const [a, b] = [q(url), q(wanted)];
  return ["loss", "expr", "expr_y", "kind"].every((k) => a.get(k) === b.get(k));
}

/** createBasins(root, {config}, {change, timing}) -> {render(state, lab) -> what the plot draws, or null}. */
export function createBasins(root, { config }, { change, timing }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const [toggle, caption, key] = ["basins-on", "basins-caption", "basins-key"].map($);
  const idle = caption.textContent;
  toggle.addEventListener("change", () => {
    if (toggle.checked) { // for bench/lab_browser.py: asked for, then drawn with the map
      performance.mark("basins-asked");
      timing?.waitFor("basins-drawn", ["basins"]);
    }
    change({ basins: toggle.checked });
  });
  let shown = [];
  let drawn = null;

  function describe(state, got, data) {
    const q = new URLSearchParams(got.url.split("?")[1]);
    const steps = Number(q.get("steps"));
    const label = config.methods.find((m) => m.name === q.get("method"))?.label ?? q.get("method");
    const clipped = state.steps > steps ? ` It runs ${steps} steps, the most a map may, of the ${state.steps} chosen.` : "";
    const cut = data.truncated ? " The server's time ran out first: the starts still running are marked time limit." : "";
    const taken = data.steps.flat();
    const [fewest, most] = [Math.min(...taken), Math.max(...taken)];
    const shade = most > fewest ? `its shade how many steps it took (light: ${fewest}, dark: ${most})`
      : `every start took ${most} step${most === 1 ? "" : "s"}`;
    caption.textContent = `Each of the ${data.x.length} × ${data.y.length} cells under the field is a start point, run `
      + `up to ${steps} steps of ${label} at lr ${num(Number(q.get("lr")), 6)}: its colour and glyph say how the run `
      + `ended, ${shade}.${clipped}${cut}${got.fresh ? "" : " Updating for the new settings…"}`;
    const c = counts(data);
    key.replaceChildren(...statusList(config, data).flatMap((name) => keyItem(config, name, c[name] ?? 0)));
    key.hidden = false;
    return { data, image: basinsImage(data, fewest, most, config) };
  }

  return {
    render(state, lab) {
      const got = lab.basins;
      const k = [state.basins, got.data, got.fresh, got.error, state.steps];
      if (k.every((v, i) => v === shown[i])) return drawn;
      shown = k;
      toggle.checked = state.basins;
      root.setAttribute("aria-busy", String(state.basins && !got.fresh && !got.error));
      drawn = null;
      key.hidden = true;
      if (!state.basins) caption.textContent = idle;
      else if (got.error) caption.textContent = `No convergence map: ${got.error}`;
      else if (!got.data || !sameLoss(got.url, got.wanted)) caption.textContent = "Computing where each start ends…";
      else drawn = describe(state, got, got.data);
      return drawn;
    },
  };
}
