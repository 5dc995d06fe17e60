// What a person can ask of the picture, as changes to the store: add a point (clicked, random or
// typed), pan, zoom, try an expression, open a scene, reset. Nothing here draws.

import { ApiError, wantedUrls } from "./api.js";
import { roundTo } from "./format.js";
import { CUSTOM, MAX_SCENES, defaults, lossEntry, sanitize, sceneOf, viewOf } from "./state.js";

export function createIntents({ config, losses }, deps) {
  const { store, loader, player, timing, fieldN } = deps; // deps.controls is read when needed: made after us
  const change = (patch) => store.change(patch);

  function currentView() {
    return viewOf(store.state, losses, loader.get("field").data) ?? [-2, 2, -2, 2];
  }

  /** A point picked on the plot is rounded to what the view can show; a typed one is kept as typed. */
  function addPoint(x, y, how, typed = false) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    const v = currentView();
    const span = Math.min(v[1] - v[0], v[3] - v[2]);
    const points = [...store.state.points, typed ? [x, y] : [roundTo(x, span), roundTo(y, span)]];
    performance.mark(`point-added:${how}`);
    timing.hold(80); // the new point's picture waits this long for its data rather than draw twice
    change({ points, selected: points.length - 1 });
    const i = points.length - 1;
    timing.waitFor(`point-drawn:${how}`, [`grad:${i}`, `traj:${i}`]);
  }

  function addRandomPoint() {
    const [x0, x1, y0, y1] = currentView();
    const pad = 0.05;
    const r = (lo, hi) => lo + (hi - lo) * (pad + (1 - 2 * pad) * Math.random());
    addPoint(r(x0, x1), r(y0, y1), "button");
  }

  /** A typed point is wanted on screen: widen the view to it first. */
  function addTypedPoint(x, y) {
    const [x0, x1, y0, y1] = currentView();
    if (x < x0 || x > x1 || y < y0 || y > y1) {
      const lo = [Math.min(x0, x), Math.min(y0, y)];
      const hi = [Math.max(x1, x), Math.max(y1, y)];
      const pad = 0.1 * Math.max(hi[0] - lo[0], hi[1] - lo[1]);
      const span = Math.max(hi[0] - lo[0], hi[1] - lo[1]) + 2 * pad;
      store.quietly({ view: [lo[0] - pad, hi[0] + pad, lo[1] - pad, hi[1] + pad].map((c) => roundTo(c, span)) });
    }
    addPoint(x, y, "form", true);
  }

  function setView(view) {
    const span = Math.min(view[1] - view[0], view[3] - view[2]);
    change({ view: view.map((c) => roundTo(c, span)) });
  }

  /** Move the view by a quarter of its span: pan for keyboards and phones, where dragging is off. */
  function pan(dx, dy) {
    const [x0, x1, y0, y1] = currentView();
    const sx = (x1 - x0) / 4;
    const sy = (y1 - y0) / 4;
    setView([x0 + dx * sx, x1 + dx * sx, y0 + dy * sy, y1 + dy * sy]);
  }

  function zoom(factor) {
    const [x0, x1, y0, y1] = currentView();
    const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
    const [hx, hy] = [((x1 - x0) / 2) * factor, ((y1 - y0) / 2) * factor];
    setView([cx - hx, cx + hx, cy - hy, cy + hy]);
  }

  /** Try a typed expression before committing it: a refusal keeps the picture and says why. */
  async function applyExpression(text, kind, textY = null) {
    const expr = text.trim();
    if (!expr) {
      deps.controls.showExpressionError("Type an expression in x and y first, such as x^2 + 3y^2.");
      return;
    }
    const token = store.claim();
    const before = store.state;
    const patch = { loss: CUSTOM, expr, kind, exprY: textY?.trim() ?? "", params: {}, view: null };
    const candidate = sanitize({ ...before, ...patch }, config, losses);
    try {
      await loader.fetchOnce(wantedUrls(candidate, config, losses, { fieldN }).get("field"));
    } catch (err) {
      if (store.current(token)) deps.controls.showExpressionError(err instanceof ApiError ? err.message : String(err.message));
      return;
    }
    if (!store.current(token) || store.state !== before) return;
    deps.controls.showExpressionError(null);
    change(candidate);
  }

  /** A catalog loss as it is taught: its own scene (a run long enough for its lesson) over a fresh view. */
  function openLoss(id) {
    change({ loss: id, params: {}, view: null, ...(lossEntry({ loss: id }, losses)?.scene ?? {}) });
  }

  /** A lesson's scene: its own method, or plain gd, never whatever was chosen before. */
  function openScene(scene) {
    const base = defaults(config);
    const opened = { method: base.method, options: {}, params: {}, steps: base.steps, lr: base.lr };
    const own = (s) => ({ ...opened, ...(lossEntry({ loss: s.loss }, losses)?.scene ?? {}), ...s });
    const { side = [], ...main } = scene;
    change({ view: null, compare: [], scenes: side.map((s) => sceneOf({ ...defaults(config), ...own(s) })), ...own(main) });
  }

  /** A copy of the main scene beside it, to change into the one it is compared with. */
  function addScene() {
    const s = store.state;
    if (s.scenes.length >= MAX_SCENES - 1) return;
    change({ scenes: [...s.scenes, sceneOf(s)] });
  }

  function removeScene(k) {
    change({ scenes: store.state.scenes.filter((_, j) => j !== k - 1) });
  }

  /** Scene k becomes the main one, which the controls, the lists and the worked example follow. */
  function editScene(k) {
    const s = store.state;
    const scenes = s.scenes.slice();
    const main = sceneOf(s);
    const other = scenes[k - 1];
    scenes[k - 1] = main;
    change({ ...other, scenes });
  }

  function reset() {
    store.claim();
    deps.controls.showExpressionError(null);
    deps.controls.clearExpression();
    player.restart();
    change(defaults(config));
  }

  return { change, addPoint, addRandomPoint, addTypedPoint, setView, pan, zoom, applyExpression, openLoss, openScene,
    addScene, removeScene, editScene, reset };
}
