// `npm run build`: the executable for this machine, dist/mob-timer unless --outfile says where.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { compile } from "./compile.ts";

const { values } = parseArgs({ options: { outfile: { type: "string", default: "dist/mob-timer" } } });
await compile(resolve(values.outfile));
