// Round axis ticks that tell their neighbours apart, for every chart and colour bar the page draws.

/**
 * About `count` round ticks across [lo, hi] (steps of 1, 2 or 5 times a power of ten), each written
 * with just the digits that tell it from its neighbours: "0.9999, 1, 1.0001" rather than "1, 1, 1",
 * "−1.2342e−6" rather than a label cut off at "−0.00000(". Plotly's own formats give either too few
 * digits for a loss that barely moves or too many characters for the margin.
 */
export function linearTicks([lo, hi], count = 4) {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9));
  const values = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) values.push(v);
  const big = Math.max(...values.map(Math.abs));
  const sci = big !== 0 && (big >= 1e5 || big < 1e-3);
  const exponent = sci ? Math.floor(Math.log10(big)) : 0;
  const decimals = Math.max(0, -Math.floor(Math.log10(step / 10 ** exponent) + 1e-9));
  const text = values.map((v) => {
    const shown = (v / 10 ** exponent).toFixed(decimals).replace(/^-(0\.?0*)$/, "$1");
    return Number(shown) === 0 ? "0" : shown.replace("-", "−");
  });
  // a power of ten shared by every tick goes once into the axis title, so the labels fit the margin
  return { tickvals: values, ticktext: text, times: sci ? `×10${superscript(exponent)}` : "" };
}

const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
const superscript = (n) => [...String(n)].map((ch) => SUPERSCRIPT[ch]).join("");
