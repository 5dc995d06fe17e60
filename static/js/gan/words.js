// The run in words: what the charts show, said so that a screen reader, a test and a person in the
// back row read the same numbers. Every count is the API's (modes_captured, outcome, the classes);
// the rule they are counted by is the config's (capture), quoted, never restated as a number here.

import { num, words } from "../format.js";

const last = (a) => a[a.length - 1];

/** "Modes captured: 6 of 8 at step 200 (quality 0.83: the share of samples near a mode)". */
export function modesLine(run, frame) {
  return `Modes captured: ${run.modes_captured[frame]} of ${run.modes.length} at step ${run.steps[frame]} `
    + `(quality ${num(run.quality[frame])}: the share of samples near a mode)`;
}

export function outcomeLine(run, frame) {
  return `Outcome at step ${run.steps[frame]}: ${run.outcome[frame]}.`;
}

/** Each player's gradient at the frame, its norm and its class by name. */
export function gradParts(run, frame) {
  return [["G", "g"], ["D", "d"]].map(([who, key]) => ({
    who, norm: run[`${key}_grad_norm`][frame], cls: run[`${key}_grad_class`][frame],
  }));
}

export function dataLabel(run, frame) {
  const captured = run.captured[frame].filter(Boolean).length;
  return `Samples in data space at step ${run.steps[frame]}: ${captured} of ${run.modes.length} modes captured, `
    + `over ${run.d_grid.label} as a heat map`;
}

export function modesLabel(run) {
  return `Modes captured and quality from step 0 to ${last(run.steps)}: now ${last(run.modes_captured)} of `
    + `${run.modes.length}, quality ${num(last(run.quality))}`;
}

export function gradsLabel(run) {
  const [g, d] = gradParts(run, run.steps.length - 1);
  return `Gradient norms from step 0 to ${last(run.steps)} on a log axis: G ${num(g.norm)} (${g.cls}), `
    + `D ${num(d.norm)} (${d.cls})`;
}

/** The run's state of play: trained so far, and how it ended (the server's own status sentence). */
export function statusLine(run, config, playing) {
  const steps = run.settings.steps;
  const at = last(run.steps);
  if (run.status === "diverged") return `Diverged at step ${run.diverged_at}: ${config.gan.statuses.diverged}`;
  if (run.next === null) return `Trained for ${steps} steps, recorded every ${run.settings.record}.`;
  return `${playing ? "Training" : "Paused"}: step ${at} of ${steps}.`;
}

/** How many of the seeds collapsed at their latest frame (the API's outcome, by the config's rule),
 * and whether the state's own seed did: {sentence, own}. */
export function collapseWords(runs, capture) {
  const done = runs.filter((r) => r.data);
  const outcome = (r) => last(r.data.outcome);
  const k = done[0]?.data.modes.length ?? 0;
  const collapsed = done.filter((r) => outcome(r) === capture.outcomes[1]).length;
  const off = done.filter((r) => outcome(r) === capture.outcomes[0]).length;
  const steps = new Set(done.map((r) => last(r.data.steps)));
  const when = steps.size === 1 ? `at step ${[...steps][0]}` : "at each seed's latest step";
  const rule = `captured at most ${num(capture.collapse_at_most * k)} of the ${k} modes while on the data`;
  const sentence = `${collapsed} of ${done.length} seeds collapsed (${rule}) ${when}`
    + (off ? `; ${off} ${off === 1 ? "is" : "are"} still off the data (quality below ${num(capture.on_data_quality)}).` : ".");
  const own = done[0] && done[0].index === 0 ? done[0].data : null;
  const ownLine = !own ? "" : outcome(done[0]) === capture.outcomes[1]
    ? `This run (seed ${own.settings.seed}) collapsed: ${last(own.modes_captured)} of ${k} modes.`
    : outcome(done[0]) === capture.outcomes[0]
      ? `This run (seed ${own.settings.seed}) is off the data, so it has not collapsed (yet): ${last(own.modes_captured)} of ${k} modes.`
      : `This run (seed ${own.settings.seed}) did not collapse: ${last(own.modes_captured)} of ${k} modes.`;
  return { sentence, own: ownLine };
}

export { words };
