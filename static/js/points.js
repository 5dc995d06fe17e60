// The "Sample points" list: one <li> per point with its coordinates, gradient, magnitude, class in
// words, and its trajectory's status in words. Buttons per point: explain it (the worked example
// follows the selected point) or remove it. Rebuilt only when what it shows has changed.

import { paintBadge } from "./classes.js";
import { num, pair, words } from "./format.js";

export function createPointsList(list, config, { select, remove }) {
  let shown = null;

  function describeRun(el, name, t) {
    if (!t) {
      el.textContent = `${name}: computing…`;
      return;
    }
    const steps = t.points.length - 1;
    el.textContent = `${name}: ${words(t.status)} after ${steps} step${steps === 1 ? "" : "s"}, at ${pair(t.points.at(-1))}.`;
    el.title = config.statuses[t.status] ?? "";
  }

  list.addEventListener("click", (e) => {
    const button = e.target.closest("button[data-action]");
    if (!button) return;
    const i = Number(button.dataset.index);
    (button.dataset.action === "explain" ? select : remove)(i);
  });

  /** A vanishing gradient at a stationary point is arrival, not the vanishing-gradient problem: say which. */
  function arrival(p, g, analysis) {
    if (!analysis || g.class !== config.classes[0].name) return "";
    const [x, y] = p.xy;
    const at = analysis.stationary_points.find((s) => Math.hypot(s.point[0] - x, s.point[1] - y)
      <= 1e-6 * Math.max(1, Math.hypot(x, y)));
    return at ? ` — at the ${at.label}, where a zero gradient means it has arrived, not that it is stuck` : "";
  }

  function item(p, i, selected, analysis) {
    const li = document.createElement("li");
    li.className = "point";
    if (i === selected) li.setAttribute("aria-current", "true");
    const g = p.grad;
    const t = p.traj;
    li.innerHTML = `
      <p class="point-head"><span class="tag" aria-hidden="true"></span> <strong class="where"></strong></p>
      <p class="grad"></p>
      <p class="traj"></p>
      <p class="actions"><button type="button" data-action="explain"></button>
        <button type="button" data-action="remove">Remove</button></p>`;
    li.querySelector(".tag").textContent = String(i + 1);
    li.querySelector(".where").textContent = `Point ${i + 1} at ${pair(p.xy)}`;
    const grad = li.querySelector(".grad");
    if (g) {
      grad.innerHTML = `gradient v = <span class="v"></span>, |v| = <span class="m"></span>: <span></span>`;
      grad.querySelector(".v").textContent = pair(g.gradient);
      grad.querySelector(".m").textContent = num(g.magnitude);
      paintBadge(grad.lastElementChild, config, g.class);
      grad.append(arrival(p, g, analysis));
    } else {
      grad.textContent = p.error ?? "computing the gradient…";
    }
    const trajText = li.querySelector(".traj");
    describeRun(trajText, "Trajectory", t);
    let last = trajText;
    for (const o of p.others ?? []) { // methods run beside the chosen one, in order
      const line = document.createElement("p");
      line.className = "traj compared";
      describeRun(line, `Beside it, ${config.methods.find((m) => m.name === o.method)?.label ?? o.method}`, o.traj);
      last.after(line);
      last = line;
    }
    for (const b of li.querySelectorAll("button")) b.dataset.index = String(i);
    const explain = li.querySelector("[data-action=explain]");
    // pressed rather than disabled: a disabled button would drop the keyboard's focus to the page
    explain.textContent = i === selected ? "Explained" : "Explain";
    explain.setAttribute("aria-pressed", String(i === selected));
    explain.setAttribute("aria-label", `${explain.textContent}: point ${i + 1}`);
    li.querySelector("[data-action=remove]").setAttribute("aria-label", `Remove point ${i + 1}`);
    return li;
  }

  return {
    render(points, selected, analysis = null) {
      const run = (t) => [t?.status, t?.points.length, t?.points.at(-1)];
      const key = JSON.stringify([selected, analysis?.stationary_points, points.map((p) => [p.xy, p.grad, run(p.traj), p.error,
        ...(p.others ?? []).map((o) => [o.method, ...run(o.traj)])])]);
      if (key === shown) return;
      shown = key;
      const focused = list.contains(document.activeElement) ? document.activeElement.dataset : null;
      list.replaceChildren(...points.map((p, i) => item(p, i, selected, analysis)));
      if (focused) { // the same button again; after a removal, the next point's (or the last one's)
        const again = list.querySelector(`[data-action="${focused.action}"][data-index="${focused.index}"]`)
          ?? [...list.querySelectorAll(`[data-action="${focused.action}"]`)].at(-1)
          ?? document.getElementById("add-point");
        again?.focus();
      }
      list.closest("section").querySelector(".empty").hidden = points.length > 0;
    },
  };
}
