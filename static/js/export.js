// Pictures for slides: the whole figure (every scene's plot, a title, the class key and, while
// methods are compared, the method key) as one SVG, and as a PNG drawn from that SVG at 1x, 2x or
// 4x its size on screen. Plotly gives each layer as SVG; they are nested here, unchanged, so the
// picture stays vector in SVG and sharp at any scale in PNG.

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A layer's SVG document placed at (x, y): its root element, given a position, nested as it is. */
function place(svg, x, y) {
  const body = svg.replace(/^<\?xml[^>]*>/, "");
  return body.replace(/^<svg\b/, `<svg x="${x}" y="${y}"`);
}

/** Key entries ({icon, label, rule?}) in rows that wrap at `width`: {svg, height}. Widths are estimated
 * (0.62 em a character), generously, so no entry runs into the next or off the picture. */
function keyRows(entries, y0, size, box, width) {
  let [x, y] = [12, y0];
  const parts = entries.map((e) => {
    const words = e.label.length + (e.rule ? e.rule.length + 1 : 0);
    const w = size * 2.2 + 0.62 * size * words + size;
    if (x > 12 && x + w > width) [x, y] = [12, y + size * 1.8];
    const out = `<svg x="${x}" y="${y}" width="${size * 1.6}" height="${size * 1.2}" viewBox="${box}">${e.icon}</svg>`
      + `<text x="${x + size * 2}" y="${y + size * 0.95}" font-family="${FONT}" font-size="${size}">`
      + `<tspan font-weight="700">${esc(e.label)}</tspan>${e.rule ? ` ${esc(e.rule)}` : ""}</text>`;
    x += w;
    return out;
  });
  return { svg: parts.join(""), height: entries.length ? y - y0 + size * 1.8 : 0 };
}

/** A title in lines that fit `width` (0.62 em a character, bold). */
function titleLines(title, size, width) {
  const most = Math.max(10, Math.floor((width - 24) / (0.62 * size)));
  const lines = [""];
  for (const word of title.split(" ")) {
    const line = lines.at(-1);
    if (line && line.length + 1 + word.length > most) lines.push(word);
    else lines[lines.length - 1] = line ? `${line} ${word}` : word;
  }
  return lines;
}

/**
 * figureSvg({plots: [{width, height, layers, label}], title, classes, methods}) -> SVG text.
 * Several plots (scenes side by side) go two to a row, each under its label.
 */
export function figureSvg({ plots, title, classes, methods = [] }) {
  const size = 16;
  const cols = plots.length > 1 ? 2 : 1;
  const cellW = Math.max(...plots.map((p) => p.width));
  const cellH = Math.max(...plots.map((p) => p.height)) + (plots.length > 1 ? size * 1.6 : 0);
  const width = Math.ceil(cols * cellW);
  const lines = titleLines(title, size * 1.25, width);
  const top = size * 0.6 + lines.length * size * 1.6;
  const keysY = top + Math.ceil(plots.length / cols) * cellH + size * 0.4;
  const classRow = keyRows(classes, keysY, size, "0 0 18 18", width);
  const methodRow = keyRows(methods, keysY + classRow.height, size, "0 0 24 18", width);
  const height = Math.ceil(keysY + classRow.height + methodRow.height + size * 0.4);
  const cells = plots.map((p, i) => {
    const [x, y] = [(i % cols) * cellW, top + Math.floor(i / cols) * cellH];
    const label = plots.length > 1 ? `<text x="${x + 8}" y="${y + size * 1.1}" font-family="${FONT}" font-size="${size}"
      font-weight="700">${esc(p.label)}</text>` : "";
    const dy = plots.length > 1 ? size * 1.6 : 0;
    return label + p.layers.map((svg) => place(svg, x, y + dy)).join("");
  }).join("");
  const heading = lines.map((line, i) => `<text x="12" y="${size * 1.6 * (i + 1)}" font-family="${FONT}"
    font-size="${size * 1.25}" font-weight="700">${esc(line)}</text>`).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}"
    height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#fff"/>`
    + heading + cells + classRow.svg + methodRow.svg + "</svg>";
}

/** The size an SVG text says it is. */
export function svgSize(svg) {
  const [, w, h] = svg.match(/width="([\d.]+)"\s+height="([\d.]+)"/) ?? [null, 800, 600];
  return { width: Number(w), height: Number(h) };
}

async function svgImage(svg) {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    return await new Promise((resolve, reject) => {
      const i = new Image();
      i.onload = () => resolve(i);
      i.onerror = () => reject(new Error("the picture could not be rendered"));
      i.src = url;
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A PNG of an SVG text at `scale` times its own size. */
export async function svgToPng(svg, scale) {
  const { width, height } = svgSize(svg);
  const img = await svgImage(svg);
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

export const PRESENTATION_WIDTH = 1920; // a video is drawn at a projector's width, the vector picture scaled up
const VIDEO_FPS = 10;
const VIDEO_FRAMES = 150; // at most: a long run is shown every k-th step, so a video stays ~15 s

/**
 * The run played as a WebM video: every k-th step (at most VIDEO_FRAMES frames), each the whole
 * figure (svg()) drawn on a canvas `width` wide that the MediaRecorder samples at VIDEO_FPS.
 * Rendering a frame takes longer than a tenth of a second on a slow machine; the video then holds
 * each frame as long as it took, so it plays evenly but slower than the player.
 */
export async function recordRun({ player, settled, svg, width, progress }) {
  const last = player.last;
  const stride = Math.max(1, Math.ceil((last + 1) / VIDEO_FRAMES));
  const frames = [];
  for (let f = 0; f <= last; f += stride) frames.push(f);
  if (frames.at(-1) !== last) frames.push(last);
  const first = await svg();
  const size = svgSize(first);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = 2 * Math.round((width * size.height) / size.width / 2); // encoders want even sizes
  const ctx = canvas.getContext("2d");
  const type = ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm"].find((t) => MediaRecorder.isTypeSupported(t));
  const recorder = new MediaRecorder(canvas.captureStream(VIDEO_FPS), type ? { mimeType: type } : {});
  const chunks = [];
  recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  const paint = async (text) => ctx.drawImage(await svgImage(text), 0, 0, canvas.width, canvas.height);
  await paint(first);
  recorder.start();
  const was = player.frame;
  for (const [k, f] of frames.entries()) {
    player.seek(f);
    await settled();
    await paint(await svg());
    await new Promise((r) => setTimeout(r, 1000 / VIDEO_FPS));
    progress(k + 1, frames.length);
  }
  recorder.stop();
  await stopped;
  player.seek(was);
  return new Blob(chunks, { type: "video/webm" });
}
