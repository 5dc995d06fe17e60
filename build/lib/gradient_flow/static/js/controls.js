// The controls: filled from the server's config and catalog (never repeated here), they turn what
// a person does into state patches, and show whatever the state says (Reset, a link, Back).

import { CUSTOM, MAX_COMPARE, lossKind, methodOf, paramSpecs, paramValues } from "./state.js";
import { num } from "./format.js";
import { SPEEDS } from "./player.js";

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

/** Set a control's value unless a person is editing it right now. */
function show(input, value) {
  if (document.activeElement === input && validNumber(input) === Number(value)) return;
  if (input.value !== String(value)) input.value = String(value);
  if (input.getAttribute("aria-invalid") === "true" && document.activeElement !== input) checkNumber(input);
}

/**
 * createControls(root, {config, losses}, intents) wires the form in `root`.
 * intents: change(patch), applyExpression(expr, kind), player: {toggle, step, restart}.
 */
export function createControls(root, { config, losses }, intents) {
  const el = {
    loss: $(root, "#loss"), expr: $(root, "#expr"), kind: $(root, "#kind"), apply: $(root, "#apply"), kindInfo: $(root, "#kind-info"),
    exprError: $(root, "#expr-error"), params: $(root, "#params"), lossInfo: $(root, "#loss-info"),
    preset: $(root, "#scale-preset"), scale: $(root, "#scale"), vanish: $(root, "#vanish"), explode: $(root, "#explode"),
    method: $(root, "#method"), methodInfo: $(root, "#method-info"), lr: $(root, "#lr"), steps: $(root, "#steps"),
    speed: $(root, "#speed"), options: $(root, "#method-options"), compare: $(root, "#compare-methods"),
  };
  let paramsKey = null;
  let methodsKey = null;
  let optionsKey = null;

  for (const l of losses) el.loss.append(option(l.id, l.title));
  el.loss.append(option(CUSTOM, "Custom expression"));
  for (const k of config.kinds) el.kind.append(option(k.name, k.name));
  for (const p of config.scale_presets) el.preset.append(option(p.name, p.label));
  el.preset.append(option(CUSTOM, "Custom factor"));
  el.expr.maxLength = config.limits.expr_chars_max;
  $(root, "#expr-params").textContent = config.custom_params.map((p) => p.name).join(", ");
  el.steps.max = config.limits.steps_max;
  for (const s of SPEEDS) el.speed.append(option(s.name, s.label));

  el.loss.addEventListener("change", () => {
    if (el.loss.value !== CUSTOM) {
      showExpressionError(null); // a catalog loss answers the question the bad expression asked
      intents.change({ loss: el.loss.value, params: {}, view: null });
    } else if (el.expr.value.trim()) {
      intents.applyExpression(el.expr.value, el.kind.value);
    } else { // nothing to apply yet: keep naming what is drawn, and go where the expression is typed
      el.loss.value = intents.current().loss;
      el.expr.focus();
    }
  });
  const apply = () => intents.applyExpression(el.expr.value, el.kind.value);
  el.expr.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      apply();
    }
  });
  el.apply.addEventListener("click", apply);
  el.kind.addEventListener("change", () => {
    describeKind(intents.current());
    if (el.loss.value === CUSTOM && el.expr.value.trim()) apply();
  });

  /** A catalog loss has its own kind: there the select only says what the next typed expression will be. */
  function describeKind(state) {
    const text = config.kinds.find((k) => k.name === el.kind.value)?.description ?? "";
    el.kindInfo.textContent = state.loss === CUSTOM ? text : `${text} Applies to the expression you type next.`;
  }

  el.preset.addEventListener("change", () => {
    const preset = config.scale_presets.find((p) => p.name === el.preset.value);
    if (preset) intents.change({ scale: preset.factor });
    else el.scale.focus();
  });
  // The thresholds bound each other: vanishing must start below exploding.
  const RULES = {
    scale: (v) => (v > 0 ? "" : "The scale must be above 0."),
    lr: (v) => (v > 0 ? "" : "The learning rate must be above 0."),
    vanish: (v) => (v > 0 && v < Number(el.explode.value) ? ""
      : `Must be above 0 and below “Exploding above” (${el.explode.value}).`),
    explode: (v) => (v > Number(el.vanish.value) ? "" : `Must be above “Vanishing below” (${el.vanish.value}).`),
  };
  for (const name of ["scale", "vanish", "explode", "lr"]) {
    el[name].addEventListener("input", () => {
      const raw = el[name].value === "" ? NaN : Number(el[name].value);
      const v = checkNumber(el[name], Number.isFinite(raw) ? RULES[name](raw) : "");
      if (name === "vanish" || name === "explode") { // fixing one threshold can make the other right
        const other = el[name === "vanish" ? "explode" : "vanish"];
        if (other.getAttribute("aria-invalid") === "true") {
          const w = checkNumber(other, RULES[other.id](Number(other.value)));
          if (v !== null && w !== null) return intents.change({ [name]: v, [other.id]: w });
        }
      }
      if (v !== null) intents.change({ [name]: v });
    });
  }
  el.steps.addEventListener("input", () => {
    const v = checkNumber(el.steps);
    if (v !== null) intents.change({ steps: Math.round(v) });
  });
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

  $(root, "#play").addEventListener("click", () => intents.player.toggle());
  $(root, "#step").addEventListener("click", () => intents.player.step());
  $(root, "#restart").addEventListener("click", () => intents.player.restart());
  el.speed.addEventListener("change", () => intents.change({ speed: el.speed.value }));

  function buildParams(specs, values) {
    el.params.replaceChildren(...specs.map((p) => {
      const id = `param-${p.name}`;
      const row = document.createElement("div");
      row.className = "param";
      row.innerHTML = `<label for="${id}"></label><input type="range" id="${id}"><output for="${id}"></output>
        <p class="hint" id="${id}-hint"></p>`;
      const [label, input, out, hint] = row.children;
      label.textContent = p.name;
      // a power of ten giving 100 to 1000 positions, so catalog defaults lie on the slider's grid
      const step = p.step ?? 10 ** (Math.floor(Math.log10(p.max - p.min)) - 2);
      Object.assign(input, { min: p.min, max: p.max, step, value: values[p.name] });
      input.dataset.param = p.name;
      input.setAttribute("aria-describedby", hint.id);
      out.value = num(values[p.name]);
      hint.textContent = p.description || `from ${p.min} to ${p.max}`;
      return row;
    }));
  }

  /** A number box per option of the chosen method (Adam's eps spans decades: no slider). */
  function buildOptions(method) {
    el.options.replaceChildren(...method.options.map((o) => {
      const id = `option-${o.name}`;
      const row = document.createElement("div");
      row.innerHTML = `<label for="${id}"></label><input type="number" id="${id}" step="any" inputmode="decimal">
        <p class="hint" id="${id}-hint"></p>`;
      const [label, input, hint] = row.children;
      label.textContent = o.label ?? o.name;
      Object.assign(input, { min: o.min, max: o.max, step: o.step ?? "any" });
      input.dataset.option = o.name;
      input.setAttribute("aria-describedby", hint.id);
      hint.textContent = `${o.description ? `${o.description}, ` : ""}from ${o.min} to ${o.max}; default ${o.default}`;
      return row;
    }));
  }

  function buildMethods(kind) {
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

  function showExpressionError(message) {
    el.exprError.textContent = message ?? "";
    el.exprError.hidden = !message;
    el.expr.setAttribute("aria-invalid", message ? "true" : "false");
  }

  return {
    /** Show the state in every control. */
    reflect(state) {
      el.loss.value = state.loss;
      if (document.activeElement !== el.expr && state.loss === CUSTOM) el.expr.value = state.expr;
      // a catalog loss shows its own kind, which a new expression then starts from
      el.kind.value = state.loss === CUSTOM ? state.kind : lossKind(state, losses);
      describeKind(state);
      const entry = losses.find((l) => l.id === state.loss);
      el.lossInfo.textContent = entry ? entry.description : `Custom (${state.kind}): ${state.expr}`;

      const specs = paramSpecs(state, config, losses);
      const values = paramValues(state, config, losses);
      const key = `${state.loss}|${specs.map((p) => p.name).join(",")}`;
      if (key !== paramsKey) {
        buildParams(specs, values);
        paramsKey = key;
      }
      for (const p of specs) {
        const input = $(el.params, `#param-${p.name}`);
        show(input, values[p.name]);
        input.nextElementSibling.value = num(values[p.name]);
      }

      const kind = lossKind(state, losses);
      if (kind !== methodsKey) {
        buildMethods(kind);
        methodsKey = kind;
      }
      el.method.value = state.method;
      for (const box of el.compare.querySelectorAll("input")) {
        box.checked = state.compare.includes(box.value);
        box.disabled = box.value === state.method // it runs already
          || (!box.checked && state.compare.length >= MAX_COMPARE);
      }
      const method = methodOf(state, config);
      el.methodInfo.textContent = method?.description ?? "";
      if (method && method.name !== optionsKey) {
        buildOptions(method);
        optionsKey = method.name;
      }
      for (const o of method?.options ?? []) show($(el.options, `#option-${o.name}`), state.options[o.name] ?? o.default);

      el.preset.value = config.scale_presets.find((p) => p.factor === state.scale)?.name ?? CUSTOM;
      for (const name of ["scale", "vanish", "explode", "lr", "steps"]) show(el[name], state[name]);
      el.speed.value = state.speed;
    },
    showExpressionError,
    /** The play button names what it will do. */
    reflectPlayer(player) {
      const play = $(root, "#play");
      play.textContent = player.playing ? "Pause" : "Play";
      $(root, "#frame").value = `Step ${player.frame} of ${player.last}`;
    },
  };
}
