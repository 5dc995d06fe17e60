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

/** The look for a picture: presenting wins (a grid of scenes has its own), then a narrow screen or small cells. */
export function lookFor({ present, compact, scenes = 1 }) {
  if (present && compact) return LOOKS.presentNarrow;
  if (present) return scenes > 1 ? LOOKS.presentGrid : LOOKS.present;
  return compact || scenes > 2 ? LOOKS.compact : LOOKS.normal;
}
