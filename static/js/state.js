// The main view's one state, declared once (after TensorFlow Playground's PROPS): every field has a
// name, a type and a default, and the URL hash is parsed and written from this one declaration
// (hash.js, which every view shares), so any picture is a link. Defaults come from the server's
// /api/config, never from here.

import { finite, formatHash, parseHash } from "./hash.js";
import { LAB_FIELDS, sanitizeLab } from "./labstate.js"; // the GAN lab's panels: convergence map, phase, equilibrium
import { DEFAULT_SPEED, SPEEDS } from "./player.js";

export const CUSTOM = "custom";
export const MAX_COMPARE = 3; // methods run beside the chosen one: more than that is a tangle
export const MAX_SCENES = 4; // scenes side by side, the main one included: four still read on a projector
// What one scene of a side-by-side comparison holds of its own; points, view, thresholds, scale and
// the player are shared, so the scenes are compared from the same starts on the same axes.
export const SCENE_KEYS = ["loss", "expr", "exprY", "kind", "params", "method", "options", "lr", "steps"];

// The main view's own types; the shared ones (string, number, int, map, list) live in hash.js.
const POINTS = { // x,y pairs separated by ";", e.g. "0.5,-0.3;1,2"
  parse: (s) => (s ? s.split(";").map((p) => {
    const xy = p.split(",").map(finite);
    if (xy.length !== 2) throw new Error("a point needs x,y");
    return xy;
  }) : []),
  format: (ps) => ps.map((p) => p.join(",")).join(";"),
};
const VIEW = { // xmin,xmax,ymin,ymax, or empty for the loss's own view
  parse: (s) => {
    if (!s) return null;
    const v = s.split(",").map(finite);
    if (v.length !== 4 || !(v[0] < v[1] && v[2] < v[3])) throw new Error("bad view");
    return v;
  },
  format: (v) => (v ? v.join(",") : ""),
};

const SCENES = { // the other scenes beside the main one, as JSON: [{"loss": "dirac-gan", "params": {"gamma": 0.5}}]
  parse: (s) => {
    const scenes = s ? JSON.parse(s) : [];
    if (!Array.isArray(scenes)) throw new Error("scenes must be a list");
    return scenes.filter((x) => x && typeof x === "object");
  },
  format: (scenes) => (scenes.length ? JSON.stringify(scenes) : ""),
};

const DECK = { // the course's own deck by name, or a deck of one's own as JSON
  parse: (s) => (s === "builtin" ? s : s ? JSON.parse(s) : null),
  format: (deck) => (deck === "builtin" ? deck : deck ? JSON.stringify(deck) : ""),
};

// The schema: name, type, default (a function of the server's config).
export const SCHEMA = [
  { name: "loss", type: "string", default: (c) => c.defaults.loss },
  { name: "expr", type: "string", default: () => "" },
  { name: "exprY", type: "string", default: () => "" }, // y's own loss, for a general-sum pair
  { name: "kind", type: "string", default: (c) => c.kinds[0].name },
  { name: "params", type: "map", default: () => ({}) },
  { name: "scale", type: "number", default: (c) => c.defaults.scale },
  { name: "vanish", type: "number", default: (c) => c.thresholds.vanish },
  { name: "explode", type: "number", default: (c) => c.thresholds.explode },
  { name: "method", type: "string", default: (c) => c.defaults.method },
  { name: "options", type: "map", default: () => ({}) }, // the method's options (momentum's beta, ...)
  { name: "compare", type: "list", default: () => [] }, // methods run beside it, with their defaults
  { name: "lr", type: "number", default: (c) => c.defaults.lr },
  { name: "steps", type: "int", default: (c) => c.defaults.steps },
  { name: "speed", type: "string", default: () => DEFAULT_SPEED }, // the player's, by name
  { name: "points", type: POINTS, default: (c) => [c.defaults.point.slice()] },
  { name: "selected", type: "int", default: () => 0 },
  { name: "view", type: VIEW, default: () => null },
  { name: "present", type: "int", default: () => 0 }, // 1: presentation mode, the picture filling the screen
  { name: "scenes", type: SCENES, default: () => [] }, // side by side with the main scene: at most MAX_SCENES - 1
  { name: "deck", type: DECK, default: () => null }, // "builtin", or {title, slides: [{title, narration, hash}]}
  { name: "slide", type: "int", default: () => -1 }, // the deck's slide on screen, or -1
  ...LAB_FIELDS,
];

export function defaults(config) {
  return Object.fromEntries(SCHEMA.map((f) => [f.name, f.default(config)]));
}

/** The state a hash describes: unknown names are ignored, unreadable values fall back to defaults. */
export function fromHash(hash, config, losses) {
  return sanitize(parseHash(hash, SCHEMA, defaults(config)), config, losses);
}

/** The hash for a state: every field that differs from its default (and the loss), in schema order. */
export function toHash(state, config) {
  return formatHash(state, SCHEMA, defaults(config), ["loss"]);
}

/** Bring a state within what the catalog and config allow. */
export function sanitize(state, config, losses) {
  const s = { ...state };
  const base = defaults(config);
  if (s.loss !== CUSTOM && !losses.some((l) => l.id === s.loss)) s.loss = base.loss;
  if (s.loss === CUSTOM && !s.expr.trim()) s.loss = base.loss;
  if (!config.kinds.some((k) => k.name === s.kind)) s.kind = base.kind;
  const kindFunctions = config.kinds.find((k) => k.name === s.kind).functions.length;
  if (s.loss !== CUSTOM || kindFunctions < 2) s.exprY = "";
  else if (!s.exprY.trim()) s.loss = base.loss; // a pair needs both losses
  const allowed = new Map(paramSpecs(s, config, losses).map((p) => [p.name, p]));
  s.params = Object.fromEntries(Object.entries(s.params)
    .filter(([k]) => allowed.has(k))
    .map(([k, v]) => [k, Math.min(allowed.get(k).max, Math.max(allowed.get(k).min, v))]));
  const kind = lossKind(s, losses);
  if (!config.methods.some((m) => m.name === s.method && m.kinds.includes(kind))) s.method = base.method;
  const declared = new Map(methodOf(s, config).options.map((o) => [o.name, o]));
  s.options = Object.fromEntries(Object.entries(s.options)
    .filter(([k]) => declared.has(k))
    .map(([k, v]) => {
      const o = declared.get(k);
      const stepped = o.step ? o.min + Math.round((v - o.min) / o.step) * o.step : v; // a count is whole
      return [k, Math.min(o.max, Math.max(o.min, stepped))];
    }));
  const offered = new Set(config.methods.filter((m) => m.kinds.includes(kind)).map((m) => m.name));
  Object.assign(s, sanitizeLab(s, paramSpecs(s, config, losses), methodOf(s, config), config));
  s.compare = [...new Set(s.compare)].filter((m) => offered.has(m) && m !== s.method).slice(0, MAX_COMPARE);
  s.steps = Math.max(0, Math.min(config.limits.steps_max, s.steps));
  if (!SPEEDS.some((sp) => sp.name === s.speed)) s.speed = DEFAULT_SPEED;
  s.selected = s.points.length ? Math.max(0, Math.min(s.points.length - 1, s.selected)) : -1;
  s.present = s.present ? 1 : 0;
  if (s.deck !== "builtin" && !(s.deck && Array.isArray(s.deck.slides))) s.deck = null;
  if (!s.deck) s.slide = -1;
  s.scenes = (s.scenes ?? []).slice(0, MAX_SCENES - 1).map((scene) => sceneOf(sanitize({ ...s, scenes: [], ...scene },
    config, losses)));
  return s;
}

/** The keys of one scene, taken from a whole state. */
export function sceneOf(state) {
  return Object.fromEntries(SCENE_KEYS.map((k) => [k, state[k]]));
}

/** Scene k of a state as a whole state: 0 is the main one; the others share all but their SCENE_KEYS. */
export function sceneState(state, k) {
  return k === 0 ? state : { ...state, ...state.scenes[k - 1], scenes: [], compare: [] };
}

// -- what follows from a state --------------------------------------------------------------

export function lossEntry(state, losses) {
  return losses.find((l) => l.id === state.loss) ?? null;
}

export function lossKind(state, losses) {
  return state.loss === CUSTOM ? state.kind : lossEntry(state, losses)?.kind;
}

/** The kind's entry in the config: its name, description and what its points and values are called. */
export function kindEntry(state, config, losses) {
  return config.kinds.find((k) => k.name === lossKind(state, losses)) ?? config.kinds[0];
}

/** The parameters the loss declares. A custom expression gets the custom parameters it names. */
export function paramSpecs(state, config, losses) {
  if (state.loss !== CUSTOM) return lossEntry(state, losses)?.params ?? [];
  const typed = `${state.expr} ${state.exprY ?? ""}`;
  return config.custom_params.filter((p) => new RegExp(`(?<![A-Za-z_])${p.name}(?![A-Za-z_0-9])`).test(typed));
}

export function methodOf(state, config) {
  return config.methods.find((m) => m.name === state.method);
}

/** Parameter values by name, defaults filled in. */
export function paramValues(state, config, losses) {
  return Object.fromEntries(paramSpecs(state, config, losses)
    .map((p) => [p.name, state.params[p.name] ?? p.default]));
}

/** [xmin, xmax, ymin, ymax]: the state's view, else the catalog loss's own, else (custom) the field's extent. */
export function viewOf(state, losses, field = null) {
  if (state.view) return state.view;
  const entry = lossEntry(state, losses);
  if (entry) return [...entry.view.x, ...entry.view.y];
  return field ? [field.x[0], field.x.at(-1), field.y[0], field.y.at(-1)] : null;
}
