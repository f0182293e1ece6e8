// The script's source text, imported `with { type: "text" }` by lib/assets.ts.
declare const source: string;
export default source;
