// The phase diagram: two settings swept (lr, a loss parameter or an option of the method, each over
// a range within its declared bounds) and each pair coloured by the spectral radius rho of the
// method's update map at an equilibrium (/api/phase), with the rho = 1 contour between converging and
// not. Clicking a cell, or moving to it with the arrow keys and pressing Enter, sets both settings
// in the state, so the picture follows. Cells where the equilibrium was lost, and a sweep with no
// equilibrium at all, are said in words.

import { latestOnly } from "./coalesce.js";
import { checkNumber } from "./controls.js";
import { num, pair } from "./format.js";
import { defaultAxes, defaultRange, settingPatch, settingValue, sweepable } from "./labstate.js";
import { plotlyReady } from "./plot.js";
import { methodOf, paramSpecs } from "./state.js";

// A diverging scale (ColorBrewer RdBu): blue below 1 (converges), white at 1, red above. Each side of
// rho = 1 takes half the colour bar and spans what the sweep holds there (at most a decade), so a
// radius of 1.01 shows red even beside radii of 0.5: the colour is log10(rho) over the side's reach.
const COLORSCALE = [[0, "#2166ac"], [0.25, "#92c5de"], [0.5, "#f7f7f7"], [0.75, "#f4a582"], [1, "#b2182b"]];
const TICKS = [0.1, 0.2, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 1.005, 1.01, 1.02, 1.05, 1.1, 1.25, 2, 5, 10];
const LEAST = Math.log10(1.005); // a side spans at least this much: a sweep all at 1 is not divided by zero
const LOST = "#9a9a9a";

/** The colour scale for these radii: colour(rho) in -1..1, and the rho ticks at their colours. */
export function colourScale(radius) {
  const logs = radius.flat().filter((r) => r !== null && r > 0).map(Math.log10);
  const below = Math.min(1, Math.max(LEAST, ...logs.map((l) => -l)));
  const above = Math.min(1, Math.max(LEAST, ...logs));
  const colour = (r) => {
    if (!(r > 0)) return -1; // a radius of 0: one step lands on the equilibrium, the bluest there is
    const l = Math.log10(r);
    return Math.max(-1, Math.min(1, l < 0 ? l / below : l / above));
  };
  const side = (ticks, reach) => { // three ticks a side at most, never crowded
    const out = [];
    let last = 0;
    for (const t of ticks) {
      const l = Math.abs(Math.log10(t));
      if (l <= reach + 1e-12 && l - last >= reach / 3.5) {
        out.push(t);
        last = l;
      }
    }
    return out;
  };
  const under = side(TICKS.filter((t) => t < 1).reverse(), below).reverse();
  const ticks = [...under, 1, ...side(TICKS.filter((t) => t > 1), above)];
  return { colour, tickvals: ticks.map(colour), ticktext: ticks.map(String) };
}

/** The index of the value in `axis` nearest `v`. */
export function nearestCell(axis, v) {
  let best = 0;
  axis.forEach((a, k) => { if (Math.abs(a - v) < Math.abs(axis[best] - v)) best = k; });
  return best;
}

/** The diagram's traces: the heat map, lost cells in grey, the rho = 1 contour, where the scene is, the cursor. */
export function phaseTraces(data, here, cursor, names) {
  const rho = data.spectral_radius;
  const { colour, tickvals, ticktext } = colourScale(rho);
  const z = rho.map((row) => row.map((r) => (r === null ? null : colour(r)))); // a lost cell has no colour
  const finite = rho.flat().filter((r) => r !== null);
  const traces = [{
    type: "heatmap", x: data.x, y: data.y, z, customdata: rho, zmin: -1, zmax: 1, colorscale: COLORSCALE,
    colorbar: { title: { text: "ρ", side: "top" }, tickvals, ticktext, thickness: 12, len: 0.9, x: 1.02, xpad: 0 },
    hovertemplate: `${names[0]} %{x:.4g}, ${names[1]} %{y:.4g}: ρ = %{customdata:.5g}<extra></extra>`,
  }];
  if (rho.flat().some((r) => r === null)) {
    traces.push({ type: "heatmap", x: data.x, y: data.y, z: rho.map((row) => row.map((r) => (r === null ? 1 : null))),
      colorscale: [[0, LOST], [1, LOST]], showscale: false, hovertemplate: "equilibrium lost<extra></extra>" });
  }
  if (finite.some((r) => r < 1) && finite.some((r) => r > 1)) {
    traces.push({ type: "contour", x: data.x, y: data.y, z: rho, autocontour: false, showscale: false, hoverinfo: "skip",
      contours: { start: 1, end: 1, size: 1, coloring: "none" }, line: { color: "#000", width: 3 } });
  }
  traces.push(
    { type: "scatter", mode: "markers", x: [here[0]], y: [here[1]], hoverinfo: "skip", name: "this scene",
      marker: { symbol: "circle-dot", size: 14, color: "#fff", line: { color: "#000", width: 2.5 } } },
    { type: "scatter", mode: "markers", x: [data.x[cursor[1]]], y: [data.y[cursor[0]]], hoverinfo: "skip", name: "cursor",
      marker: { symbol: "square-open", size: 15, color: "#000", line: { width: 3 } } },
  );
  return traces;
}

/** The diagram's geometry: each axis exactly spans its cells (a marker off the sweep never widens it). */
function layout(data, names, width) {
  const edges = (v) => {
    const half = v.length > 1 ? (v[1] - v[0]) / 2 : 0.5;
    return [v[0] - half, v.at(-1) + half];
  };
  const axis = (title, v) => ({ title: { text: title, standoff: 4 }, range: edges(v), zeroline: false, showgrid: false,
    ticks: "outside", fixedrange: true });
  return {
    width, height: Math.round(Math.min(340, Math.max(240, width * 0.8))), margin: { l: 58, r: 64, t: 8, b: 46 },
    font: { size: 13, family: "system-ui, sans-serif", color: "#111" },
    xaxis: axis(names[0], data.x), yaxis: axis(names[1], data.y),
    showlegend: false, hovermode: "closest", dragmode: false, paper_bgcolor: "#fff", plot_bgcolor: "#fff",
  };
}

/** The diagram in words: what was swept, where it converges, the best cell, and lost cells. */
export function phaseCaption(data, names, label, pointLabel) {
  const cells = data.x.length * data.y.length;
  const rho = data.spectral_radius;
  let below = 0;
  let best = null;
  rho.forEach((row, i) => row.forEach((r, j) => {
    if (r === null) return;
    if (r < 1) below++;
    if (!best || r < best.r) best = { r, i, j };
  }));
  const range = (k, axis) => `${names[k]} from ${num(axis[0], 4)} to ${num(axis.at(-1), 4)}`;
  const lost = data.lost ? ` In ${data.lost} cell${data.lost === 1 ? "" : "s"} the equilibrium was lost: Newton's method `
    + "found none near the base one there, so those cells (grey) have no radius." : "";
  return `Spectral radius ρ of ${label}'s update map at the ${pointLabel} ${pair(data.equilibrium)}, over `
    + `${range(0, data.x)} and ${range(1, data.y)}: ρ < 1 (it converges) in ${below} of ${cells} cells`
    + `${below && below < cells ? "; the black line is ρ = 1" : ""}.`
    + `${best ? ` Lowest ρ ${num(best.r, 5)}, at ${names[0]} ${num(data.x[best.j], 6)} and ${names[1]} ${num(data.y[best.i], 6)}.` : ""}`
    + lost;
}

/** The axis controls: a setting and its range for each side, bounded by the setting's declaration. */
function createAxisControls(root, onPick) {
  const sides = ["x", "y"].map((k) => ({
    select: root.querySelector(`#phase-${k}`), lo: root.querySelector(`#phase-${k}-lo`),
    hi: root.querySelector(`#phase-${k}-hi`),
  }));
  let axes = [];
  let built = "";
  const read = () => sides.map((side) => {
    const lo = checkNumber(side.lo);
    const hi = checkNumber(side.hi, Number(side.hi.value) > Number(side.lo.value) ? "" : `Must be above ${side.lo.value}.`);
    return lo === null || hi === null ? null : { name: side.select.value, lo, hi };
  });
  sides.forEach((side, k) => {
    side.select.addEventListener("change", () => onPick((state) => {
      const axis = axes.find((a) => a.name === side.select.value);
      const picked = [...state.phase];
      picked[k] = { name: axis.name, ...defaultRange(axis, state.lr) };
      return picked;
    }));
    for (const box of [side.lo, side.hi]) {
      box.addEventListener("input", () => onPick(() => {
        const got = read();
        return got.every(Boolean) ? got : null;
      }));
    }
  });
  return {
    show(state, offered) {
      axes = offered;
      const key = offered.map((a) => a.name).join();
      if (key !== built) {
        built = key;
        for (const side of sides) {
          side.select.replaceChildren(...offered.map((a) => new Option(a.label, a.name)));
        }
      }
      state.phase.forEach((range, k) => {
        const side = sides[k];
        const axis = offered.find((a) => a.name === range.name);
        side.select.value = range.name;
        for (const [box, v] of [[side.lo, range.lo], [side.hi, range.hi]]) {
          Object.assign(box, { min: axis.min, max: axis.max, step: axis.step ?? "any" });
          if (document.activeElement !== box) box.value = String(v);
        }
      });
    },
  };
}

/**
 * The diagram's cells for a mouse and a keyboard: a click uses the cell under it; the arrow keys move
 * the cursor (`move(di, dj)`) and Enter or Space uses the cell under it (`use()`).
 */
function bindCells(plotEl, { move, use, pick }) {
  const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowDown: [-1, 0], ArrowUp: [1, 0] };
  plotEl.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") use();
    else if (moves[e.key]) move(...moves[e.key]);
    else return;
    e.preventDefault();
  });
  let bound = false;
  return () => { // once Plotly has drawn: only then does the element have .on
    if (bound || !plotEl.on) return;
    bound = true;
    plotEl.on("plotly_click", (ev) => ev.points?.[0] && pick(ev.points[0].x, ev.points[0].y));
  };
}

/** The label the analysis gives the stationary point at `at`, or "equilibrium". */
function pointLabel(analysis, at) {
  const near = (analysis?.stationary_points ?? []).find((p) => Math.hypot(p.point[0] - at[0], p.point[1] - at[1])
    <= 1e-6 * Math.max(1, Math.hypot(...at)));
  return near?.label ?? "equilibrium";
}

/** createPhase(root, {config, losses}, {change}) -> {render(state, lab)}; lab as scene.js collects it. */
export function createPhase(root, { config, losses }, { change }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const [toggle, note, body, plotEl, cell, caption] = ["phase-on", "phase-note", "phase-body", "phase-plot",
    "phase-cell", "phase-caption"].map($);
  const idle = note.textContent;
  const draw = latestOnly(async (fig) => {
    const Plotly = await plotlyReady();
    await Plotly.react(plotEl, fig.traces, fig.layout, { displayModeBar: false, responsive: false });
  });
  // what is on screen: the state and answer it was drawn for, the axes, and the keyboard's cell
  const view = { state: null, data: null, axes: null, cursor: [0, 0], shown: [] };
  const offered = (s) => sweepable(paramSpecs(s, config, losses), methodOf(s, config), config);
  const names = () => view.axes.map((a) => a.label);
  const here = () => view.axes.map((a) => settingValue(view.state, a, paramSpecs(view.state, config, losses),
    methodOf(view.state, config)));
  const controls = createAxisControls(root, (next) => {
    const phase = view.state?.phase && next(view.state);
    if (phase) change({ phase });
  });

  toggle.addEventListener("change", () => {
    const phase = toggle.checked ? defaultAxes(offered(view.state), view.state.lr) : null;
    if (toggle.checked && !phase) { // nothing to sweep against lr: say so where the person looked
      toggle.checked = false;
      note.textContent = "Only the learning rate can be swept for this loss and method: a phase diagram needs two settings.";
      return;
    }
    change({ phase });
  });

  function describeCell() {
    const [i, j] = view.cursor;
    const r = view.data.spectral_radius[i][j];
    const [nx, ny] = names();
    cell.textContent = `${nx} ${num(view.data.x[j], 6)}, ${ny} ${num(view.data.y[i], 6)}: `
      + `${r === null ? "the equilibrium was lost here" : `ρ = ${num(r, 5)}, ${r < 1 ? "below" : "not below"} 1`}. `
      + "Enter uses these values.";
  }

  /** Set both settings to the cell's values: a state change, so the scene, its link and the picture follow. */
  function useCell() {
    const [i, j] = view.cursor;
    const round = (v) => Number(v.toPrecision(12)); // 0.07500000000000001 -> 0.075, for the link
    change(settingPatch(view.state, view.axes, [round(view.data.x[j]), round(view.data.y[i])]));
  }

  const bindClicks = bindCells(plotEl, {
    move(di, dj) {
      if (!view.data) return;
      const [i, j] = view.cursor;
      const clamp = (k, n) => Math.max(0, Math.min(n - 1, k));
      view.cursor = [clamp(i + di, view.data.y.length), clamp(j + dj, view.data.x.length)];
      describeCell();
      redraw();
    },
    use: () => view.data && useCell(),
    pick(x, y) {
      if (!view.data) return;
      view.cursor = [nearestCell(view.data.y, y), nearestCell(view.data.x, x)];
      describeCell();
      useCell();
    },
  });

  function redraw() {
    draw({ traces: phaseTraces(view.data, here(), view.cursor, names()), layout: layout(view.data, names(), plotEl.clientWidth) })
      .then(bindClicks)
      .catch((err) => { caption.textContent = `The phase diagram cannot be drawn: ${err.message}.`; });
  }

  function showData(state, data, analysis) {
    if (data !== view.data) view.cursor = here().map((v, k) => nearestCell(k ? data.y : data.x, v)).reverse();
    view.data = data;
    const label = methodOf(state, config)?.label ?? state.method;
    caption.textContent = phaseCaption(data, names(), label, pointLabel(analysis, data.equilibrium));
    describeCell();
    redraw();
  }

  /** Whether the panel can show a diagram for this state: "" if so, else why not, in words. */
  function obstacle(state) {
    const method = methodOf(state, config);
    return method?.update_map ? "" : `${method?.label ?? state.method} has no update map, so there is no spectral radius to sweep.`;
  }

  return {
    render(state, lab) {
      const got = lab.phase;
      const key = [state, got.data, got.fresh, got.error, lab.analysis.data];
      if (key.every((k, i) => k === view.shown[i])) return;
      [view.shown, view.state] = [key, state];
      toggle.checked = Boolean(state.phase);
      const why = state.phase ? obstacle(state) : "";
      root.setAttribute("aria-busy", String(Boolean(state.phase) && !why && !got.fresh && !got.error));
      note.textContent = why || idle;
      body.hidden = !state.phase || Boolean(why);
      if (body.hidden) return;
      view.axes = state.phase.map((a) => offered(state).find((x) => x.name === a.name));
      controls.show(state, offered(state));
      plotEl.setAttribute("aria-label", `Phase diagram of ${names().join(" against ")}: the arrow keys move between cells, `
        + "Enter uses a cell's values");
      plotEl.hidden = Boolean(got.error); // never a diagram of the last sweep beside the words of this one's failure
      if (got.error) {
        [caption.textContent, cell.textContent, view.data] = [`No phase diagram: ${got.error}`, "", null];
      } else if (!got.data) caption.textContent = "Computing the phase diagram…";
      else if (got.data !== view.data || got.fresh) showData(state, got.data, lab.analysis.data);
    },
  };
}
