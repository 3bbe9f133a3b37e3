// The engines a front end can choose, by the name the user gives (input `engine`). Adding an
// engine: implement Engine (engine.ts) in a folder of its own and add it here.

import type { Engine } from "./engine.js";
import { offlineEngine } from "./offline/offline-engine.js";
import { pulumiEngine } from "./pulumi/pulumi-engine.js";

export const ENGINES = {
  pulumi: pulumiEngine,
  offline: offlineEngine,
} as const satisfies Readonly<Record<string, Engine>>;

export type EngineName = keyof typeof ENGINES;

export const ENGINE_NAMES = Object.keys(ENGINES) as readonly EngineName[];
