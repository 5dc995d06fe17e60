// The deep-network view's one state. Its schema is the lab's own declarations (config.network.params,
// one field per setting, with the server's default and bounds), then the chosen method's options,
// the player's speed and the training step shown; the URL hash is read and written from it by the
// shared hash.js, so any picture of a run is a link. Nothing here repeats a default or a bound.

import { formatHash, parseHash, within } from "../hash.js";

import { DEFAULT_SPEED, SPEEDS } from "../player.js";

const TYPE_OF = { choice: "string", integer: "int", number: "number" };

/** The view's fields: name, hash type, default, and (for a setting) its declaration `spec`. */
export function schemaOf(net) {
  return [
    ...net.params.map((p) => ({ name: p.name, type: TYPE_OF[p.type], default: p.default, spec: p })),
    { name: "options", type: "map", default: {} }, // the chosen method's, by name (momentum's beta)
    { name: "speed", type: "string", default: DEFAULT_SPEED }, // the player's, by name
    { name: "at", type: "int", default: 0 }, // the training step shown: a link can point at step 200
  ];
}

export function defaults(net) {
  return Object.fromEntries(schemaOf(net).map((f) => [f.name, structuredClone(f.default)]));
}

export function methodOf(state, net) {
  return net.methods.find((m) => m.name === state.method) ?? net.methods[0];
}

export function usesGain(state, net) {
  return net.gain_inits.includes(state.init);
}

/** Bring a state within what the lab declares. */
export function sanitize(state, net) {
  const s = { ...state };
  for (const f of schemaOf(net)) if (f.spec) s[f.name] = within(f.spec, s[f.name]);
  const declared = new Map(methodOf(s, net).options.map((o) => [o.name, o]));
  s.options = Object.fromEntries(Object.entries(s.options ?? {})
    .filter(([k]) => declared.has(k))
    .map(([k, v]) => [k, within(declared.get(k), v)]));
  if (!SPEEDS.some((sp) => sp.name === s.speed)) s.speed = DEFAULT_SPEED;
  s.at = Math.max(0, Math.min(s.steps, Number.isFinite(s.at) ? s.at : 0));
  return s;
}

export function fromHash(hash, net) {
  return sanitize(parseHash(hash, schemaOf(net), defaults(net)), net);
}

export function toHash(state, net) {
  return formatHash(state, schemaOf(net), defaults(net));
}

/** The /api/network query for a state: the settings that differ from the server's defaults (gain only
 * where the init uses it, as the server asks), and the chosen method's options. */
export function query(state, net) {
  const q = {};
  for (const p of net.params) {
    if (p.name === "gain" && !usesGain(state, net)) continue;
    if (state[p.name] !== p.default) q[p.name] = state[p.name];
  }
  for (const o of methodOf(state, net).options) {
    if (o.name in state.options && state.options[o.name] !== o.default) q[o.name] = state.options[o.name];
  }
  return q;
}

/** The recorded step to show for training step `at`: the last one recorded at or before it. */
export function frameOf(steps, at) {
  let i = 0;
  while (i + 1 < steps.length && steps[i + 1] <= at) i++;
  return i;
}
