// Static assets, embedded into the executable by their imports and served under names
// that carry a hash of their content, so that browsers may cache them for a year and
// still see a new version the moment it ships.
import appCss from "../pages/assets/app.css" with { type: "text" };
import icon from "../pages/assets/icon.svg" with { type: "text" };
import alarmJs from "../pages/assets/alarm.js" with { type: "text" };
import copyJs from "../pages/assets/copy.js" with { type: "text" };
import formatJs from "../pages/assets/format.js" with { type: "text" };
import historyJs from "../pages/assets/history.js" with { type: "text" };
import indexJs from "../pages/assets/index.js" with { type: "text" };
import roomJs from "../pages/assets/room.js" with { type: "text" };
import settingsJs from "../pages/assets/settings.js" with { type: "text" };
import streamJs from "../pages/assets/stream.js" with { type: "text" };

interface Asset {
  name: string;
  body: string;
  type: string;
}

const JS = "text/javascript; charset=utf-8";

/**
 * One served script from several source files that share one private scope, so that each
 * source file keeps one job while the page still loads a single file and defines no globals.
 */
function script(...parts: string[]): string {
  return `(() => {\n"use strict";\n${parts.join("\n")}\n})();\n`;
}

/** Keyed by the name templates use: `{{base}}/assets/{{assets.appCss}}`. */
const SOURCES: Record<string, Asset> = {
  appCss: { name: "app.css", body: appCss, type: "text/css; charset=utf-8" },
  icon: { name: "icon.svg", body: icon, type: "image/svg+xml" },
  copyJs: { name: "copy.js", body: script(copyJs), type: JS },
  indexJs: { name: "index.js", body: script(indexJs), type: JS },
  roomJs: { name: "room.js", body: script(formatJs, settingsJs, alarmJs, historyJs, streamJs, roomJs), type: JS },
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
