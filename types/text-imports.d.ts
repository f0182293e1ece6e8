// Templates and assets are imported `with { type: "text" }` so that `bun build --compile`
// embeds their contents; this tells TypeScript what such an import yields.
declare module "*.mustache" {
  const text: string;
  export default text;
}
declare module "*.css" {
  const text: string;
  export default text;
}
declare module "*.svg" {
  const text: string;
  export default text;
}
