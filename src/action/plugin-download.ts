// How the action lets the offline engine get a remote component's provider plugin that is not
// installed (input plugin-download): verified archives are kept in the runner's tool cache,
// each run unpacks them afresh in the runner's temporary folder, and every download is logged.
// And what it does when it still has none (input unbuilt-components).

import type { PluginDownload, UnbuiltComponents } from "../engine/engine.js";
import type { Masker } from "../gate/masking.js";
import { INPUT, type Config } from "./inputs.js";
import { logOf } from "./publish.js";
import type { RunContext } from "./run-context.js";

export function pluginDownloadOf(config: Config, context: RunContext, env: NodeJS.ProcessEnv, masker: Masker): PluginDownload | undefined {
  if (config.pluginDownload === "never") return undefined;
  const log = logOf(masker);
  return {
    mode: config.pluginDownload,
    cacheDir: env.RUNNER_TOOL_CACHE || context.tempDir,
    tempDir: context.tempDir,
    setting: `input ${INPUT.pluginDownload} "${config.pluginDownload}"`,
    log: { info: (text) => log.info(text), warning: (text) => log.warning(text) },
  };
}

export function unbuiltComponentsOf(config: Config): UnbuiltComponents {
  return { mode: config.unbuiltComponents, setting: `input ${INPUT.unbuiltComponents} "${config.unbuiltComponents}"` };
}
