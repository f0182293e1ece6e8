// The help page: its copy buttons.
import { enableCopyButtons } from "./copy.ts";

enableCopyButtons();
