// Gradient Flow's main view: one store (store.js), one render(state, data) (view.js), the intents a
// person has (intents.js); this file only puts them together and binds the page's buttons.
// The module starts fetching the moment it runs; Plotly (a separate deferred script) is awaited
// only when the first picture is drawn, so data and the 4.6 MB library load side by side.

import { createLoader, wantedUrls } from "./api.js";
import { createBasins } from "./basins.js";
import { checkNumber, createControls } from "./controls.js";
import { createCurve } from "./curve.js";
import { createDeck, slidesOf } from "./deck.js";
import { createWorkedExample } from "./derivation.js";
import { createInsights } from "./insights.js";
import { createIntents } from "./intents.js";
import { bindShortcuts } from "./keys.js";
import { createPlayer } from "./player.js";
import { classKey, createPlot, drawMethodKey, methodKey } from "./plot.js";
import { createPhase } from "./phase.js";
import { createPointsList } from "./points.js";
import { bindProbe } from "./probe.js";
import { createReadout } from "./readout.js";
import { bindSheet } from "./sheet.js";
import { bindTabs } from "./tabs.js";
import { collect } from "./scene.js";
import { createCells, describeScene, sceneLabel } from "./cells.js";
import { PRESENTATION_WIDTH, figureSvg, recordRun, svgToPng } from "./export.js";
import { buildSavedPage } from "./savepage.js";
import { createStability } from "./stability.js";
import { fromHash, kindEntry, sceneState, toHash, viewOf } from "./state.js";
import { createStore } from "./store.js";
import { createTiming, createView } from "./view.js";

const FIELD_N = 61; // 3721 values: smooth contours, and half the drawing time of 81
const $ = (id) => document.getElementById(id);

function start(bootstrap) {
  const { config, losses } = bootstrap;
  const snapshot = savedSnapshot(); // a page saved for offline use carries its pictures' answers
  if (snapshot && !location.hash) history.replaceState(null, "", snapshot.hash);
  const narrow = window.matchMedia("(max-width: 700px)"); // a phone: app.css says the same width
  const compact = narrow.matches;
  keepHeaderHeight();
  const figure = document.querySelector("figure");
  const timing = createTiming();
  let renderQueued = false;
  let drawn = Promise.resolve(); // the latest render's drawing: a video waits on it, frame by frame

  const store = createStore(bootstrap, update);
  const loader = createLoader(scheduleRender, { answers: snapshot?.answers ?? null });
  const player = createPlayer({ onFrame: scheduleRender, onChange: () => controls.reflectPlayer(player) });
  const intents = createIntents(bootstrap, {
    store, loader, player, timing, fieldN: FIELD_N, get controls() { return controls; },
  });
  const controls = createControls(document, bootstrap, {
    change: intents.change, applyExpression: intents.applyExpression, openLoss: intents.openLoss,
    current: () => store.state, player,
  });
  const readout = createReadout($("readout"));
  const valueName = () => kindEntry(store.state, config, losses).value_name;
  const probe = bindProbe($("plot"), {
    field: () => loader.get("field").data,
    read: (at, announce) => readout.show(loader.get("field").data, at, valueName(), announce),
    add: (x, y) => intents.addPoint(x, y, "keyboard"),
  });
  const plot = createPlot($("plot"), config, {
    onClick: (x, y) => { probe.tap(x, y); intents.addPoint(x, y, "click"); },
    onHover: (at) => readout.show(loader.get("field").data, at, valueName()),
    onView: (v) => intents.setView(v),
  });
  const list = createPointsList($("points"), config, {
    select: (i) => intents.change({ selected: i }),
    remove: (i) => intents.change({
      points: store.state.points.filter((_, j) => j !== i),
      selected: i < store.state.selected ? store.state.selected - 1 : store.state.selected,
    }),
  });
  const insights = createInsights($("insights"), bootstrap, {
    openScene: (scene) => {
      intents.openScene(scene);
      figure.scrollIntoView({ block: "nearest", behavior: "smooth" });
    },
    legend: $("legend"),
  });
  const cells = createCells($("plots"), $("main-scene-title"), config, {
    edit: intents.editScene, remove: intents.removeScene,
    onClick: (x, y) => intents.addPoint(x, y, "click"), onView: (v) => intents.setView(v),
  });
  const lab = { // the GAN lab's panels in the side column: each changes the state only through the store
    stability: createStability($("stability"), bootstrap, { change: intents.change }),
    basins: createBasins($("basins"), bootstrap, { change: intents.change, timing }),
    phase: createPhase($("phase"), bootstrap, { change: intents.change }),
  };
  const view = createView(bootstrap, {
    lab,
    plot, plotEl: $("plot"), figure, list, player, timing, compact, alertEl: $("plot-error"), cells, marks: $("marks"),
    worked: createWorkedExample($("worked")), curve: createCurve($("curve"), $("curve-caption"), config),
  });

  const deck = createDeck($("deck"), bootstrap, { store, onFile: download });
  bindDeck(deck);

  function update(state) {
    figure.setAttribute("aria-busy", "true");
    showPresenting(state, deck.note(state));
    deck.render(state);
    const axes = viewOf(state, losses, loader.get("field").data); // the axes the scenes beside it share
    loader.sync(wantedUrls(state, config, losses, { fieldN: FIELD_N, view: axes }), new Set(["derivation"]));
    controls.reflect(state);
    drawMethodKey($("method-key"), config, state.method, state.compare);
    player.setSpeed(state.speed);
    insights.render(state);
    scheduleRender();
  }

  /** Coalesce renders: to the next animation frame while playing, else to the next task (sooner). */
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    const run = () => {
      renderQueued = false;
      const generation = store.generation;
      const s = store.state;
      const beside = s.scenes.map((_, k) => collect(sceneState(s, k + 1), loader, `s${k + 1}:`));
      drawn = view.render(s, collect(s, loader), generation, (g) => g === store.generation,
        (ms) => setTimeout(scheduleRender, ms), beside) ?? drawn;
    };
    if (player.playing) requestAnimationFrame(run);
    else setTimeout(run, 0);
  }

  const cellsOf = (s) => s.scenes.map((_, k) => cells.cell(k + 1)).filter(Boolean);
  bindButtons(intents, plot, store);
  bindSaving({ plot, cells: () => cellsOf(store.state), store, bootstrap, loader, player,
    settled: async () => { // the picture for the frame just asked for, drawn
      while (renderQueued) await new Promise((r) => setTimeout(r, 0));
      await drawn;
    } });
  const present = (on) => {
    intents.change({ present: on ? 1 : 0 });
    if (on && !document.fullscreenElement) document.documentElement.requestFullscreen?.().catch(() => {});
    if (!on && document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
  };
  $("present").addEventListener("click", () => present(true));
  // a projector's look is sized to the screen (look.js): full screen, or a window resized, redraws it
  addEventListener("resize", () => { if (store.state.present) scheduleRender(); });
  // Escape in full screen is the browser's: it leaves full screen without a key event, so that is the cue
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && store.state.present) intents.change({ present: 0 });
  });
  $("present-leave").addEventListener("click", () => present(false));
  bindShortcuts({
    toggle: () => player.toggle(), step: () => player.step(), restart: () => player.restart(),
    present: () => present(!store.state.present), leave: () => store.state.present && present(false),
    next: deck.actions.next, previous: deck.actions.previous,
  }, $("shortcuts"));
  bindForms(intents, timing);
  bindTabs(document.querySelector("#controls .control-tabs"), narrow);
  bindSheet($("controls"), $("sheet-open"), $("sheet-close"), $("plot"));
  bindHash(store, config);
  timing.waitFor("first-plot", ["field", "analysis",
    ...store.state.points.flatMap((_, i) => [`grad:${i}`, `traj:${i}`])]);
  update(store.state);
  controls.reflectPlayer(player);
}

/** Presentation mode is a class on the body (app.css hides all but the stage) and a bar that says
 * what is on screen: the deck's slide and its sentence, or how to move. */
function showPresenting(state, slideNote) {
  const on = Boolean(state.present);
  document.body.classList.toggle("presenting", on);
  $("present-bar").hidden = !on;
  $("present-note").textContent = on ? slideNote ?? "Space plays, → steps, R restarts, Escape leaves." : "";
  $("slide-previous").hidden = $("slide-next").hidden = slideNote === null;
}

/** A file the person asked for (a deck, a picture, a page, a video), saved under `name`. */
function download(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function bindDeck(deck) {
  const on = (id, fn) => $(id).addEventListener("click", fn);
  on("deck-add", deck.actions.add);
  on("deck-builtin", deck.actions.builtin);
  on("deck-save", deck.actions.save);
  on("slide-next", deck.actions.next);
  on("slide-previous", deck.actions.previous);
  $("deck-open").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    try {
      await deck.actions.open(file);
      $("deck-error").hidden = true;
    } catch (err) {
      $("deck-error").textContent = `That file is not a deck this page can open: ${err.message}`;
      $("deck-error").hidden = false;
    }
    e.target.value = "";
  });
}

/** The stage is a screen tall less the header (app.css), whatever the header's height. */
function keepHeaderHeight() {
  const header = document.querySelector(".top");
  new ResizeObserver(() => document.documentElement.style.setProperty("--header", `${header.offsetHeight}px`))
    .observe(header);
}

function bindButtons(intents, plot, store) {
  const on = (id, fn) => $(id).addEventListener("click", fn);
  on("add-point", intents.addRandomPoint);
  on("add-scene", intents.addScene);
  on("clear-points", () => intents.change({ points: [], selected: -1 }));
  on("reset", intents.reset);
  on("zoom-in", () => intents.zoom(0.5));
  on("zoom-out", () => intents.zoom(2));
  on("default-view", () => intents.change({ view: null }));
  for (const b of document.querySelectorAll("button[data-pan]")) {
    b.addEventListener("click", () => intents.pan(...b.dataset.pan.split(",").map(Number)));
  }
}

/** The save menu: pictures (PNG at 1x, 2x, 4x; SVG), the page for offline use, the run as video, the link. */
/** The answers and picture a saved page holds, or null on the live page. */
function savedSnapshot() {
  const el = document.getElementById("snapshot");
  return el ? JSON.parse(el.textContent) : null;
}

/** Every URL the pictures to save need: the deck's slides if there is a deck, else the current picture. */
function urlsToSave(state, bootstrap) {
  const { config, losses } = bootstrap;
  const pictures = state.deck ? slidesOf(state, config, losses).map((s) => fromHash(s.hash, config, losses)) : [state];
  const urls = new Set();
  for (const s of pictures) {
    for (const url of wantedUrls(s, config, losses, { fieldN: FIELD_N, view: viewOf(s, losses) }).values()) urls.add(url);
  }
  return [...urls];
}

function bindSaving({ plot, cells, store, bootstrap, loader, player, settled }) {
  const { config, losses } = bootstrap;
  const toggle = $("save-menu");
  const menu = $("save-options");
  const status = $("save-status");
  toggle.addEventListener("click", () => {
    menu.hidden = !menu.hidden;
    toggle.setAttribute("aria-expanded", String(!menu.hidden));
  });
  const name = (ext) => `gradient-flow-${store.state.loss}.${ext}`;
  async function svg() {
    const s = store.state;
    const plots = [{ ...(await plot.toSvg()), label: sceneLabel(s, 0, config, losses) },
      ...await Promise.all(cells().map(async (c, k) => ({ ...(await c.plot.toSvg()),
        label: sceneLabel(sceneState(s, k + 1), k + 1, config, losses) })))];
    return figureSvg({ plots, title: describeScene(s, config, losses), classes: classKey(config, s),
      methods: methodKey(config, s.method, s.compare) });
  }
  const said = (text) => { status.textContent = text; };
  for (const b of menu.querySelectorAll("[data-png]")) {
    b.addEventListener("click", async () => download(await svgToPng(await svg(), Number(b.dataset.png)), name("png")));
  }
  $("save-svg").addEventListener("click", async () => download(new Blob([await svg()], { type: "image/svg+xml" }), name("svg")));
  $("save-page").addEventListener("click", async () => {
    said("Gathering the pictures for offline use…");
    try {
      const answers = await loader.answered(urlsToSave(store.state, bootstrap));
      const html = await buildSavedPage({ answers, hash: location.hash });
      download(new Blob([html], { type: "text/html" }), name("html"));
      said(`Saved: one file that opens offline (${Object.keys(answers).length} answers inside).`);
    } catch (err) {
      said(`The page could not be saved: ${err.message}`);
    }
  });
  $("save-video").addEventListener("click", async () => {
    if (!window.MediaRecorder) return said("This browser cannot record video (no MediaRecorder).");
    said("Recording the run…");
    try {
      const blob = await recordRun({ player, settled, svg, width: PRESENTATION_WIDTH,
        progress: (k, n) => said(`Recording the run: frame ${k} of ${n}…`) });
      download(blob, name("webm"));
      said(`Saved the run as a WebM video (${Math.round(blob.size / 1024)} KB).`);
    } catch (err) {
      said(`The animation could not be recorded: ${err.message}`);
    }
  });
  $("copy-link").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      said("Link copied: it opens this picture.");
    } catch {
      said(`Copy this link: ${location.href}`);
    }
  });
}

function bindForms(intents, timing) {
  $("point-form").addEventListener("submit", (e) => {
    e.preventDefault(); // the browser has refused empty and out-of-range boxes already; 1e400 it lets by
    const [x, y] = ["point-x", "point-y"].map((id) => checkNumber(e.target.elements[id]));
    if (x !== null && y !== null) intents.addTypedPoint(x, y);
  });
  $("params").addEventListener("input", () => {
    performance.mark("param-input");
    timing.waitFor("param-drawn", ["field"]);
  });
}

function bindHash(store, config) {
  // Back and Forward (popstate), or a link pasted into the address bar (hashchange): show that picture.
  // An in-page link (the skip link's #controls) names an element, not a picture: go there, and put
  // the picture's link back instead of reading "controls" as a state of defaults.
  const follow = () => {
    const target = !location.hash.includes("=") && location.hash.length > 1
      && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) {
      history.replaceState(null, "", toHash(store.state, config));
      target.focus();
    } else if (location.hash !== toHash(store.state, config)) {
      store.load(location.hash);
    }
  };
  window.addEventListener("popstate", follow);
  window.addEventListener("hashchange", follow);
}

start(JSON.parse(document.getElementById("bootstrap").textContent));
