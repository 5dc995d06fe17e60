// A view's state in the URL hash, after TensorFlow Playground's PROPS: a view declares its fields once
// (a name, a type, a default) and this module reads and writes the hash from that declaration, so
// any picture is a link. Shared by every view: each keeps its own schema in its own state module.
//
// A type is a name in TYPES or an object {parse(text) -> value, format(value) -> text}; parse throws
// on text it cannot read, and the field then keeps its default.

function finite(s) {
  const n = Number(s);
  if (s === "" || !Number.isFinite(n)) throw new Error(`not a number: ${s}`);
  return n;
}

export const TYPES = {
  string: { parse: (s) => s, format: (v) => v },
  number: { parse: finite, format: (v) => String(v) },
  int: { parse: (s) => Math.round(finite(s)), format: (v) => String(v) },
  // name:value pairs, e.g. "c:0.7,k:2"
  map: {
    parse: (s) => Object.fromEntries(s ? s.split(",").map((pair) => {
      const [k, v] = pair.split(":");
      return [k, finite(v)];
    }) : []),
    format: (m) => Object.entries(m).map(([k, v]) => `${k}:${v}`).join(","),
  },
  // names separated by ",", e.g. "extragradient,optimistic"
  list: {
    parse: (s) => (s ? s.split(",") : []),
    format: (a) => a.join(","),
  },
};

export { finite };

/** A value held to its declaration: a choice among its choices, a number clamped into its bounds
 * (whole for a count); what cannot be read falls back to the default (which may be null). */
export function within(spec, value) {
  if (spec.type === "choice") return spec.choices.includes(value) ? value : spec.default;
  if (typeof value !== "number" || !Number.isFinite(value)) return spec.default;
  if (spec.exclusive_min && value <= spec.min) return spec.default;
  const stepped = spec.step === 1 ? Math.round(value) : value;
  return Math.min(spec.max, Math.max(spec.min, stepped));
}

const typeOf = (field) => (typeof field.type === "string" ? TYPES[field.type] : field.type);

/** The hash's name=value pairs, decoded; an entry with a malformed escape is left out. */
function entries(hash) {
  const raw = new Map();
  for (const part of hash.replace(/^#/, "").split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    try {
      raw.set(decodeURIComponent(key), decodeURIComponent(eq < 0 ? "" : part.slice(eq + 1)));
    } catch { /* a malformed escape: ignore that entry */ }
  }
  return raw;
}

/** `base` (the defaults) with every field the hash names and can be read: unknown names are ignored. */
export function parseHash(hash, schema, base) {
  const raw = entries(hash);
  const state = { ...base };
  for (const field of schema) {
    if (!raw.has(field.name)) continue;
    try {
      state[field.name] = typeOf(field).parse(raw.get(field.name));
    } catch { /* keep the default */ }
  }
  return state;
}

/** The hash for a state: every field that differs from `base`, and those in `always`, in schema order. */
export function formatHash(state, schema, base, always = []) {
  const parts = [];
  for (const field of schema) {
    const { format } = typeOf(field);
    const value = format(state[field.name]);
    if (value !== format(base[field.name]) || always.includes(field.name)) {
      parts.push(`${field.name}=${encode(value)}`);
    }
  }
  return `#${parts.join("&")}`;
}

function encode(s) {
  return encodeURIComponent(s).replace(/%2C/gi, ",").replace(/%3B/gi, ";").replace(/%3A/gi, ":");
}
