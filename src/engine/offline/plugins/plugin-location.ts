// Where the Pulumi CLI finds a resource provider plugin in its plugin cache, read the way the CLI
// reads it (sdk/go/common/workspace/plugins.go): directories `<kind>-<name>-v<version>` under
// `$PULUMI_HOME/plugins` (`~/.pulumi/plugins` by default), the executable
// `pulumi-resource-<name>` inside. A directory with a `.partial` file beside it is still being
// installed and does not count. Asked for a version, the CLI takes exactly that version; asked for
// none, the newest installed one, a stable release before any prerelease.
//
// Not done here, unlike the CLI: a `pulumi-resource-<name>` on $PATH (which the CLI prefers unless
// PULUMI_IGNORE_AMBIENT_PLUGINS is set), the project's `plugins:` section, and plugins without an
// executable that the CLI runs from source through their PulumiPlugin.yaml.

import { existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import semver from "semver";

export interface InstalledPlugin {
  readonly name: string;
  readonly version: string;
  readonly directory: string;
  readonly executable: string;
}

/** The outcome of a search: the plugin, or what was searched and found instead. */
export type PluginSearch =
  | { readonly found: true; readonly plugin: InstalledPlugin }
  | { readonly found: false; readonly searched: string; readonly installedVersions: readonly string[]; readonly problem?: string };

// The CLI's pattern for a plugin directory (pluginRegexp in workspace/plugins.go).
const PLUGIN_DIRECTORY = /^([a-z]+)-([a-zA-Z0-9-][a-zA-Z0-9-_.]*[a-zA-Z0-9])-v(.*)$/;
// Directories left by an interrupted install of an older CLI.
const INSTALLING_DIRECTORY = /\.tmp[0-9]+$/;

/** `$PULUMI_HOME`, else `~/.pulumi`, as the CLI resolves it. */
export function pulumiHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
}

export function pluginExecutableName(name: string): string {
  return `pulumi-resource-${name}${process.platform === "win32" ? ".exe" : ""}`;
}

function parseVersion(text: string): semver.SemVer | null {
  return semver.parse(text, { loose: true }) ?? semver.coerce(text);
}

interface Candidate {
  readonly version: semver.SemVer;
  readonly directory: string;
}

function installedVersions(pluginsDir: string, name: string): Candidate[] {
  let entries: string[];
  try {
    entries = readdirSync(pluginsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  const candidates: Candidate[] = [];
  for (const entry of entries) {
    if (INSTALLING_DIRECTORY.test(entry)) continue;
    const match = PLUGIN_DIRECTORY.exec(entry);
    if (!match || match[1] !== "resource" || match[2] !== name) continue;
    const version = parseVersion(match[3] ?? "");
    const directory = path.join(pluginsDir, entry);
    if (!version || existsSync(`${directory}.partial`)) continue;
    candidates.push({ version, directory });
  }
  return candidates;
}

/** The newest version, a stable one before any prerelease (LegacySelectCompatiblePlugin). */
function newest(candidates: readonly Candidate[]): Candidate | undefined {
  const stable = candidates.filter((candidate) => candidate.version.prerelease.length === 0);
  const pool = stable.length > 0 ? stable : candidates;
  return [...pool].sort((a, b) => semver.rcompare(a.version, b.version))[0];
}

/** Finds the installed resource plugin `name`, of exactly `version` when one is given. */
export function findInstalledPlugin(home: string, name: string, version: string): PluginSearch {
  const pluginsDir = path.join(home, "plugins");
  const searched = path.join(pluginsDir, `resource-${name}-v${version || "*"}`);
  const candidates = installedVersions(pluginsDir, name);
  const installed = candidates.map((candidate) => candidate.version.version);
  let chosen: Candidate | undefined;
  if (version) {
    const wanted = parseVersion(version);
    if (!wanted) return { found: false, searched, installedVersions: installed, problem: `'${version}' is not a semantic version` };
    chosen = candidates.find((candidate) => semver.eq(candidate.version, wanted));
  } else {
    chosen = newest(candidates);
  }
  if (!chosen) return { found: false, searched, installedVersions: installed };
  const executable = path.join(chosen.directory, pluginExecutableName(name));
  if (!existsSync(executable)) {
    return {
      found: false,
      searched,
      installedVersions: installed,
      problem: `${chosen.directory} has no executable ${pluginExecutableName(name)} (a plugin run from source is not supported offline)`,
    };
  }
  return { found: true, plugin: { name, version: chosen.version.version, directory: chosen.directory, executable } };
}
