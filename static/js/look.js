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
};

/** The look for a picture: presenting wins, then a narrow screen. */
export function lookFor({ present, compact }) {
  return present ? LOOKS.present : compact ? LOOKS.compact : LOOKS.normal;
}
