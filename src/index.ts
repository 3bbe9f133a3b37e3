// Entry point of the GitHub Action (dist/index.js); all of the work is in action/main.ts.
import { run } from "./action/main.js";

// SIGUSR1 opens a Node.js process's inspector, and any process of the same user may send it: the
// program under check could then run code inside the gate. With a handler, Node.js does not open it.
process.on("SIGUSR1", () => undefined);

await run();
