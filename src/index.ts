// Entry point of the GitHub Action (dist/index.js); all of the work is in action/main.ts.
import { run } from "./action/main.js";

await run();
