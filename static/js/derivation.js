// The worked example for the selected point, from /api/gradient's derivation: each step's words,
// then its MathML (which browsers render natively; it comes from our own server's SymPy printer).
// "Copy LaTeX" puts every step's LaTeX on the clipboard for slides; the same LaTeX sits in a
// <details> box, so it can be selected by hand where the clipboard is not available.

import { pair } from "./format.js";

export function createWorkedExample(root) {
  const intro = root.querySelector("#worked-intro");
  const steps = root.querySelector("#worked-steps");
  const latexBox = root.querySelector("#worked-latex");
  const copy = root.querySelector("#copy-latex");
  const status = root.querySelector("#copy-status");
  let shown = null;
  // An equation wider than its box scrolls sideways; on a phone nothing shows that it does, so each
  // one that overflows says so (and fades at its edge) until the box is wide enough again.
  const cue = () => steps.querySelectorAll(".math").forEach(markOverflow);
  new ResizeObserver(cue).observe(steps);

  copy.addEventListener("click", async () => {
    const text = latexBox.value;
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "LaTeX copied to the clipboard.";
    } catch {
      latexBox.closest("details").open = true;
      latexBox.focus();
      latexBox.select();
      status.textContent = "Clipboard unavailable: the LaTeX is selected below, press Ctrl+C to copy.";
    }
  });

  return {
    /** point: {xy, index} or null; derivation: the API's list of steps or null; error: a message;
     * note: where the chosen method's own step differs from the one worked here, or null. */
    render(point, derivation, error, note = null) {
      const key = [point?.index, point?.xy, derivation, error, note];
      if (shown && key.every((v, i) => v === shown[i] || JSON.stringify(v) === JSON.stringify(shown[i]))) return;
      shown = key;
      copy.disabled = !derivation;
      if (!point) {
        intro.textContent = "Add a sample point, or choose Explain on one, to see a step worked by hand.";
        steps.replaceChildren();
        latexBox.value = "";
        return;
      }
      intro.textContent = error
        ? `Point ${point.index + 1} at ${pair(point.xy)}: ${error}`
        : `One step from point ${point.index + 1} at ${pair(point.xy)}, worked by hand${derivation ? "" : " (computing…)"}.`
          + (note ? ` ${note}` : "");
      if (!derivation) return;
      steps.replaceChildren(...derivation.map((s, i) => {
        const li = document.createElement("li");
        const h = document.createElement("h3");
        h.textContent = `Step ${i + 1}: ${s.title}`;
        const p = document.createElement("p");
        p.textContent = s.text;
        const math = document.createElement("div");
        math.className = "math";
        math.innerHTML = s.mathml;
        li.append(h, p, math);
        return li;
      }));
      latexBox.value = derivation.map((s, i) => `% Step ${i + 1}: ${s.title}\n${s.latex}`).join("\n\n");
      requestAnimationFrame(cue);
    },
  };
}

function markOverflow(math) {
  const over = math.scrollWidth > math.clientWidth + 1;
  math.classList.toggle("overflows", over);
  if (over) math.tabIndex = 0; // a box that scrolls is reached by keyboard, and scrolled with the arrows
  else math.removeAttribute("tabindex");
  let note = math.nextElementSibling;
  if (!note?.classList.contains("scroll-cue")) {
    if (!over) return;
    note = document.createElement("p");
    note.className = "scroll-cue";
    note.textContent = "Scroll sideways for the rest of this equation.";
    math.after(note);
  }
  note.hidden = !over;
}
