// The deep-network view: one state (state.js), one run from /api/network, and a render of it at the
// player's recorded step. A knob is a state patch; the loader keeps one channel ("run") that never
// queues (the newest wish replaces a pending one), so dragging through values costs at most one run
// in flight plus the latest. A run's charts are drawn once; a frame moves only what follows the step.

import { apiUrl, createLoader } from "../api.js";
import { createPlayer, SPEEDS } from "../player.js";
import { createBars, drawBarKey } from "./bars.js";
import { createBoundary } from "./boundary.js";
import { createControls } from "./controls.js";
import { createHistograms } from "./histograms.js";
import { createInsights } from "./insights.js";
import { fromHash, frameOf, query, sanitize, toHash } from "./state.js";
import { barsLabel, boundaryLabel, heatLabel, lossLabel, statusSentence, stepSummary } from "./summary.js";
import { createTimeline, heatBuild, lossBuild } from "./timeline.js";

const $ = (id) => document.getElementById(id);

function start({ config }) {
  const net = config.network;
  const compact = window.matchMedia("(max-width: 700px)").matches;
  let state = fromHash(location.hash, net);
  let shownRun = null; // the run whose charts are up
  let renderQueued = false;
  let generation = 0; // bumped by each state change, so a late draw cannot claim the picture is current
  let knobAt = "load-input"; // what the next whole picture answers: a knob, a preset, the page's load

  const figure = $("bars-figure");
  const loader = createLoader(scheduleRender, { cacheSize: 24 }); // an answer is ~100-300 KB
  const player = createPlayer({ onFrame: onFrame, onChange: reflectPlayer });
  const controls = createControls($("knobs"), net, { change, current: () => state });
  const bars = createBars($("bars"));
  const heat = createTimeline($("heat"), heatBuild(config));
  const loss = createTimeline($("loss"), lossBuild);
  const boundary = createBoundary($("boundary"));
  const histograms = createHistograms($("histograms"), net, config);
  const insights = createInsights($("presets"), net, {
    open: (preset) => {
      change({ ...preset, speed: state.speed }, "preset");
      $("bars-figure").scrollIntoView({ block: "nearest", behavior: "smooth" });
    },
  });
  drawBarKey($("bars-key"), config);

  // -- intents ---------------------------------------------------------------------------------
  /** The state's link: its hash, or the bare page for the defaults. */
  function link(s) {
    const hash = toHash(s, net);
    return hash === "#" ? location.pathname : hash;
  }

  function change(patch, how = "knob") {
    state = sanitize({ ...state, ...patch }, net);
    history.replaceState(null, "", link(state));
    knobAt = `${how}-input`;
    performance.mark(knobAt);
    update();
  }

  function onFrame(frame) {
    if (shownRun) state = { ...state, at: shownRun.steps[frame] };
    scheduleRender();
  }

  function reflectPlayer() {
    $("play").textContent = player.playing ? "Pause" : "Play";
    const steps = shownRun?.steps;
    $("frame").value = steps ? `Step ${steps[player.frame]} of ${steps.at(-1)}` : "Step 0 of 0";
    if (!player.playing) history.replaceState(null, "", link(state)); // a paused step is a link
  }

  // -- updating and drawing -------------------------------------------------------------------
  function update() {
    generation++;
    figure.setAttribute("aria-busy", "true");
    loader.sync(new Map([["run", apiUrl("network", query(state, net))]]));
    controls.reflect(state);
    insights.render(state);
    player.setSpeed(state.speed);
    $("speed").value = state.speed;
    scheduleRender();
  }

  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    const run = () => {
      renderQueued = false;
      render();
    };
    if (player.playing) requestAnimationFrame(run);
    else setTimeout(run, 0);
  }

  function render() {
    const got = loader.get("run");
    const alert = $("run-error");
    alert.textContent = got.error ? `${got.error} The picture shown is the last one that loaded.` : "";
    alert.hidden = !got.error;
    if (got.error) figure.setAttribute("aria-busy", "false"); // done: the picture stays, the alert says why
    const run = got.data;
    if (!run) return;
    if (run !== shownRun) { // a new answer: the player's length, and the step the state names
      shownRun = run;
      player.setLength(run.steps.length - 1);
      player.seek(frameOf(run.steps, state.at));
    }
    const frame = Math.min(player.frame, run.steps.length - 1);
    draw(run, frame, got.fresh);
  }

  function draw(run, frame, fresh) {
    const step = run.steps[frame];
    const words = stepSummary(run, frame, net, config);
    $("status").textContent = statusSentence(run, net);
    $("step-headline").textContent = words.headline;
    $("step-lines").replaceChildren(...words.lines.map((t) => Object.assign(document.createElement("li"), { textContent: t })));
    $("bars").setAttribute("aria-label", barsLabel(run, frame, net, config));
    $("heat").setAttribute("aria-label", heatLabel(run));
    $("loss").setAttribute("aria-label", lossLabel(run));
    $("boundary").setAttribute("aria-label", boundaryLabel(run));
    $("boundary-title").textContent = run.boundary.p ? "Decision boundary after training" : "Fitted curve after training";
    $("boundary-caption").textContent = run.status === "diverged" ? boundaryLabel(run) : run.boundary.p
      ? "From the final weights. Blue: p(class 1) near 0, orange: near 1, black line: p = 0.5; circles are class 0, "
        + "triangles class 1."
      : "From the final weights: the training points (blue) and the network's fitted curve (black).";
    histograms.draw(run, frame);
    reflectPlayer();
    const drawn = generation;
    drawCharts(run, frame, step).then(() => {
      if (drawn !== generation || !fresh) return;
      figure.setAttribute("aria-busy", "false");
      if (knobAt) performance.mark(`${knobAt.replace("-input", "")}-drawn`);
      knobAt = null;
    }).catch((err) => { // plotly.min.js did not load: say so, the words above still hold
      const alert = $("run-error");
      alert.textContent = `The charts cannot be drawn: ${err.message}. Reload the page.`;
      alert.hidden = false;
    });
  }

  /** The bars first, and painted, before the charts of the whole run: the bars are what a knob is
   * turned to see, and the other three would hold them back by as long again (each Plotly draw is
   * one long task). A frame of the same run moves only the bars and the cursors. */
  async function drawCharts(run, frame, step) {
    await bars.draw({ run, frame, config, compact });
    if (knobAt && loader.get("run").fresh) performance.mark(`${knobAt.replace("-input", "")}-bars`);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    await Promise.all([heat.draw({ run, step, compact }), loss.draw({ run, step, compact }), boundary.draw({ run, compact })]);
  }

  // -- wiring -----------------------------------------------------------------------------------
  for (const s of SPEEDS) $("speed").append(Object.assign(document.createElement("option"), { value: s.name, textContent: s.label }));
  $("play").addEventListener("click", () => player.toggle());
  $("step").addEventListener("click", () => player.step());
  $("restart").addEventListener("click", () => player.restart());
  $("speed").addEventListener("change", () => change({ speed: $("speed").value }, "speed"));
  window.addEventListener("hashchange", () => {
    // an in-page link (the skip link's #controls) names an element, not a run: go there, keep the link
    const target = !location.hash.includes("=") && location.hash.length > 1 && document.getElementById(location.hash.slice(1));
    if (target) {
      history.replaceState(null, "", link(state));
      target.focus();
      return;
    }
    state = fromHash(location.hash, net);
    shownRun = null; // a link's step is shown even if the run is the one on screen
    update();
  });
  update();
}

start(JSON.parse(document.getElementById("bootstrap").textContent));
