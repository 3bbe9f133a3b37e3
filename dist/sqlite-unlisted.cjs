// Preloaded (--require) into a program that runs under the gate's permission model. There
// node:sqlite is switched off (--no-experimental-sqlite: it writes its database files without
// asking the model), but Node.js still lists it in module.builtinModules, and Pulumi's closure
// serialization (a Lambda callback, say) requires every module on that list: the run would end
// with "No such built-in module: node:sqlite". The list is given without it, as a Node.js without
// node:sqlite would give it; the module itself stays switched off.
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload, run with --require
const Module = require("node:module");
const switchedOff = new Set(["sqlite", "node:sqlite"]);
Object.defineProperty(Module, "builtinModules", {
  value: Object.freeze(Module.builtinModules.filter((name) => !switchedOff.has(name))),
  writable: true,
  enumerable: true,
  configurable: true,
});
