// Static assets, embedded into the executable by their imports and served under names
// that carry a hash of their content, so that browsers may cache them for a year and
// still see a new version the moment it ships.
import appCss from "../pages/assets/app.css" with { type: "text" };
import icon from "../pages/assets/icon.svg" with { type: "text" };
import { bundledScripts } from "./scripts.ts" with { type: "macro" };

interface Asset {
  name: string;
  body: string;
  type: string;
}

const JS = "text/javascript; charset=utf-8";

const SCRIPTS = bundledScripts();

/** Keyed by the name templates use: `{{base}}/assets/{{assets.appCss}}`. */
const SOURCES: Record<string, Asset> = {
  appCss: { name: "app.css", body: appCss, type: "text/css; charset=utf-8" },
  icon: { name: "icon.svg", body: icon, type: "image/svg+xml" },
  helpJs: { name: "help.js", body: SCRIPTS.help, type: JS },
  indexJs: { name: "index.js", body: SCRIPTS.index, type: JS },
  roomJs: { name: "room.js", body: SCRIPTS.room, type: JS },
  statsJs: { name: "stats.js", body: SCRIPTS.stats, type: JS },
};

/**
 * The name with a hash of the content. A cache key needs no cryptographic hash, and Bun's
 * own (wyhash) spares the server from loading its crypto library at start.
 */
function hashed(name: string, body: string): string {
  const hash = Bun.hash(body).toString(16).padStart(16, "0");
  const dot = name.lastIndexOf(".");
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

/** Template key → served file name, e.g. appCss → "app.3f2a9c1b0d4e5a67.css". */
export const assetFiles: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SOURCES).map(([key, asset]) => [key, hashed(asset.name, asset.body)]),
);

const byFile = new Map(Object.entries(SOURCES).map(([key, asset]) => [assetFiles[key]!, asset]));

export function findAsset(file: string): Asset | undefined {
  return byFile.get(file);
}
