// The accessibility check (./a11y.ts) in the light colour scheme on a wide screen.
import { accessibilitySuite } from "./a11y.ts";

accessibilitySuite("light", 1366, 768);
