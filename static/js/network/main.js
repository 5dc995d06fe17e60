// The deep-network view: one state (state.js), one run from /api/network, and a render of it at the
// player's recorded step (charts.js). A knob is a state patch; the loader keeps one channel ("run")
// that never queues (the newest wish replaces a pending one), so running through values costs at
// most one run in flight plus the latest. The view's own variables live in its object, never in
// the module.

import { apiUrl, createLoader } from "../api.js";
import { createPlayer, SPEEDS } from "../player.js";
import { createCharts } from "./charts.js";
import { createControls } from "./controls.js";
import { createInsights } from "./insights.js";
import { fromHash, frameOf, query, sanitize, toHash } from "./state.js";

const $ = (id) => document.getElementById(id);

const ELEMENTS = {
  bars: "bars", barsKey: "bars-key", heat: "heat", loss: "loss", boundary: "boundary", boundaryTitle: "boundary-title",
  boundaryCaption: "boundary-caption", histograms: "histograms", status: "status", headline: "step-headline", lines: "step-lines",
};

/** A state's link: its hash, or the bare page for the defaults. */
function linkOf(state, net) {
  const hash = toHash(state, net);
  return hash === "#" ? location.pathname : hash;
}

/** Play, Step, Restart and Speed, and the step counter, for `player`. */
function wirePlayer(player, change) {
  const speed = $("speed");
  for (const s of SPEEDS) speed.append(Object.assign(document.createElement("option"), { value: s.name, textContent: s.label }));
  $("play").addEventListener("click", () => player.toggle());
  $("step").addEventListener("click", () => player.step());
  $("restart").addEventListener("click", () => player.restart());
  speed.addEventListener("change", () => change({ speed: speed.value }, "speed"));
  return (steps) => {
    $("play").textContent = player.playing ? "Pause" : "Play";
    $("frame").value = steps ? `Step ${steps[player.frame]} of ${steps.at(-1)}` : "Step 0 of 0";
  };
}

/** The view: its state and the run on screen, and what turns a knob, a frame or a link into a picture. */
class NetworkView {
  constructor(config) {
    const net = (this.net = config.network);
    this.state = fromHash(location.hash, net);
    this.run = null; // the answer whose charts are up
    this.queued = false;
    this.generation = 0; // bumped by each change, so a late draw cannot claim the picture is current
    this.knob = "load"; // what the next whole picture answers, for the performance marks
    this.figure = $("bars-figure");
    const el = Object.fromEntries(Object.entries(ELEMENTS).map(([k, id]) => [k, $(id)]));
    this.charts = createCharts(el, net, config, window.matchMedia("(max-width: 700px)").matches);
    this.loader = createLoader(() => this.schedule(), { cacheSize: 24 }); // an answer is ~100-300 KB
    this.player = createPlayer({ onFrame: (f) => this.onFrame(f), onChange: () => this.reflectPlayer() });
    this.showPlayer = wirePlayer(this.player, (patch, how) => this.change(patch, how));
    this.controls = createControls($("knobs"), net, { change: (p) => this.change(p), current: () => this.state });
    this.insights = createInsights($("presets"), net, {
      open: (preset) => {
        this.change({ ...preset, speed: this.state.speed }, "preset");
        this.figure.scrollIntoView({ block: "nearest", behavior: "smooth" });
      },
    });
    window.addEventListener("hashchange", () => this.onHash());
    this.update();
  }

  change(patch, how = "knob") {
    this.state = sanitize({ ...this.state, ...patch }, this.net);
    history.replaceState(null, "", linkOf(this.state, this.net));
    this.knob = how;
    performance.mark(`${how}-input`);
    this.update();
  }

  onFrame(frame) {
    if (this.run) this.state = { ...this.state, at: this.run.steps[frame] };
    this.schedule();
  }

  reflectPlayer() {
    this.showPlayer(this.run?.steps);
    if (!this.player.playing) history.replaceState(null, "", linkOf(this.state, this.net)); // a paused step is a link
  }

  update() {
    this.generation++;
    this.figure.setAttribute("aria-busy", "true");
    this.loader.sync(new Map([["run", apiUrl("network", query(this.state, this.net))]]));
    this.controls.reflect(this.state);
    this.insights.render(this.state);
    this.player.setSpeed(this.state.speed);
    $("speed").value = this.state.speed;
    this.schedule();
  }

  /** One render per task (per animation frame while playing), however many reasons arrive. */
  schedule() {
    if (this.queued) return;
    this.queued = true;
    const run = () => {
      this.queued = false;
      this.render();
    };
    if (this.player.playing) requestAnimationFrame(run);
    else setTimeout(run, 0);
  }

  render() {
    const got = this.loader.get("run");
    this.alert(got.error ? `${got.error} The picture shown is the last one that loaded.` : "");
    if (got.error) this.figure.setAttribute("aria-busy", "false"); // done: the picture stays, the alert says why
    if (!got.data) return;
    if (got.data !== this.run) { // a new answer: the player's length, and the step the state names
      this.run = got.data;
      this.player.setLength(this.run.steps.length - 1);
      this.player.seek(frameOf(this.run.steps, this.state.at));
    }
    this.reflectPlayer();
    const drawn = this.generation;
    const current = () => drawn === this.generation && got.fresh;
    this.charts.draw(this.run, Math.min(this.player.frame, this.run.steps.length - 1), () => {
      if (current() && this.knob) performance.mark(`${this.knob}-bars`);
    }).then(() => {
      if (!current()) return;
      this.figure.setAttribute("aria-busy", "false");
      if (this.knob) performance.mark(`${this.knob}-drawn`);
      this.knob = null;
    }).catch((err) => this.alert(`The charts cannot be drawn: ${err.message}. Reload the page.`)); // no plotly.min.js
  }

  alert(text) {
    $("run-error").textContent = text;
    $("run-error").hidden = !text;
  }

  /** A link followed (or Back): its run and step. An in-page link (the skip link's #controls) names an
   * element, not a run: go there and keep the link. */
  onHash() {
    const target = !location.hash.includes("=") && location.hash.length > 1 && document.getElementById(location.hash.slice(1));
    if (target) {
      history.replaceState(null, "", linkOf(this.state, this.net));
      target.focus();
      return;
    }
    this.state = fromHash(location.hash, this.net);
    this.run = null; // a link's step is shown even if its run is the one on screen
    this.update();
  }
}

new NetworkView(JSON.parse(document.getElementById("bootstrap").textContent).config);
