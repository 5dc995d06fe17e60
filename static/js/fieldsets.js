// A view's knobs grouped into fieldsets, shared by the Deep network and GAN views: where each declared
// setting sits is the view's own table; a setting the server adds later lands in the last group,
// never nowhere, and "options" marks where the chosen method's own options go.

export function element(tag, props = {}, ...children) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

/** The fieldsets of `groups` in `form`, a row per declared setting made by `rowFor(spec, name)`;
 * returns the rows by setting name. */
export function buildGroups(form, groups, specs, options, rowFor) {
  const rows = new Map();
  const placed = new Set(groups.flatMap((g) => g.names));
  const all = groups.map((g, i) => (i === groups.length - 1
    ? { ...g, names: [...g.names, ...[...specs.keys()].filter((n) => !placed.has(n))] } : g));
  for (const group of all) {
    const set = element("fieldset", {}, element("legend", {}, group.legend));
    for (const name of group.names) {
      if (name === "options") set.append(options);
      const spec = specs.get(name);
      if (!spec) continue;
      const row = rowFor(spec, name);
      rows.set(name, row);
      set.append(row);
    }
    form.append(set);
  }
  return rows;
}
