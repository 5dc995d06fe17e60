// Plotly must not be handed a graph it is still drawing, and a picture that is already stale need
// not be drawn at all: one draw runs at a time, and of the wishes that arrive meanwhile only the
// newest is drawn next.

/** latestOnly(drawNow) -> draw(wish) -> Promise that settles once the newest wish is drawn. */
export function latestOnly(drawNow) {
  let running = null;
  let waiting = null;
  let pending = false;
  return (wish) => {
    waiting = wish;
    pending = true;
    running ??= (async () => {
      try {
        while (pending) {
          const next = waiting;
          pending = false;
          await drawNow(next);
        }
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
