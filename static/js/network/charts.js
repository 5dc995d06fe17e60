// Everything a run shows at a recorded step: the words (the step's summary, the status, each chart's
// text alternative) and the charts, drawn in the order that matters. The bars come first and are
// painted before the charts of the whole run: the bars are what a knob is turned to see, and the
// other three would hold them back by as long again (each Plotly draw is one long task). A frame of
// the same run moves only the bars, the cursors and the histograms.

import { createBars, drawBarKey } from "./bars.js";
import { createBoundary } from "./boundary.js";
import { createHistograms } from "./histograms.js";
import { barsLabel, boundaryLabel, heatLabel, lossLabel, statusSentence, stepSummary } from "./summary.js";
import { createTimeline, heatBuild, lossBuild } from "./timeline.js";

const BOUNDARY_CAPTION = "From the final weights. Blue: p(class 1) near 0, orange: near 1, black line: p = 0.5; "
  + "circles are class 0, triangles class 1.";
const CURVE_CAPTION = "From the final weights: the training points (blue) and the network's fitted curve (black).";

const nextPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/** The run in words, at recorded step `frame`, into the page's elements (`el`, by role). */
function writeWords(el, run, frame, net, config) {
  const words = stepSummary(run, frame, net, config);
  el.status.textContent = statusSentence(run, net);
  el.headline.textContent = words.headline;
  el.lines.replaceChildren(...words.lines.map((t) => Object.assign(document.createElement("li"), { textContent: t })));
  el.bars.setAttribute("aria-label", barsLabel(run, frame, net, config));
  el.heat.setAttribute("aria-label", heatLabel(run));
  el.loss.setAttribute("aria-label", lossLabel(run));
  el.boundary.setAttribute("aria-label", boundaryLabel(run));
  el.boundaryTitle.textContent = run.boundary.p ? "Decision boundary after training" : "Fitted curve after training";
  el.boundaryCaption.textContent = run.status === "diverged" ? boundaryLabel(run)
    : run.boundary.p ? BOUNDARY_CAPTION : CURVE_CAPTION;
}

/**
 * createCharts(el, net, config, compact) -> {draw(run, frame, onBars) -> Promise}: the words at once,
 * then the bars (onBars() once they are on screen), then the rest; resolves once all are drawn.
 */
export function createCharts(el, net, config, compact) {
  const bars = createBars(el.bars);
  const heat = createTimeline(el.heat, heatBuild(config));
  const loss = createTimeline(el.loss, lossBuild);
  const boundary = createBoundary(el.boundary);
  const histograms = createHistograms(el.histograms, net, config);
  drawBarKey(el.barsKey, config);
  return {
    async draw(run, frame, onBars) {
      writeWords(el, run, frame, net, config);
      histograms.draw(run, frame);
      const step = run.steps[frame];
      await bars.draw({ run, frame, config, compact });
      onBars();
      await nextPaint();
      await Promise.all([heat.draw({ run, step, compact }), loss.draw({ run, step, compact }), boundary.draw({ run, compact })]);
    },
  };
}
