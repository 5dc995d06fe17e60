// The GAN lab's fields of the main view's state (state.js adds them to its one schema, so they are
// part of every link): whether the convergence map is shown, which two settings the phase diagram
// sweeps and over what ranges, and the equilibrium a person picked for the stability view. Also what
// can be swept: the learning rate, the loss's parameters and the method's options, each with the
// bounds the server declares (/api/config, /api/losses), never bounds of its own.

import { finite } from "./hash.js";

// A phase diagram's side has this many cells: 41 x 41 is 1681 radii, ~5 ms on the server, and a cell
// of the side column's plot stays a few pixels wide; a whole-number setting gets one cell per value.
export const PHASE_N = 41;
// A convergence map's starts per axis: 64 x 64 cells over the plot are ~10 px each on a projector,
// finer than the field's arrows, and 400 steps of gd on the Dirac-GAN take ~50 ms on the server.
export const BASINS_N = 64;

const BOOL = { parse: (s) => s === "1", format: (v) => (v ? "1" : "0") };
const POINT = { // x,y or empty: the equilibrium picked, or none (the one nearest the selected point)
  parse: (s) => {
    if (!s) return null;
    const xy = s.split(",").map(finite);
    if (xy.length !== 2) throw new Error("a point needs x,y");
    return xy;
  },
  format: (p) => (p ? p.join(",") : ""),
};
const PHASE = { // "lr:0.025:1.025,gamma:0:2": the x axis then the y axis, each name:lo:hi; empty when off
  parse: (s) => {
    if (!s) return null;
    const axes = s.split(",").map((a) => {
      const [name, lo, hi] = a.split(":");
      if (!name) throw new Error("an axis needs a name");
      return { name, lo: finite(lo), hi: finite(hi) };
    });
    if (axes.length !== 2) throw new Error("a phase diagram has two axes");
    return axes;
  },
  format: (axes) => (axes ? axes.map((a) => `${a.name}:${a.lo}:${a.hi}`).join(",") : ""),
};

export const LAB_FIELDS = [
  { name: "basins", type: BOOL, default: () => false },
  { name: "phase", type: PHASE, default: () => null },
  { name: "equilibrium", type: POINT, default: () => null },
];

/**
 * Every setting a phase diagram may sweep for this loss and method: {name, label, min, max, default,
 * step, kind} with kind "lr", "param" or "option" (where the value lives in the state).
 */
export function sweepable(specs, method, config) {
  const lr = config.parameters.phase.find((p) => p.name === "lr");
  const axis = (p, kind, label) => ({ name: p.name, label: label ?? p.label ?? p.name, min: p.min, max: p.max,
    default: p.default, step: p.step ?? null, kind });
  return [axis(lr, "lr", "learning rate"), ...specs.map((p) => axis(p, "param")),
    ...(method?.options ?? []).map((o) => axis(o, "option"))];
}

/**
 * An axis's default range: lr from a quarter of the current lr to 41 times that (so the cells fall on
 * multiples of lr / 4 and the current lr is one of them); any other setting from its declared minimum
 * to ten times its default, within its declared maximum (lr_ratio 0.01 to 10, not to 100, where a
 * linear sweep would leave one cell below 2.5), or to its maximum when its default is 0 (gamma).
 */
export function defaultRange(axis, lr) {
  const tidy = (v) => Number(v.toPrecision(12)); // 0.025 * 41 is 1.0250000000000001: keep links readable
  if (axis.kind === "lr") return { lo: tidy(lr / 4), hi: Math.min(axis.max, tidy((lr / 4) * PHASE_N)) };
  const tenfold = tidy(10 * axis.default);
  return { lo: axis.min, hi: axis.default > 0 && tenfold > axis.min ? Math.min(axis.max, tenfold) : axis.max };
}

/** Cells along a swept side: PHASE_N, or one per whole value of a whole-number setting (y_steps). */
export function phaseCells(range, axis) {
  return axis?.step ? Math.min(PHASE_N, Math.round((range.hi - range.lo) / axis.step) + 1) : PHASE_N;
}

/** The default pair of axes: lr against the loss's first parameter, else the method's first option. */
export function defaultAxes(axes, lr) {
  const [first, second] = [axes[0], axes.find((a) => a.kind === "param") ?? axes.find((a) => a.kind === "option")];
  return second ? [first, second].map((a) => ({ name: a.name, ...defaultRange(a, lr) })) : null;
}

/** The lab's fields brought within what the loss and method offer (state.js sanitize calls this). */
export function sanitizeLab(s, specs, method, config) {
  const equilibrium = s.equilibrium?.length === 2 && s.equilibrium.every(Number.isFinite) ? s.equilibrium : null;
  return { basins: Boolean(s.basins), equilibrium, phase: s.phase ? sanitizePhase(s, specs, method, config) : null };
}

function sanitizePhase(s, specs, method, config) {
  const axes = sweepable(specs, method, config);
  const fallback = defaultAxes(axes, s.lr);
  if (!fallback) return null; // only lr to sweep: nothing to draw a diagram of (the panel says so)
  const picked = s.phase.map((a, i) => {
    const axis = axes.find((x) => x.name === a.name);
    if (!axis) return fallback[i];
    const onGrid = (v) => (axis.step ? axis.min + Math.round((v - axis.min) / axis.step) * axis.step : v);
    const lo = Math.max(axis.min, Math.min(axis.max, onGrid(a.lo)));
    const hi = Math.max(axis.min, Math.min(axis.max, onGrid(a.hi)));
    return lo < hi ? { name: a.name, lo, hi } : { name: a.name, ...defaultRange(axis, s.lr) };
  });
  if (picked[0].name === picked[1].name) picked[1] = fallback.find((a) => a.name !== picked[0].name) ?? fallback[1];
  return picked[0].name === picked[1].name ? fallback : picked;
}

/** The current value of a sweepable setting in the state (a parameter or option at its default if unset). */
export function settingValue(s, axis, specs, method) {
  if (axis.kind === "lr") return s.lr;
  if (axis.kind === "param") return s.params[axis.name] ?? specs.find((p) => p.name === axis.name)?.default;
  return s.options[axis.name] ?? method?.options.find((o) => o.name === axis.name)?.default;
}

/** The state patch that sets these settings ({name: value}), each where it lives in the state. */
export function settingPatch(s, axes, values) {
  const patch = { params: { ...s.params }, options: { ...s.options } };
  axes.forEach((axis, i) => {
    if (axis.kind === "lr") patch.lr = values[i];
    else patch[axis.kind === "param" ? "params" : "options"][axis.name] = values[i];
  });
  return patch;
}
