// Entry point of the policy-gate command; all of the work is in cli/main.ts.
import { main } from "./cli/main.js";

process.exitCode = await main(process.argv.slice(2));
