// Entry point of the policy-gate command; all of the work is in cli/main.ts.
import { main } from "./cli/main.js";

// SIGUSR1 opens a Node.js process's inspector, and any process of the same user may send it: the
// program under check could then run code inside the gate. With a handler, Node.js does not open it.
process.on("SIGUSR1", () => undefined);

process.exitCode = await main(process.argv.slice(2));
