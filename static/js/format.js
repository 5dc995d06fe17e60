// Numbers and names as people read them: three significant figures, words for status names.

/** 1.3209 -> "1.32", 0.65 -> "0.65", 0.00132 -> "0.00132", null -> "undefined". */
export function num(x, digits = 3) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "undefined";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(digits)));
}

export function pair([x, y], digits = 3) {
  return `(${num(x, digits)}, ${num(y, digits)})`;
}

/** "max_steps" -> "max steps" */
export function words(name) {
  return String(name).replaceAll("_", " ");
}

/** A coordinate rounded to what a view of this span can show, so links stay short. */
export function roundTo(x, span) {
  const decimals = Math.max(0, 3 - Math.floor(Math.log10(span)));
  return Number(x.toFixed(decimals));
}
