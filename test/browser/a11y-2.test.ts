// The accessibility check (./a11y.ts) of every other page and room state, starting with the second.
import { accessibilitySuite } from "./a11y.ts";

accessibilitySuite(1, 2);
