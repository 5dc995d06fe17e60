// Per-layer histograms of |g| as small multiples, TensorBoard's distributions made readable: one
// card per layer, the same fixed log bins (the server's: exactly 0, below 1e-12, a bar per decade,
// 1e4 and up) and the same y scale (the share of the layer's weights) in every card, so cards and
// steps compare bin for bin. Plain SVG rather than 65 Plotly subplots: a frame moves only the bars'
// heights, which costs a few attributes per card.

import { num } from "../format.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 200;
const H = 64;
const AXIS = 14; // room under the bars for the tick labels

function svgEl(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** Which bins get a tick label: exactly 0, and every fourth decade edge after the first (1e-8, 1e-4,
 * 1, 1e4): the first edge sits two narrow bins from the zero bin, too close for both labels. */
export function binTicks(edges) {
  const out = [{ bin: 0, text: "0" }];
  edges.forEach((e, j) => {
    const k = Math.round(Math.log10(e));
    if (j > 0 && k % 4 === 0) out.push({ edge: j, text: k === 0 ? "1" : `1e${k}` });
  });
  return out;
}

/** The card's sentence: where most of the layer's weight gradients lie, for its text alternative. */
export function describeCounts(name, counts, labels) {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!total) return `${name}: no finite entries.`;
  let best = 0;
  counts.forEach((c, i) => { if (c > counts[best]) best = i; });
  const zero = counts[0] / total;
  return `${name}: ${total} weights; most in ${labels[best]} (${Math.round((100 * counts[best]) / total)}%)`
    + `${zero ? `; ${Math.round(100 * zero)}% exactly 0` : ""}.`;
}

function card(layer, net) {
  const bins = net.histogram_bins.length;
  const bw = W / bins;
  const item = document.createElement("li");
  item.className = "hist";
  const title = document.createElement("p");
  title.className = "hist-title";
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H + AXIS}`, role: "img" });
  svg.append(svgEl("line", { x1: 0, x2: W, y1: H, y2: H, class: "hist-axis" }));
  const bars = net.histogram_bins.map((_, i) => {
    const r = svgEl("rect", { x: i * bw + 0.6, width: bw - 1.2, y: H, height: 0, class: i === 0 ? "hist-zero" : "hist-bar" });
    svg.append(r);
    return r;
  });
  for (const t of binTicks(net.histogram_edges)) {
    const x = t.bin === 0 ? bw / 2 : (t.edge + 2) * bw; // edge j closes bin j + 1, the decade bins start at bin 2
    svg.append(svgEl("line", { x1: x, x2: x, y1: H, y2: H + 3, class: "hist-axis" }));
    const label = svgEl("text", { x, y: H + AXIS - 1, "text-anchor": "middle", class: "hist-tick" });
    label.textContent = t.text;
    svg.append(label);
  }
  item.append(title, svg);
  return { item, title, svg, bars, name: layer.name };
}

/** createHistograms(list, net, config) -> {draw(run, frame)}: cards rebuilt per run, heights per frame. */
export function createHistograms(list, net, config) {
  let cards = [];
  let shownRun = null;
  return {
    draw(run, frame) {
      if (run !== shownRun) {
        cards = run.layers.map((l) => card(l, net));
        list.replaceChildren(...cards.map((c) => c.item));
        shownRun = run;
      }
      run.layers.forEach((layer, j) => {
        const c = cards[j];
        const counts = layer.histogram.counts[frame];
        const total = counts.reduce((a, b) => a + b, 0) || 1;
        counts.forEach((n, i) => {
          const h = (H - 2) * (n / total);
          c.bars[i].setAttribute("y", String(H - h));
          c.bars[i].setAttribute("height", String(h));
        });
        const cls = layer.weight_grad.class[frame];
        const ci = Math.max(0, config.classes.findIndex((k) => k.name === cls));
        c.title.innerHTML = `<span></span> <span class="badge"></span>`;
        c.title.firstChild.textContent = `${layer.name} · ‖g‖ ${num(layer.weight_grad.norm[frame])}`;
        c.title.lastChild.dataset.class = String(ci);
        c.title.lastChild.textContent = cls;
        c.svg.setAttribute("aria-label", describeCounts(layer.name, counts, net.histogram_bins));
      });
    },
  };
}
