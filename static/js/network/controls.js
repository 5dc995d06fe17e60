// The lab's knobs, built from the server's declarations (config.network.params and the methods'
// options): a select per choice, labelled with the engine's own names and a sentence for the chosen
// one; a number box per number, with the declared bounds, refused beside the box when a value cannot
// be used (the picture keeps the last good one). Only the grouping into fieldsets is this view's.

import { checkNumber } from "../controls.js";
import { buildGroups, element } from "../fieldsets.js";
import { methodOf, usesGain } from "./state.js";

// Where each setting sits; a setting the server adds later lands in the last group, never nowhere.
const GROUPS = [
  { legend: "Data", names: ["task", "samples", "noise"] },
  { legend: "Network", names: ["depth", "width", "activation", "init", "gain", "norm", "residual"] },
  { legend: "Training", names: ["method", "options", "lr", "steps", "batch", "record", "seed"] },
];

const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);


/** A value the box can use, refused beside it with the reason otherwise (bounds: the browser's words). */
function readBox(input, spec) {
  const raw = input.value === "" ? NaN : Number(input.value);
  const rule = spec.exclusive_min && raw <= spec.min ? `Must be above ${spec.min}.` : "";
  return checkNumber(input, rule);
}

function numberRow(spec, id, label, data) {
  const input = element("input", { type: "number", id, min: spec.min, max: spec.max, step: spec.step ?? "any" });
  input.inputMode = spec.step === 1 ? "numeric" : "decimal";
  Object.assign(input.dataset, data);
  const hint = element("p", { className: "hint", id: `${id}-hint` },
    `${spec.description ? `${capital(spec.description)}: ` : ""}${spec.exclusive_min ? "above" : "from"} ${spec.min} to ${spec.max}.`);
  input.setAttribute("aria-describedby", hint.id);
  return element("div", { className: "knob" }, element("label", { htmlFor: id }, label), input, hint);
}

function choiceRow(spec, id) {
  const select = element("select", { id }, ...spec.options.map((o) => element("option", { value: o.name }, o.label)));
  select.dataset.setting = spec.name;
  const hint = element("p", { className: "hint", id: `${id}-hint` });
  select.setAttribute("aria-describedby", hint.id);
  return element("div", { className: "knob" }, element("label", { htmlFor: id }, capital(spec.label)), select, hint);
}

/** Set a control's value unless a person is editing it right now. */
function show(input, value) {
  if (document.activeElement === input && input.type === "number" && Number(input.value) === value) return;
  if (input.value !== String(value)) input.value = String(value);
  if (input.getAttribute("aria-invalid") === "true" && document.activeElement !== input) checkNumber(input);
}

/**
 * createControls(form, net, {change(patch), current()}) fills `form` with the knobs and returns
 * {reflect(state)}, which shows a state in every knob (a preset, a link, Back).
 */

export function createControls(form, net, { change, current }) {
  const specs = new Map(net.params.map((p) => [p.name, p]));
  const options = element("div", { className: "options" });
  const rows = buildGroups(form, GROUPS, specs, options, (spec, name) => (spec.type === "choice"
    ? choiceRow(spec, `net-${name}`) : numberRow(spec, `net-${name}`, capital(spec.label), { setting: name })));
  let optionsFor = null;

  form.addEventListener("change", (e) => {
    const select = e.target.closest("select[data-setting]");
    if (select) change({ [select.dataset.setting]: select.value });
  });
  form.addEventListener("input", (e) => {
    const input = e.target.closest("input[type=number]");
    if (!input) return;
    const { setting, option } = input.dataset;
    const spec = setting ? specs.get(setting) : methodOf(current(), net).options.find((o) => o.name === option);
    const value = readBox(input, spec);
    if (value === null) return;
    if (setting) change({ [setting]: value });
    else change({ options: { ...current().options, [option]: value } });
  });
  form.addEventListener("submit", (e) => e.preventDefault()); // Enter in a box: the value is already in

  function buildOptions(method) {
    options.replaceChildren(...method.options.map((o) => numberRow(o, `net-option-${o.name}`, o.label ?? o.name,
      { option: o.name })));
    optionsFor = method.name;
  }

  return {
    reflect(state) {
      for (const [name, row] of rows) {
        const control = row.querySelector("select, input");
        show(control, state[name]);
        const chosen = specs.get(name).options?.find((o) => o.name === state[name]);
        if (chosen) row.querySelector(".hint").textContent = chosen.description;
      }
      if (rows.has("gain")) rows.get("gain").hidden = !usesGain(state, net);
      const method = methodOf(state, net);
      if (method.name !== optionsFor) buildOptions(method);
      for (const o of method.options) show(options.querySelector(`#net-option-${o.name}`), state.options[o.name] ?? o.default);
    },
  };
}
