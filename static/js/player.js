// A small player for the trajectories (after GAN Lab and Playground): play, pause, single step,
// a speed in steps per second (slow motion included), and a frame counter. It owns only its
// own frame and clock; whoever creates it decides what a frame looks like (onFrame).

// By name, so a link says "speed=slow" and reopens in slow motion.
export const SPEEDS = [
  { name: "slow", label: "Slow motion", stepsPerSecond: 3 },
  { name: "normal", label: "Normal", stepsPerSecond: 15 },
  { name: "fast", label: "Fast", stepsPerSecond: 60 },
  { name: "fastest", label: "Fastest", stepsPerSecond: 600 },
];
export const DEFAULT_SPEED = "normal";

export function createPlayer({ onFrame, onChange }) {
  let frame = 0;
  let last = 0; // the last frame there is: the longest trajectory's step count
  let playing = false;
  let speed = SPEEDS.find((s) => s.name === DEFAULT_SPEED).stepsPerSecond;
  let raf = 0;
  let clock = 0; // ms of the last tick
  let carry = 0; // fractional steps owed

  function set(f) {
    const next = Math.max(0, Math.min(last, f));
    if (next !== frame) {
      frame = next;
      onFrame(frame);
    }
    onChange();
  }

  function tick(now) {
    if (!playing) return;
    carry += ((now - clock) / 1000) * speed;
    clock = now;
    const advance = Math.floor(carry);
    carry -= advance;
    if (advance) set(frame + advance);
    if (frame >= last) {
      pause();
      return;
    }
    raf = requestAnimationFrame(tick);
  }

  function play() {
    if (playing) return;
    if (frame >= last) set(0); // play from the start once the end is reached
    if (last === 0) return;
    playing = true;
    clock = performance.now();
    carry = 0;
    raf = requestAnimationFrame(tick);
    onChange();
  }

  function pause() {
    playing = false;
    cancelAnimationFrame(raf);
    onChange();
  }

  return {
    play,
    pause,
    toggle: () => (playing ? pause() : play()),
    step() {
      pause();
      set(frame >= last ? 0 : frame + 1);
    },
    restart() {
      pause();
      set(0);
    },
    /** Show frame `f` (kept within the length), paused: a link's step, a view's own frame. */
    seek(f) {
      pause();
      set(f);
    },
    /** A speed by its name in SPEEDS. */
    setSpeed(name) {
      speed = (SPEEDS.find((s) => s.name === name) ?? SPEEDS.find((s) => s.name === DEFAULT_SPEED)).stepsPerSecond;
      onChange();
    },
    /** The number of steps there are to show; the frame is kept within it. */
    setLength(steps) {
      last = Math.max(0, steps);
      if (frame > last) set(last);
      else onChange();
    },
    get frame() { return frame; },
    get last() { return last; },
    get playing() { return playing; },
  };
}
