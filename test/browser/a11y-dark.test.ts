// The accessibility check (./a11y.ts) in the dark colour scheme on a phone.
import { accessibilitySuite } from "./a11y.ts";

accessibilitySuite("dark", 390, 844);
