// Node's modules that only some commands and features use, loaded when first asked for
// instead of at start. A static import of one is evaluated in every server, whatever it runs
// (the bundler even hoists those of a dynamic import): node:crypto, node:net, node:dns,
// node:fs, node:path and node:os, for webhooks, Redis over TLS, the terminal client and the
// machine's names, held about 4 MB of the executable's 45 at start (bench/RESULTS.md).
// `require` of a built-in stays a call at run time, also in the executable.
export const nodeCrypto = () => require("node:crypto") as typeof import("node:crypto");
export const nodeDns = () => require("node:dns/promises") as typeof import("node:dns/promises");
export const nodeFs = () => require("node:fs") as typeof import("node:fs");
export const nodeNet = () => require("node:net") as typeof import("node:net");
export const nodeOs = () => require("node:os") as typeof import("node:os");
export const nodePath = () => require("node:path") as typeof import("node:path");
