// Training runs fetched from /api/gan a chunk at a time, as its docstring asks: from=next until next
// is null, each chunk drawn as it lands. A session is one state's runs (one per seed, side by side);
// Play keeps every run asking for its next chunk, Pause lets the chunks already asked for land and
// asks for no more (a chunk dropped half way would cost the server a replay from the seed), Step asks
// each run for one chunk. Nothing here draws: `onChunk(run)` and `onChange()` tell the view.

import { ApiError, serverJSON as getJSON } from "../api.js";

const STATIC = new Set(["modes", "real"]); // a run's own arrays; every other array has one entry per frame

/** A chunk appended to the run's frames so far: per-frame arrays concatenated, the rest the newest. */
export function merge(run, chunk) {
  if (!run) return { ...chunk, d_grid: { ...chunk.d_grid } };
  const out = { ...chunk, d_grid: { ...chunk.d_grid, values: [...run.d_grid.values, ...chunk.d_grid.values] } };
  for (const [key, value] of Object.entries(chunk)) {
    if (Array.isArray(value) && !STATIC.has(key)) out[key] = [...(run[key] ?? []), ...value];
  }
  return out;
}

/** The chunk to ask for from step `from`: `frames` recorded steps on from the last one before it. */
export function chunkEnd(from, record, steps, frames) {
  return Math.min(steps, (Math.floor(from / record) + frames) * record);
}

/**
 * createSession({urls, steps, record, frames, onChunk, onError, onChange}) -> session.
 * urls[i](from, to) is seed i's chunk URL. Every run starts with its step-0 frame (load()).
 */
export function createSession({ urls, steps, record, frames, onChunk, onError, onChange }) {
  const controller = new AbortController();
  const runs = urls.map((url, index) => ({ index, url, data: null, next: 0, busy: false, error: null }));
  let playing = false;

  async function fetchChunk(run, to) {
    run.busy = true;
    onChange();
    try {
      const chunk = await getJSON(run.url(run.next, to), controller.signal);
      run.data = merge(run.data, chunk);
      run.next = chunk.next;
      run.added = chunk.steps.length; // 0 when the server's time budget ran out before a recorded step
      run.error = null;
      if (session.done) playing = false; // the last chunk of the last run: nothing left to play
      onChunk(run);
      if (playing) queueMicrotask(() => (run.index === 0 ? runs : [run]).forEach(pump)); // on to the next chunk
      return true;
    } catch (err) {
      if (controller.signal.aborted) return false;
      run.error = err instanceof ApiError ? err.message : `network error: ${err.message}`;
      playing = false;
      onError(run);
      return false;
    } finally {
      run.busy = false;
      if (!controller.signal.aborted) onChange();
    }
  }

  // The first chunk after step 0 is one frame, so Play moves the picture at once; then `frames` a chunk.
  const nextEnd = (run) => chunkEnd(run.next, record, steps, run.next <= 1 ? 1 : frames);

  /** Ask for the run's next chunk unless it is paused, finished or already asking. The other seeds
   * follow the state's own (the first run): each asks for a chunk only once that one has trained past
   * it, so the run a person is watching never waits behind the others for the server's workers. */
  function pump(run) {
    if (!playing || run.next === null || run.busy) return;
    const lead = runs[0];
    if (run !== lead && lead.next !== null && run.next >= lead.next) return;
    fetchChunk(run, nextEnd(run));
  }

  const session = {
    runs,
    get playing() { return playing; },
    get busy() { return runs.some((r) => r.busy); },
    get done() { return runs.every((r) => r.next === null); },
    /** Each run's step-0 frame: the untrained picture, and a check of the settings (a 400 says why). */
    load: () => Promise.all(runs.map((run) => fetchChunk(run, 0))),
    play() {
      if (playing || session.done) return;
      playing = true;
      onChange();
      for (const run of runs) pump(run);
    },
    pause() {
      playing = false;
      onChange();
    },
    async step() {
      playing = false;
      await Promise.all(runs.filter((r) => r.next !== null && !r.busy).map((r) => fetchChunk(r, nextEnd(r))));
    },
    /** Stop for good: the state changed, these runs are no longer wanted. */
    close() {
      playing = false;
      controller.abort();
    },
  };
  return session;
}
