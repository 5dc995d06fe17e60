// The GAN view: one state (state.js), its runs trained chunk by chunk on the server (runner.js), one
// per seed, and what each chunk draws as it lands: data space at the newest frame (dataspace.js), the
// run over training (curves.js), the seeds side by side (seeds.js) and the words (words.js). A knob
// is a state patch that starts a new session at step 0; the picture on screen stays until the new
// session's first frame arrives, so a refused setting (a 400) leaves it there with the reason above.

import { apiUrl } from "../api.js";
import { paintBadge } from "../classes.js";
import { num } from "../format.js";
import { createControls } from "./controls.js";
import { createCurves } from "./curves.js";
import { createDataSpace } from "./dataspace.js";
import { createInsights } from "./insights.js";
import { createSession } from "./runner.js";
import { createSeeds } from "./seeds.js";
import { fromHash, query, sanitize, seedsOf, settingSpecs, toHash } from "./state.js";
import { dataLabel, gradParts, gradsLabel, modesLabel, modesLine, outcomeLine, statusLine } from "./words.js";

const $ = (id) => document.getElementById(id);
// Recorded frames per request: small enough that a chunk lands within a second at the default
// settings (so Pause is prompt and the picture moves), large enough that a run is a few dozen requests.
const CHUNK_FRAMES = 5;

const linkOf = (state, gan) => {
  const hash = toHash(state, gan);
  return hash === "#" ? location.pathname : hash;
};

class GanView {
  constructor(config) {
    this.config = config;
    const gan = (this.gan = config.gan);
    this.state = fromHash(location.hash, gan);
    this.current = null; // the session on screen
    this.pending = null; // the session whose first frame is awaited (or was refused)
    this.drawing = 0; // main pictures being drawn
    this.playedAt = null; // when Play was pressed, until the first chunk it asked for is drawn
    this.compact = window.matchMedia("(max-width: 700px)").matches;
    this.figure = $("data-figure");
    this.dataspace = createDataSpace($("dataspace"));
    this.curves = createCurves($("modes"), $("grads"), config);
    this.seeds = createSeeds($("seeds"), $("collapse"), $("own-run"), gan.capture);
    this.controls = createControls($("knobs"), config, { change: (p) => this.change(p), current: () => this.state });
    this.insights = createInsights($("presets"), gan, {
      open: (preset) => {
        this.change(preset);
        this.figure.scrollIntoView({ block: "nearest", behavior: "smooth" });
      },
    });
    $("play").addEventListener("click", () => this.toggle());
    $("step").addEventListener("click", () => this.step());
    $("restart").addEventListener("click", () => this.start());
    window.addEventListener("hashchange", () => this.onHash());
    this.reflect();
    this.start();
  }

  change(patch) {
    this.state = sanitize({ ...this.state, ...patch }, this.gan);
    history.replaceState(null, "", linkOf(this.state, this.gan));
    this.reflect();
    this.start();
  }

  reflect() {
    this.controls.reflect(this.state);
    this.insights.render(this.state);
  }

  /** A new session for the state: every seed's step-0 frame, shown once the first seed's arrives. */
  start() {
    this.pending?.close();
    const state = this.state;
    const grid = settingSpecs(this.gan).find((p) => p.name === "grid").min; // the small pictures' D: coarse is enough
    const urls = seedsOf(state, this.gan).map((seed, i) => (from, to) => apiUrl("gan", {
      ...query(state, this.gan, i ? { seed, grid } : { seed }), from, to }));
    const session = createSession({
      urls, steps: state.steps, record: state.record, frames: CHUNK_FRAMES,
      onChunk: (run) => this.onChunk(session, run),
      onError: (run) => this.onError(session, run),
      onChange: () => this.showProgress(),
    });
    this.pending = session;
    this.figure.setAttribute("aria-busy", "true");
    return session.load();
  }

  onChunk(session, run) {
    if (session === this.pending && run.index === 0) this.promote(session);
    if (session !== this.current) return;
    this.alert("");
    if (!run.added) return; // nothing new to draw: the chunk only trained (or replayed) on
    if (run.index === 0) this.drawMain(run.data);
    this.seeds.draw(session.runs, run);
  }

  /** The pending session's first frame is in: it replaces the one on screen. */
  promote(session) {
    if (this.current !== session) this.current?.close();
    this.current = session;
    this.pending = null;
    this.seeds.reset(seedsOf(this.state, this.gan));
    for (const run of session.runs) if (run.data && run.index) this.seeds.draw(session.runs, run);
  }

  onError(session, run) {
    if (session !== this.current && session !== this.pending) return;
    const kept = this.current && session === this.pending ? " The picture shown is the last one that loaded." : "";
    this.alert(`Seed ${seedsOf(this.state, this.gan)[run.index] ?? ""}: ${run.error}${kept}`);
    this.showProgress();
  }

  drawMain(run) {
    const started = performance.now(); // for the bench: how long a chunk takes to draw, and Play to the first
    const frame = run.steps.length - 1;
    $("dataspace").setAttribute("aria-label", dataLabel(run, frame));
    $("modes").setAttribute("aria-label", modesLabel(run));
    $("grads").setAttribute("aria-label", gradsLabel(run));
    $("mode-count").textContent = modesLine(run, frame);
    $("outcome").textContent = outcomeLine(run, frame);
    $("grad-classes").replaceChildren(...gradParts(run, frame).map(({ who, norm, cls }) => {
      const li = document.createElement("li");
      li.append(`${who}'s gradient norm ${num(norm)}: `, paintBadge(document.createElement("span"), this.config, cls));
      return li;
    }));
    $("status").textContent = statusLine(run, this.config, this.current?.playing);
    const thresholds = { vanish: this.state.vanish, explode: this.state.explode };
    const drawn = this.current;
    this.drawing++;
    Promise.all([
      this.dataspace.draw({ run, frame, compact: this.compact }),
      this.curves.draw({ run, thresholds, compact: this.compact }),
    ]).then(() => {
      performance.measure("gan-chunk-draw", { start: started });
      if (this.playedAt !== null && frame > 0) {
        performance.measure("gan-play-to-first-chunk", { start: this.playedAt });
        this.playedAt = null;
      }
    }).catch((err) => this.alert(`The charts cannot be drawn: ${err.message}. Reload the page.`)).finally(() => {
      this.drawing--;
      if (drawn === this.current) this.showProgress();
    });
  }

  toggle() {
    if (this.pending?.runs[0].error) return this.onError(this.pending, this.pending.runs[0]); // still refused
    const s = this.current;
    if (!s) return undefined;
    if (!s.playing) this.playedAt = performance.now();
    if (s.playing) s.pause();
    else if (s.done) {
      this.start().then(() => this.current?.play()); // Play after the end: from step 0 again, as a player replays
    } else s.play();
    return undefined;
  }

  step() {
    if (this.pending?.runs[0].error) return this.onError(this.pending, this.pending.runs[0]);
    return this.current?.step();
  }

  showProgress() {
    const s = this.current;
    const total = this.state.steps * (s?.runs.length ?? 1);
    const done = s ? s.runs.reduce((sum, r) => sum + (r.data ? r.data.steps.at(-1) : 0), 0) : 0;
    const main = s?.runs[0].data;
    $("progress").max = Math.max(1, total);
    $("progress").value = s?.done ? Math.max(1, total) : done;
    $("frame").value = main ? `Step ${main.steps.at(-1)} of ${main.settings.steps}` : "Step 0 of 0";
    $("play").textContent = s?.playing ? "Pause" : "Play";
    if (main) $("status").textContent = statusLine(main, this.config, s.playing);
    // busy while a request is out or a picture is being drawn: a test (and a screen reader) waits on it
    const busy = Boolean(this.pending && !this.pending.runs[0].error) || Boolean(s?.busy) || this.drawing > 0;
    this.figure.setAttribute("aria-busy", String(busy));
  }

  alert(text) {
    $("run-error").textContent = text;
    $("run-error").hidden = !text;
  }

  /** A link followed (or Back): its run. An in-page link (#controls) names an element, not a run. */
  onHash() {
    const target = !location.hash.includes("=") && location.hash.length > 1 && document.getElementById(location.hash.slice(1));
    if (target) {
      history.replaceState(null, "", linkOf(this.state, this.gan));
      target.focus();
      return;
    }
    this.state = fromHash(location.hash, this.gan);
    this.reflect();
    this.start();
  }
}

new GanView(JSON.parse(document.getElementById("bootstrap").textContent).config);
