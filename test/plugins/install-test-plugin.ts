// Installs a test provider plugin the way `pulumi plugin install` lays one out:
// `<home>/plugins/resource-<name>-v<version>/pulumi-resource-<name>`, an executable. Here the
// executable is a small launcher that runs the plugin's TypeScript source with the gate's Node.js
// and tsx (and so with the gate's node_modules: @pulumi/pulumi, @pulumi/aws).

import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const pluginsSource = path.dirname(fileURLToPath(import.meta.url));

/** The test plugins of this directory, by package name. */
export const TEST_PLUGINS = {
  awsx: path.join(pluginsSource, "awsx", "provider.ts"),
  "aws-apigateway": path.join(pluginsSource, "aws-apigateway", "provider.ts"),
} as const;

function pluginDirectory(home: string, name: string, version: string): string {
  const directory = path.join(home, "plugins", `resource-${name}-v${version}`);
  mkdirSync(directory, { recursive: true });
  return directory;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Installs the test plugin for `name` as version `version` under `home`; returns the executable. */
export function installTestPlugin(home: string, name: keyof typeof TEST_PLUGINS, version: string): string {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const script = [
    "#!/bin/sh",
    `TEST_PLUGIN_VERSION=${quote(version)} exec ${quote(process.execPath)} --import ${quote(tsx)} ${quote(TEST_PLUGINS[name])} "$@"`,
    "",
  ].join("\n");
  return writeExecutable(home, name, version, script);
}

/** Installs a plugin executable with the given shell script as its body. */
export function installScriptPlugin(home: string, name: string, version: string, body: string): string {
  return writeExecutable(home, name, version, `#!/bin/sh\n${body}\n`);
}

function writeExecutable(home: string, name: string, version: string, script: string): string {
  const executable = path.join(pluginDirectory(home, name, version), `pulumi-resource-${name}`);
  writeFileSync(executable, script);
  chmodSync(executable, 0o755);
  return executable;
}
