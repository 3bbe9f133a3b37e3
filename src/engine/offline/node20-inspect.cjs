// Preloaded (--require) into a program that runs on Node.js 20 only. Pulumi's runner formats an
// uncaught error with util.inspect(err, { colors: true }), and on Node.js 20 that call never
// returns for the errors a program typically ends with (a missing config value, an exception in
// an apply): colouring the stack's node_modules paths loops, allocating until memory runs out.
// Node.js 22 and later do not. Here the runner's colours are turned off; the text is the same.
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload, run with --require
const util = require("node:util");
const inspect = util.inspect;
function inspectWithoutColors(value, options) {
  return options !== null && typeof options === "object" && options.colors
    ? inspect(value, { ...options, colors: false })
    : inspect(value, options);
}
Object.assign(inspectWithoutColors, inspect);
util.inspect = inspectWithoutColors;
