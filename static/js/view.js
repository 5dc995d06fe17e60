// render(state, data): the picture, the lists and the charts from one state and what the loader
// holds for it. A field that failed to load leaves the last whole picture up, with the reason beside
// it, never a new frame on an old landscape; a new point's picture waits briefly for its data
// rather than draw twice.

import { sceneLabel, sceneTitle } from "./cells.js";
import { describe, methodNote, pointsReady } from "./scene.js";
import { lookFor } from "./look.js";
import { renderMarks } from "./marks.js";
import { kindEntry, sceneState, viewOf } from "./state.js";

export function createView({ config, losses }, parts) {
  const { plot, plotEl, figure, list, worked, curve, player, timing, compact, alertEl, cells } = parts;
  const { stability, basins, phase } = parts.lab; // the GAN lab's panels, each drawn from its own channel

  function showError(data) {
    const text = data.error ? `${data.error}${data.fieldFailed ? " The picture shown is the last one that loaded." : ""}` : "";
    alertEl.textContent = text;
    alertEl.hidden = !text;
  }

  function drawCurve(s, data, valueName) {
    const sel = data.points[s.selected];
    const traj = sel?.traj;
    return curve.draw({
      run: traj && traj.points.length ? { traj, index: s.selected, others: sel.others.filter((o) => o.traj) } : null,
      thresholds: { vanish: s.vanish, explode: s.explode }, valueName, frame: player.frame, compact,
    });
  }

  /** A scene beside the main one, on the main scene's axes: the picture only (the lists follow the main one). */
  function drawBeside(s, k, data, view, look) {
    const scene = sceneState(s, k);
    cells.title(k, sceneLabel(scene, k, config, losses), sceneTitle(scene, k, config, losses));
    if (!data.field || data.fieldFailed || data.landscapeStale) return Promise.resolve();
    const valueName = kindEntry(scene, config, losses).value_name;
    cells.cell(k).plotEl.setAttribute("aria-label", `${sceneTitle(scene, k, config, losses)}. ${describe(scene, data, losses)}`);
    return cells.cell(k).plot.draw({ field: data.field, analysis: data.analysis, points: data.points, selected: s.selected,
      view, frame: player.frame, look, valueName, phone: compact });
  }

  /** Draw; `generation` is the store's at the time, so a late draw cannot mark the figure current.
   * `beside` holds the data of the scenes beside the main one, in order. */
  function render(s, data, generation, isCurrent, retry, beside = []) {
    const all = [data, ...beside];
    const runs = all.flatMap((d) => d.points.flatMap((p) => [p.traj, ...p.others.map((o) => o.traj)])).filter(Boolean);
    player.setLength(Math.max(0, ...runs.map((t) => t.points.length - 1)));
    cells.sync(beside.length);
    if (beside.length) cells.title(0, sceneLabel(s, 0, config, losses), sceneTitle(s, 0, config, losses));
    list.render(data.points, s.selected, data.analysis);
    renderMarks(parts.marks, data.analysis);
    const sel = s.points[s.selected];
    worked.render(sel ? { xy: sel, index: s.selected } : null, data.derivation?.derivation ?? null,
      null, methodNote(s, data, config));
    showError(data);
    stability.render(s, data.lab);
    phase.render(s, data.lab);
    const underlay = basins.render(s, data.lab); // the convergence map, drawn on the landscape layer
    if (!data.field || data.fieldFailed || data.landscapeStale) return;
    if (timing.holding() && !pointsReady(data)) {
      retry(timing.holding());
      return;
    }
    timing.release();
    const valueName = kindEntry(s, config, losses).value_name;
    const look = lookFor({ present: s.present, compact, scenes: beside.length + 1,
      screen: { width: innerWidth, height: innerHeight } });
    const scene = {
      field: data.field, analysis: data.analysis, points: data.points, selected: s.selected,
      view: viewOf(s, losses, data.field), frame: player.frame, look, valueName, phone: compact, basins: underlay,
    };
    plotEl.setAttribute("aria-label", describe(s, data, losses));
    const complete = all.every((d) => d.complete);
    return Promise.all([plot.draw(scene), ...beside.map((d, i) => drawBeside(s, i + 1, d, scene.view, look))]).then(() => {
      if (player.playing) performance.mark("frame-drawn");
      if (isCurrent(generation)) figure.setAttribute("aria-busy", String(!complete));
      timing.reached(data.used);
      return drawCurve(s, data, valueName); // after the main picture, which matters first
    }).catch((err) => { // plotly.min.js did not load (a half-saved offline copy, say): say so, not a blank box
      alertEl.textContent = `The plot cannot be drawn: ${err.message}. Reload the page.`;
      alertEl.hidden = false;
    });
  }

  return { render };
}

/** Performance marks set once a picture with all of some channels on screen is drawn (bench/). */
export function createTiming() {
  const waits = [];
  let holdUntil = 0;
  return {
    waitFor(name, keys) { waits.push({ name, keys }); },
    reached(used) {
      for (let i = waits.length - 1; i >= 0; i--) {
        if (waits[i].keys.every((k) => used.has(k))) {
          performance.mark(waits[i].name);
          waits.splice(i, 1);
        }
      }
    },
    hold(ms) { holdUntil = performance.now() + ms; },
    /** ms left to wait for a new point's data, or 0. */
    holding() { return Math.max(0, holdUntil - performance.now()); },
    release() { holdUntil = 0; },
  };
}
