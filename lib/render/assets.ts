// Static assets, embedded into the executable by their imports and served under names
// that carry a hash of their content, so that browsers may cache them for a year and
// still see a new version the moment it ships.
import appCss from "../../pages/assets/app.css" with { type: "text" };
import icon from "../../pages/assets/icon.svg" with { type: "text" };
import { bundledScripts } from "./scripts.ts" with { type: "macro" };

interface Asset {
  name: string;
  body: string;
  type: string;
}

const JS = "text/javascript; charset=utf-8";

const SCRIPTS = bundledScripts();
const ICON_FILE = hashed("icon.svg", icon);

/**
 * The installed app: its own window that opens at the start page, whose recent rooms lead
 * back to the team's room. Paths are relative to the manifest (in /assets/), so they hold
 * under any base path. Chromium does not install a manifest without a start_url, and only a
 * manifest served per room could start at the room itself.
 */
const MANIFEST = JSON.stringify({
  name: "mob timer",
  short_name: "mob timer",
  description: "One shared timer for a mob",
  start_url: "../",
  scope: "../",
  display: "standalone",
  background_color: "#f6f5f1",
  theme_color: "#1d6b64",
  icons: [{ src: ICON_FILE, sizes: "any", type: "image/svg+xml", purpose: "any" }],
});

/** Keyed by the name templates use: `{{base}}/assets/{{assets.appCss}}`. */
const SOURCES: Record<string, Asset> = {
  appCss: { name: "app.css", body: appCss, type: "text/css; charset=utf-8" },
  icon: { name: "icon.svg", body: icon, type: "image/svg+xml" },
  manifest: { name: "manifest.webmanifest", body: MANIFEST, type: "application/manifest+json" },
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
