// How big the picture's type, lines and marks are, by where it is seen: a phone, a screen, or a
// projector in presentation mode (read from the back of a hall: labels of at least 28 px, lines and
// arrows twice as thick). One table, so the plot, its traces and its shapes always agree.

export const LOOKS = {
  compact: { name: "compact", font: 13, label: 13, line: 0.75, marker: 0.85, arrows: 14, colorbar: false,
    margin: { l: 40, r: 8, t: 22, b: 40 } },
  normal: { name: "normal", font: 18, label: 15, line: 1, marker: 1, arrows: 20, colorbar: true,
    margin: { l: 64, r: 118, t: 28, b: 56 } },
  present: { name: "present", font: 30, label: 28, line: 2, marker: 1.6, arrows: 16, colorbar: true,
    margin: { l: 104, r: 190, t: 44, b: 92 } },
  // several scenes side by side on a projector: each plot a quarter of the screen, so no colour bar
  // (the key says darker is higher) and margins that leave the plot most of its cell
  presentGrid: { name: "presentGrid", font: 28, label: 28, line: 1.6, marker: 1.3, arrows: 12, colorbar: false,
    margin: { l: 84, r: 12, t: 34, b: 76 } },
  // presenting on a phone-sized screen (a phone cast to a screen, a narrow window): the projector's
  // margins would leave the plot a stamp, so a phone's margins with type and lines a step up
  presentNarrow: { name: "presentNarrow", font: 18, label: 17, line: 1.4, marker: 1.2, arrows: 14, colorbar: false,
    margin: { l: 52, r: 10, t: 28, b: 52 } },
};

/** The look for a picture: presenting wins (a grid of scenes has its own), then a narrow screen or small cells.
 * `screen` ({width, height} in CSS px) sizes a projector's look: the type is for 1920x1080 and keeps its
 * share of the screen at other sizes (a 1280x720 projector shows 20 px where 1080p shows 30), as the
 * presentation bar's type does (app.css, 1.55vw), so the plot is not squeezed by margins for 30 px type. */
export function lookFor({ present, compact, scenes = 1, screen = null }) {
  if (present && compact) return LOOKS.presentNarrow;
  if (present) return scaled(scenes > 1 ? LOOKS.presentGrid : LOOKS.present, screen);
  return compact || scenes > 2 ? LOOKS.compact : LOOKS.normal;
}

const DESIGN_SCREEN = { width: 1920, height: 1080 };

function scaled(look, screen) {
  if (!screen) return look;
  const k = Math.min(1.25, Math.max(0.6, Math.min(screen.width / DESIGN_SCREEN.width, screen.height / DESIGN_SCREEN.height)));
  if (Math.abs(k - 1) < 0.02) return look;
  const m = look.margin;
  const round = (v) => Math.round(v * k);
  return { ...look, font: round(look.font), label: round(look.label),
    margin: { l: round(m.l), r: round(m.r), t: round(m.t), b: round(m.b) } };
}
