// What the picture needs, read off the loader for the current state (the data half of
// render(state, data)), and the picture in words: for the plot's text alternative and for the note
// where the chosen method's first step differs from the plain step the worked example works.

import { sameLandscape } from "./api.js";
import { pair } from "./format.js";

/** Everything the loader holds for the state (or, with a prefix, a scene beside it), which of it is
 * current, and the first error. */
export function collect(state, loader, prefix = "") {
  const used = new Set();
  const take = (key) => {
    const got = loader.get(`${prefix}${key}`);
    if (got.fresh) used.add(key);
    return got;
  };
  const field = take("field");
  // another loss's landscape under this state's points and markers would be a picture of nothing
  const landscapeStale = Boolean(field.data) && !field.fresh && !sameLandscape(field.url, field.wanted);
  const analysis = take("analysis");
  const points = state.points.map((xy, i) => {
    const g = take(`grad:${i}`);
    const t = take(`traj:${i}`);
    const others = state.compare.map((method) => ({ method, ...take(`traj:${i}:${method}`) }));
    return {
      xy, grad: g.data, traj: t.data, error: g.error ?? t.error ?? others.find((o) => o.error)?.error,
      others: others.map((o) => ({ method: o.method, traj: o.data })),
    };
  });
  const derivation = take("derivation");
  const complete = [field, analysis].every((c) => c.fresh) && state.points.every((_, i) => used.has(`grad:${i}`)
    && used.has(`traj:${i}`) && state.compare.every((m) => used.has(`traj:${i}:${m}`)));
  // the GAN lab's panels: their own channels, never part of the picture's completeness or its error
  // (the map's is "used" once drawn, for the bench's mark; the picture's completeness ignores it)
  const lab = { analysis, stability: loader.get("stability"), basins: take("basins"), phase: loader.get("phase") };
  return {
    field: field.data, fieldFailed: Boolean(field.error), landscapeStale, analysis: analysis.data, points, used,
    complete, derivation: derivation.fresh ? derivation.data : null, lab,
    error: field.error ?? analysis.error ?? points.find((p) => p.error)?.error ?? derivation.error,
  };
}

/** Whether every sample point's gradient and run are current. */
export function pointsReady(data) {
  return data.points.every((_, i) => data.used.has(`grad:${i}`) && data.used.has(`traj:${i}`));
}

/** Where the worked step (one plain simultaneous step) and the chosen method's first step part ways. */
export function methodNote(state, data, config) {
  const next = data.derivation?.next;
  const first = data.points[state.selected]?.traj?.points[1];
  if (!next || !first) return null;
  const same = next.every((v, i) => Math.abs(v - first[i]) <= 1e-9 * Math.max(1, Math.abs(v)));
  if (same) return null;
  const label = config.methods.find((m) => m.name === state.method)?.label ?? state.method;
  return `This is one plain simultaneous gradient step. ${label}, with the options chosen, steps differently: `
    + `its first step from here lands at ${pair(first)}, as its trajectory shows.`;
}

/** The picture in words, for the plot's text alternative. */
export function describe(state, data, losses) {
  const entry = losses.find((l) => l.id === state.loss);
  const title = entry ? entry.title : `custom ${state.kind} ${state.expr}`;
  const stationary = (data.analysis?.stationary_points ?? []).map((p) => `${p.label} at ${pair(p.point)}`);
  const n = state.points.length;
  const map = state.basins && data.lab?.basins.data ? " Under the field, the convergence map: its key is in the Convergence map panel." : "";
  return `Loss landscape of ${title}. ${stationary.length ? `Stationary points: ${stationary.join("; ")}.` : "No stationary point in view."} `
    + `${n} sample point${n === 1 ? "" : "s"}.${map}`;
}
