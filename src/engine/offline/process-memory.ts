// The resident memory of a process group: every process whose group id is the program's, summed,
// read from Linux's /proc. Elsewhere (macOS, Windows) there is no cheap equivalent, and the cap
// on the program's memory is not enforced; its V8 heap limit still is.

import { readdirSync, readFileSync } from "node:fs";

const PAGE_BYTES = 4096;

/** Bytes resident in the processes of group `groupId`, or undefined where /proc is not available. */
export function processGroupRss(groupId: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  let total = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // Ended since the listing.
    }
    // The command name (field 2) is in parentheses and may hold spaces: fields count from its end.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): the group id is field 5, the resident pages field 24.
    if (Number(fields[2]) !== groupId) continue;
    total += Number(fields[21]) * PAGE_BYTES;
  }
  return total;
}
