// --plugin-download on the command line: what the offline engine gets to download a remote
// component's plugin with (the user's cache folder or the OS's temporary one for verified
// archives, the temporary one for the run's unpacked plugins, the log on stderr).

import os from "node:os";
import { describe, expect, it } from "vitest";
import { pluginDownloadOf } from "../../src/cli/main.js";

function capture(): { err: string[]; io: { stdout: (text: string) => void; stderr: (text: string) => void } } {
  const err: string[] = [];
  return { err, io: { stdout: () => expect.fail("nothing goes to stdout"), stderr: (text) => err.push(text) } };
}

describe("--plugin-download", () => {
  it("never: no download at all", () => {
    expect(pluginDownloadOf({ pluginDownload: "never" }, { XDG_CACHE_HOME: "/home/me/.cache" }, capture().io)).toBeUndefined();
  });

  it("keeps verified archives under $XDG_CACHE_HOME, unpacks in the OS's temporary folder, and names itself in messages", () => {
    expect(pluginDownloadOf({ pluginDownload: "verified" }, { XDG_CACHE_HOME: "/home/me/.cache" }, capture().io)).toMatchObject({
      mode: "verified",
      cacheDir: "/home/me/.cache",
      tempDir: os.tmpdir(),
      setting: "--plugin-download verified",
    });
  });

  it("without $XDG_CACHE_HOME, or with a relative one (which the XDG spec ignores), keeps them in the OS's temporary folder", () => {
    for (const env of [{}, { XDG_CACHE_HOME: "" }, { XDG_CACHE_HOME: "relative/cache" }]) {
      expect(pluginDownloadOf({ pluginDownload: "unverified" }, env, capture().io)).toMatchObject({
        mode: "unverified",
        cacheDir: os.tmpdir(),
        setting: "--plugin-download unverified",
      });
    }
  });

  it("logs on stderr, leaving stdout to the report", () => {
    const { err, io } = capture();
    const download = pluginDownloadOf({ pluginDownload: "verified" }, {}, io);
    download?.log.info("Downloaded the awsx plugin v3.9.0");
    download?.log.warning("no checksums published");
    expect(err).toEqual(["policy-gate: Downloaded the awsx plugin v3.9.0", "policy-gate: warning: no checksums published"]);
  });
});
