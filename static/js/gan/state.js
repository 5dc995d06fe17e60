// The GAN view's one state. Its schema is the server's declarations (config.gan.parameters: one field
// per setting, with its default and bounds; the chunk's own from/to/weights are the runner's, not the
// state's), then the chosen optimisers' options by name and how many seeds to train side by side.
// The URL hash is read and written from it by the shared hash.js, so a picture of a run is a link.
// Nothing here repeats a server default or bound; a setting whose default is null ("the layout's K",
// "the loss's own penalty") stays null until a person picks a value.

import { finite, formatHash, parseHash, within } from "../hash.js";

const TYPE_OF = { choice: "string", integer: "int", number: "number" };
const CHUNK_ONLY = new Set(["from", "to", "weights"]); // where a request starts and ends: the runner's

// The page's own field: seeds trained side by side (small multiples). At least four, as the issue
// asks, so a collapse can be counted; at most eight, what the presets' bench measured.
export const SEEDS = { name: "seeds", type: "integer", default: 4, min: 4, max: 8, step: 1,
  label: "seeds side by side", description: "seeds trained side by side, from the seed up" };

/** The settings a state holds, as the server declares them. */
export function settingSpecs(gan) {
  return gan.parameters.filter((p) => !CHUNK_ONLY.has(p.name));
}

/** A null default is a real type whose absence the server fills in: "null" in the hash means unset. */
const nullable = (type) => ({
  parse: (s) => (s === "" ? null : type === "string" ? s : finite(s)), // finite throws: the field keeps its default
  format: (v) => (v === null || v === undefined ? "" : String(v)),
});

export function schemaOf(gan) {
  return [
    ...settingSpecs(gan).map((p) => ({ name: p.name, type: nullable(TYPE_OF[p.type]), default: p.default, spec: p })),
    { name: "options", type: "map", default: {} },
    { name: SEEDS.name, type: "int", default: SEEDS.default, spec: SEEDS },
  ];
}

export function defaults(gan) {
  return Object.fromEntries(schemaOf(gan).map((f) => [f.name, structuredClone(f.default)]));
}

/** The optimisers the state's players use (method, unless g_method or d_method says otherwise). */
export function chosenMethods(state, gan) {
  const names = new Set([state.g_method ?? state.method, state.d_method ?? state.method]);
  return gan.methods.filter((m) => names.has(m.name));
}

/** The chosen optimisers' options, once each (G's Adam and D's Adam share beta1). */
export function optionSpecs(state, gan) {
  const names = new Set(chosenMethods(state, gan).flatMap((m) => m.options.map((o) => o.name)));
  return gan.options.filter((o) => names.has(o.name));
}

/** The penalty the run uses: the one chosen, or the loss's own (its first, as the server resolves it). */
export function penaltyOf(state, gan) {
  const loss = gan.losses.find((l) => l.name === state.loss);
  return gan.penalties.find((p) => p.name === (state.penalty ?? loss?.penalties[0]));
}

export function lossOf(state, gan) {
  return gan.losses.find((l) => l.name === state.loss) ?? gan.losses[0];
}

export function sanitize(state, gan) {
  const s = { ...state };
  for (const f of schemaOf(gan)) if (f.spec) s[f.name] = within(f.spec, s[f.name]);
  const declared = new Map(optionSpecs(s, gan).map((o) => [o.name, o]));
  s.options = Object.fromEntries(Object.entries(s.options ?? {})
    .filter(([k]) => declared.has(k)).map(([k, v]) => [k, within(declared.get(k), v)]));
  return s;
}

export function fromHash(hash, gan) {
  return sanitize(parseHash(hash, schemaOf(gan), defaults(gan)), gan);
}

export function toHash(state, gan) {
  return formatHash(state, schemaOf(gan), defaults(gan));
}

/** The /api/gan query of one seed's run: the settings that differ from the server's defaults, a
 * penalty weight only when its penalty is the one used (the server refuses it otherwise), and the
 * chosen optimisers' options. `overrides` (seed, grid) replace the state's own. */
export function query(state, gan, overrides = {}) {
  const s = { ...state, ...overrides };
  const weight = penaltyOf(s, gan)?.weight;
  const weights = new Set(gan.penalties.map((p) => p.weight).filter(Boolean));
  const q = {};
  for (const p of settingSpecs(gan)) {
    if (weights.has(p.name) && p.name !== weight) continue;
    if (s[p.name] !== null && s[p.name] !== p.default) q[p.name] = s[p.name];
  }
  for (const o of optionSpecs(s, gan)) {
    if (o.name in s.options && s.options[o.name] !== o.default) q[o.name] = s.options[o.name];
  }
  return q;
}

/** The seeds trained side by side: the state's seed first, then the next ones. */
export function seedsOf(state, gan) {
  const max = settingSpecs(gan).find((p) => p.name === "seed").max;
  return Array.from({ length: state.seeds }, (_, i) => Math.min(max, state.seed + i));
}
