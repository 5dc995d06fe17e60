// The controls: built from the server's declarations (/api/config's parameters, kinds, methods and
// the catalog), they turn what a person does into state patches and show whatever the state says
// (Reset, a link, Back). A number box takes its bounds and steps from its declaration and says,
// beside itself, why a value it holds is not used; the picture keeps the last good one.

import { num } from "./format.js";
import { SPEEDS } from "./player.js";
import { CUSTOM, MAX_COMPARE, lossKind, methodOf, paramSpecs, paramValues } from "./state.js";

const $ = (root, sel) => root.querySelector(sel);

function option(value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  return o;
}

/** A number input's value if it holds a valid number, else null (so half-typed "0." is ignored). */
function validNumber(input) {
  return input.value !== "" && input.validity.valid && Number.isFinite(Number(input.value)) ? Number(input.value) : null;
}

/**
 * Say, beside a number box, why what it holds is not used (the browser's own words for its min, max
 * and step, or `rule`), or clear that; returns the usable value or null. A refused value is never
 * silently dropped: the picture keeps the last good one and the box says why.
 */
export function checkNumber(input, rule = "") {
  input.setCustomValidity(rule);
  const value = validNumber(input);
  const message = value === null && input.value !== "" ? input.validationMessage || "Not a number." : "";
  input.setAttribute("aria-invalid", String(Boolean(message)));
  let note = document.getElementById(`${input.id}-invalid`);
  if (message && !note) {
    note = document.createElement("p");
    note.id = `${input.id}-invalid`;
    note.className = "error field-error";
    note.setAttribute("aria-live", "polite");
    input.after(note);
    input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") ?? ""} ${note.id}`.trim());
  }
  if (note) {
    note.textContent = message;
    note.hidden = !message;
  }
  return value;
}

/** Give a box its declaration's bounds; returns the rule HTML cannot state (an exclusive minimum). */
function declare(input, param) {
  if (param.min !== null && param.min !== undefined) input.min = param.min;
  if (param.max !== null && param.max !== undefined) input.max = param.max;
  input.step = param.step ?? "any";
  return (v) => (param.exclusive_min && !(v > param.min) ? `Must be above ${num(param.min)}.` : "");
}

/** Set a control's value unless a person is editing it right now. */
function show(input, value) {
  if (document.activeElement === input && validNumber(input) === Number(value)) return;
  if (input.value !== String(value)) input.value = String(value);
  if (input.getAttribute("aria-invalid") === "true" && document.activeElement !== input) checkNumber(input);
}

/** The declarations behind the page's own number boxes, by box id. */
function declarations(config) {
  const find = (endpoint, name) => config.parameters[endpoint].find((p) => p.name === name);
  return {
    scale: find("loss", "scale"), vanish: find("loss", "vanish"), explode: find("loss", "explode"),
    lr: find("trajectory", "lr"), steps: find("trajectory", "steps"),
    "point-x": find("gradient", "x"), "point-y": find("gradient", "y"),
  };
}

function paramRow(p, values) {
  const id = `param-${p.name}`;
  const row = document.createElement("div");
  row.className = "param";
  row.innerHTML = `<label for="${id}"></label><input type="range" id="${id}"><output for="${id}"></output>
    <p class="hint" id="${id}-hint"></p>`;
  const [label, input, out, hint] = row.children;
  label.textContent = p.label ?? p.name;
  // a power of ten giving 100 to 1000 positions, so catalog defaults lie on the slider's grid
  const step = p.step ?? 10 ** (Math.floor(Math.log10(p.max - p.min)) - 2);
  Object.assign(input, { min: p.min, max: p.max, step, value: values[p.name] });
  input.dataset.param = p.name;
  input.setAttribute("aria-describedby", hint.id);
  out.value = num(values[p.name]);
  hint.textContent = p.description || `from ${p.min} to ${p.max}`;
  return row;
}

/** A number box per option of the chosen method (Adam's eps spans decades: no slider). */
function optionRow(o) {
  const id = `option-${o.name}`;
  const row = document.createElement("div");
  row.innerHTML = `<label for="${id}"></label><input type="number" id="${id}" inputmode="decimal">
    <p class="hint" id="${id}-hint"></p>`;
  const [label, input, hint] = row.children;
  label.textContent = o.label ?? o.name;
  declare(input, o);
  input.dataset.option = o.name;
  input.setAttribute("aria-describedby", hint.id);
  hint.textContent = `${o.description ? `${o.description}, ` : ""}from ${o.min} to ${o.max}; default ${o.default}`;
  return row;
}

function methodChoices(el, config, kind) {
  const offered = config.methods.filter((m) => m.kinds.includes(kind));
  el.method.replaceChildren(...offered.map((m) => option(m.name, m.label)));
  el.compare.replaceChildren(...offered.map((m) => {
    const label = document.createElement("label");
    label.className = "check";
    label.innerHTML = `<input type="checkbox"> <span></span>`;
    label.firstChild.value = m.name;
    label.lastChild.textContent = m.label;
    return label;
  }));
}

function elements(root) {
  const ids = ["loss", "expr", "expr-y", "kind", "apply", "kind-info", "expr-error", "params", "loss-info",
    "scale-preset", "scale", "vanish", "explode", "method", "method-info", "lr", "steps", "speed", "method-options",
    "compare-methods", "expr-y-row"];
  const el = Object.fromEntries(ids.map((id) => [id, $(root, `#${id}`)]));
  return { ...el, exprY: el["expr-y"], exprYRow: el["expr-y-row"], kindInfo: el["kind-info"],
    exprError: el["expr-error"], lossInfo: el["loss-info"], preset: el["scale-preset"],
    methodInfo: el["method-info"], options: el["method-options"], compare: el["compare-methods"] };
}

/** The loss picker, the expression boxes and the kind. */
function wireLoss(el, config, intents) {
  const apply = () => intents.applyExpression(el.expr.value, el.kind.value,
    el.exprYRow.hidden ? null : el.exprY.value);
  el.loss.addEventListener("change", () => {
    if (el.loss.value !== CUSTOM) {
      intents.showExpressionError(null); // a catalog loss answers the question the bad expression asked
      intents.openLoss(el.loss.value);
    } else if (el.expr.value.trim()) {
      apply();
    } else { // nothing to apply yet: keep naming what is drawn, and go where the expression is typed
      el.loss.value = intents.current().loss;
      el.expr.focus();
    }
  });
  for (const box of [el.expr, el.exprY]) {
    box.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      apply();
    });
  }
  el.apply.addEventListener("click", apply);
  el.kind.addEventListener("change", () => {
    intents.describeKind();
    if (el.loss.value === CUSTOM && el.expr.value.trim()) apply();
  });
}

/** The number boxes: their own bounds, the order of the thresholds, and the scale presets. */
function wireNumbers(el, config, intents) {
  const decl = declarations(config);
  const own = Object.fromEntries(Object.entries(decl).map(([id, p]) => [id, declare($(document, `#${id}`), p)]));
  const label = (id) => document.querySelector(`label[for="${id}"]`)?.textContent ?? id;
  const rule = (id, v) => {
    const pair = config.ordered.find((o) => o.includes(id));
    const mine = own[id](v);
    if (mine || !pair) return mine;
    const [lo, hi] = pair;
    const other = Number(el[id === lo ? hi : lo].value);
    if (id === lo && !(v < other)) return `Must be below “${label(hi)}” (${el[hi].value}).`;
    if (id === hi && !(v > other)) return `Must be above “${label(lo)}” (${el[lo].value}).`;
    return "";
  };
  for (const name of ["scale", "vanish", "explode", "lr", "steps"]) {
    el[name].addEventListener("input", () => {
      const raw = el[name].value === "" ? NaN : Number(el[name].value);
      const v = checkNumber(el[name], Number.isFinite(raw) ? rule(name, raw) : "");
      const pair = config.ordered.find((o) => o.includes(name));
      const other = pair && el[pair.find((n) => n !== name)];
      if (other && other.getAttribute("aria-invalid") === "true") { // fixing one can make the other right
        const w = checkNumber(other, rule(other.id, Number(other.value)));
        if (v !== null && w !== null) return intents.change({ [name]: v, [other.id]: w });
      }
      if (v !== null) intents.change({ [name]: name === "steps" ? Math.round(v) : v });
    });
  }
  el.preset.addEventListener("change", () => {
    const preset = config.scale_presets.find((p) => p.name === el.preset.value);
    if (preset) intents.change({ scale: preset.factor });
    else el.scale.focus();
  });
}

function wireMethod(el, intents) {
  el.method.addEventListener("change", () => intents.change({ method: el.method.value }));
  el.compare.addEventListener("change", () => intents.change({
    compare: [...el.compare.querySelectorAll("input:checked")].map((c) => c.value),
  }));
  el.params.addEventListener("input", (e) => {
    const input = e.target.closest("input[type=range]");
    if (!input) return;
    input.nextElementSibling.value = num(Number(input.value));
    intents.change({ params: { ...intents.current().params, [input.dataset.param]: Number(input.value) } });
  });
  el.options.addEventListener("input", (e) => {
    const input = e.target.closest("input[data-option]");
    if (!input) return;
    const v = checkNumber(input);
    if (v !== null) intents.change({ options: { ...intents.current().options, [input.dataset.option]: v } });
  });
}

function wirePlayer(root, el, intents) {
  $(root, "#play").addEventListener("click", () => intents.player.toggle());
  $(root, "#step").addEventListener("click", () => intents.player.step());
  $(root, "#restart").addEventListener("click", () => intents.player.restart());
  el.speed.addEventListener("change", () => intents.change({ speed: el.speed.value }));
}

/**
 * createControls(root, {config, losses}, intents) wires the form in `root`.
 * intents: change(patch), applyExpression(expr, kind, exprY), openLoss(id), current(), player.
 */
export function createControls(root, { config, losses }, intents) {
  const el = elements(root);
  const built = { params: null, methods: null, options: null };
  for (const l of losses) el.loss.append(option(l.id, l.title));
  el.loss.append(option(CUSTOM, "Custom expression"));
  for (const k of config.kinds) el.kind.append(option(k.name, k.name));
  for (const p of config.scale_presets) el.preset.append(option(p.name, p.label));
  el.preset.append(option(CUSTOM, "Custom factor"));
  const exprDecl = config.parameters.loss.find((p) => p.name === "expr");
  el.expr.maxLength = el.exprY.maxLength = exprDecl.max_chars;
  $(root, "#expr-params").textContent = config.custom_params.map((p) => p.name).join(", ");
  for (const s of SPEEDS) el.speed.append(option(s.name, s.label));

  /** A catalog loss has its own kind: there the select only says what the next typed expression will be. */
  function describeKind() {
    const state = intents.current();
    const kind = config.kinds.find((k) => k.name === el.kind.value);
    el.kindInfo.textContent = state.loss === CUSTOM ? kind.description : `${kind.description} Applies to the expression you type next.`;
    el.exprYRow.hidden = kind.functions.length < 2; // a pair: y's own loss in a second box
  }

  function showExpressionError(message) {
    el.exprError.textContent = message ?? "";
    el.exprError.hidden = !message;
    el.expr.setAttribute("aria-invalid", message ? "true" : "false");
  }

  const wired = { ...intents, showExpressionError, describeKind };
  wireLoss(el, config, wired);
  wireNumbers(el, config, wired);
  wireMethod(el, wired);
  wirePlayer(root, el, wired);

  function reflectLoss(state) {
    el.loss.value = state.loss;
    if (state.loss === CUSTOM) {
      if (document.activeElement !== el.expr) el.expr.value = state.expr;
      if (document.activeElement !== el.exprY) el.exprY.value = state.exprY;
    }
    el.kind.value = state.loss === CUSTOM ? state.kind : lossKind(state, losses); // a new expression starts from it
    describeKind();
    const entry = losses.find((l) => l.id === state.loss);
    el.lossInfo.textContent = entry ? entry.description : `Custom (${state.kind}): ${state.expr}`;
    const specs = paramSpecs(state, config, losses);
    const values = paramValues(state, config, losses);
    const key = `${state.loss}|${specs.map((p) => p.name).join(",")}`;
    if (key !== built.params) {
      el.params.replaceChildren(...specs.map((p) => paramRow(p, values)));
      built.params = key;
    }
    for (const p of specs) {
      const input = $(el.params, `#param-${p.name}`);
      show(input, values[p.name]);
      input.nextElementSibling.value = num(values[p.name]);
    }
  }

  function reflectMethod(state) {
    const kind = lossKind(state, losses);
    if (kind !== built.methods) {
      methodChoices(el, config, kind);
      built.methods = kind;
    }
    el.method.value = state.method;
    for (const box of el.compare.querySelectorAll("input")) {
      box.checked = state.compare.includes(box.value);
      box.disabled = box.value === state.method // it runs already
        || (!box.checked && state.compare.length >= MAX_COMPARE);
    }
    const method = methodOf(state, config);
    el.methodInfo.textContent = method?.description ?? "";
    if (method && method.name !== built.options) {
      el.options.replaceChildren(...method.options.map(optionRow));
      built.options = method.name;
    }
    for (const o of method?.options ?? []) show($(el.options, `#option-${o.name}`), state.options[o.name] ?? o.default);
  }

  return {
    /** Show the state in every control. */
    reflect(state) {
      reflectLoss(state);
      reflectMethod(state);
      el.preset.value = config.scale_presets.find((p) => p.factor === state.scale)?.name ?? CUSTOM;
      for (const name of ["scale", "vanish", "explode", "lr", "steps"]) show(el[name], state[name]);
      el.speed.value = state.speed;
    },
    showExpressionError,
    clearExpression() {
      el.expr.value = "";
      el.exprY.value = "";
    },
    /** The play button names what it will do. */
    reflectPlayer(player) {
      $(root, "#play").textContent = player.playing ? "Pause" : "Play";
      $(root, "#frame").value = `Step ${player.frame} of ${player.last}`;
    },
  };
}
