// Builds the web UI into the folder given as the first argument: the bundled script, the
// style sheets, the page, and the country outlines the offline basemap draws.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) throw new Error("usage: node build.mjs OUT_DIR");
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, "src/app.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  outfile: join(out, "app.js"),
  logLevel: "warning",
});
const css = ["node_modules/leaflet/dist/leaflet.css", "node_modules/leaflet.markercluster/dist/MarkerCluster.css",
  "node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css", "src/app.css"]
  .map((f) => readFileSync(join(here, f), "utf8")).join("\n");
writeFileSync(join(out, "app.css"), css);
copyFileSync(join(here, "src/index.html"), join(out, "index.html"));
copyFileSync(join(here, "node_modules/world-atlas/countries-50m.json"), join(out, "countries.json"));
