// "Save page": one HTML file that opens from disk, with no server and no network, and still draws
// and plays the pictures it was saved with (the current scene, or every slide of the deck). It is
// this page as the server sends it, with everything it loads put inside: the style sheet inline,
// plotly.min.js inline, every ES module as a data: URL in the import map (their relative imports
// rewritten to bare names the map resolves, since a data: URL has no path to be relative to), and
// the API's answers for those pictures as JSON, which the loader serves instead of the server.

const BARE = "gf"; // the saved page's modules are "gf/static/js/..." in its import map

const toBase64 = (text) => {
  const bytes = new TextEncoder().encode(text);
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(out);
};

/** A module's source with its relative imports ("./x.js", "../x.js") made bare names of their own paths. */
export function rewriteImports(source, path) {
  return source.replace(/(\bfrom\s*|\bimport\s*)(["'])(\.{1,2}\/[^"']+)\2/g, (_, kw, q, rel) => {
    const absolute = new URL(rel, `https://x${path}`).pathname;
    return `${kw}${q}${BARE}${absolute}${q}`;
  });
}

const text = async (url) => {
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`${url} answered ${resp.status}`);
  return resp.text();
};

/** JSON or script text safe inside a <script> element: "</script" cannot close it early. */
const inert = (s) => s.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");

/** The saved page's HTML: `answers` (url -> body) and the picture `hash` to open on. */
export async function buildSavedPage({ answers, hash }) {
  const doc = new DOMParser().parseFromString(await text(location.pathname), "text/html");
  const map = JSON.parse(doc.querySelector('script[type="importmap"]').textContent);
  const imports = {};
  await Promise.all(Object.entries(map.imports).map(async ([path, url]) => {
    imports[`${BARE}${path}`] = `data:text/javascript;base64,${toBase64(rewriteImports(await text(url), path))}`;
  }));
  for (const link of doc.querySelectorAll('link[rel="stylesheet"]')) {
    const style = doc.createElement("style");
    style.textContent = await text(link.href);
    link.replaceWith(style);
  }
  for (const link of doc.querySelectorAll('link[rel="modulepreload"], link[rel="preload"], link[rel="icon"]')) link.remove();
  const importmap = doc.querySelector('script[type="importmap"]');
  importmap.removeAttribute("nonce");
  importmap.textContent = JSON.stringify({ imports });
  const main = doc.querySelector('script[type="module"][src]');
  const entry = `${BARE}${new URL(main.getAttribute("src"), location.href).pathname}`;
  const boot = doc.createElement("script");
  boot.type = "module";
  boot.textContent = `import ${JSON.stringify(entry)};`;
  main.replaceWith(boot);
  const plotly = doc.getElementById("plotly");
  const inline = doc.createElement("script");
  inline.id = "plotly";
  inline.textContent = inert(await text(plotly.getAttribute("src")));
  plotly.replaceWith(inline);
  const snapshot = doc.createElement("script");
  snapshot.type = "application/json";
  snapshot.id = "snapshot";
  snapshot.textContent = inert(JSON.stringify({ answers, hash }));
  doc.head.append(snapshot);
  return `<!doctype html>\n${doc.documentElement.outerHTML}`;
}
