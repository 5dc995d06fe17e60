// The GAN's knobs, built from the server's declarations (config.gan.parameters, the layouts', losses',
// penalties', latents' and methods' rows, the optimisers' options): a select per choice with the
// engine's own labels and a sentence for the chosen one, a number box per number with the declared
// bounds, refused beside the box when a value cannot be used (the picture keeps the last good one).
// A setting whose default is null gets a "Default" entry (its select) or an empty box (its number).
// Only the grouping into fieldsets is this view's.

import { checkNumber } from "../controls.js";
import { buildGroups, element } from "../fieldsets.js";
import { optionSpecs, penaltyOf, SEEDS, settingSpecs } from "./state.js";

// Where each setting sits; a setting the server adds later lands in the last group, never nowhere.
const GROUPS = [
  { legend: "Data", names: ["data", "k", "std"] },
  { legend: "Loss", names: ["loss", "penalty", "lam", "gamma"] },
  { legend: "Networks", names: ["g_depth", "g_width", "d_depth", "d_width", "activation", "z_dim", "latent"] },
  { legend: "Training", names: ["method", "g_method", "d_method", "options", "g_lr", "d_lr", "d_steps", "unroll",
    "batch", "steps", "seed", "seeds"] },
  { legend: "Measuring", names: ["record", "samples", "grid", "vanish", "explode"] },
];

const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const defaultWords = (spec) => /\(default: ([^)]*)\)/.exec(spec.description)?.[1] ?? "the server's";


/** The rows a choice offers, labelled from the config table that owns them. */
function choiceLabels(spec, config) {
  const gan = config.gan;
  const tables = { data: gan.layouts, loss: gan.losses, penalty: gan.penalties, latent: gan.latents,
    activation: config.network?.activations, method: gan.methods, g_method: gan.methods, d_method: gan.methods };
  const rows = new Map((tables[spec.name] ?? []).map((r) => [r.name, r]));
  return spec.choices.map((c) => ({ name: c, label: rows.get(c)?.label ?? c, description: rows.get(c)?.description ?? "" }));
}

function numberRow(spec, id, data) {
  const input = element("input", { type: "number", id, min: spec.min, max: spec.max, step: spec.step ?? "any" });
  input.inputMode = spec.step === 1 ? "numeric" : "decimal";
  if (spec.default === null) input.placeholder = "default";
  Object.assign(input.dataset, data);
  const hint = element("p", { className: "hint", id: `${id}-hint` },
    `${spec.description ? `${capital(spec.description)}: ` : ""}${spec.exclusive_min ? "above" : "from"} ${spec.min} to ${spec.max}.`);
  input.setAttribute("aria-describedby", hint.id);
  return element("div", { className: "knob" }, element("label", { htmlFor: id }, capital(spec.label ?? spec.name)), input, hint);
}

function choiceRow(spec, id, config) {
  const options = choiceLabels(spec, config).map((o) => element("option", { value: o.name }, o.label));
  if (spec.default === null) options.unshift(element("option", { value: "" }, `Default (${defaultWords(spec)})`));
  const select = element("select", { id }, ...options);
  select.dataset.setting = spec.name;
  const hint = element("p", { className: "hint", id: `${id}-hint` });
  select.setAttribute("aria-describedby", hint.id);
  return element("div", { className: "knob" }, element("label", { htmlFor: id }, capital(spec.label)), select, hint);
}

/** A value the box can use: a number within its bounds, null for an empty box of a null default. */
function readBox(input, spec) {
  if (input.value === "" && spec.default === null) return { value: null };
  const raw = input.value === "" ? NaN : Number(input.value);
  const value = checkNumber(input, spec.exclusive_min && raw <= spec.min ? `Must be above ${spec.min}.` : "");
  return value === null ? null : { value };
}

/** Set a control's value unless a person is editing it right now. */
function show(input, value) {
  const text = value === null || value === undefined ? "" : String(value);
  if (document.activeElement === input && input.type === "number" && input.value !== "" && Number(input.value) === value) return;
  if (input.value !== text) input.value = text;
  if (input.getAttribute("aria-invalid") === "true" && document.activeElement !== input) checkNumber(input);
}


/**
 * createControls(form, config, {change(patch), current()}) fills `form` with the knobs and returns
 * {reflect(state)}, which shows a state in every knob (a preset, a link, Back).
 */
export function createControls(form, config, { change, current }) {
  const gan = config.gan;
  const specs = new Map([...settingSpecs(gan), SEEDS].map((p) => [p.name, p]));
  const options = element("div", { className: "options" });
  const rows = buildGroups(form, GROUPS, specs, options, (spec, name) => (spec.type === "choice"
    ? choiceRow(spec, `gan-${name}`, config) : numberRow(spec, `gan-${name}`, { setting: name })));
  const labels = new Map([...specs.values()].filter((s) => s.type === "choice")
    .map((s) => [s.name, new Map(choiceLabels(s, config).map((o) => [o.name, o]))]));
  let optionsFor = null;

  form.addEventListener("change", (e) => {
    const select = e.target.closest("select[data-setting]");
    if (select) change({ [select.dataset.setting]: select.value === "" ? null : select.value });
  });
  form.addEventListener("input", (e) => {
    const input = e.target.closest("input[type=number]");
    if (!input) return;
    const { setting, option } = input.dataset;
    const spec = setting ? specs.get(setting) : gan.options.find((o) => o.name === option);
    const read = readBox(input, spec);
    if (read === null) return;
    if (setting) change({ [setting]: read.value });
    else change({ options: { ...current().options, [option]: read.value ?? spec.default } });
  });
  form.addEventListener("submit", (e) => e.preventDefault()); // Enter in a box: the value is already in

  return {
    reflect(state) {
      for (const [name, row] of rows) {
        show(row.querySelector("select, input"), state[name]);
        const chosen = labels.get(name)?.get(state[name]);
        if (labels.has(name)) row.querySelector(".hint").textContent = chosen?.description || specs.get(name).description;
      }
      const weight = penaltyOf(state, gan)?.weight;
      for (const p of gan.penalties) if (p.weight && rows.has(p.weight)) rows.get(p.weight).hidden = p.weight !== weight;
      const wanted = optionSpecs(state, gan);
      const key = wanted.map((o) => o.name).join(",");
      if (key !== optionsFor) {
        options.replaceChildren(...wanted.map((o) => numberRow(o, `gan-option-${o.name}`, { option: o.name })));
        optionsFor = key;
      }
      for (const o of wanted) show(options.querySelector(`#gan-option-${o.name}`), state.options[o.name] ?? o.default);
    },
  };
}
