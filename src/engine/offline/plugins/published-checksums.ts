// The checksums a Pulumi package publishes beside its plugin archives. The package's release
// workflow (pulumi/ci-mgmt's provider template, in pulumi/pulumi-awsx and
// pulumi/pulumi-aws-apigateway since January 2025) runs `shasum ./*.tar.gz` in its dist folder and
// uploads the output as `pulumi-<package>_<version>_checksums.txt`, with the archives, to the
// GitHub release and to get.pulumi.com/releases/plugins. `shasum` without `-a` is SHA-1: each line
// is `<40 hex digits>  ./<archive>`. goreleaser's `checksums.txt` has the same shape with SHA-256
// digests and bare names, so the algorithm is read from each digest's length.

import { createHash } from "node:crypto";

export type DigestAlgorithm = "sha1" | "sha256" | "sha512";

export interface PublishedDigest {
  readonly algorithm: DigestAlgorithm;
  /** Lower-case hex. */
  readonly hex: string;
}

/** How a digest is written in messages: "SHA-1", "SHA-256", "SHA-512". */
export function algorithmName(algorithm: DigestAlgorithm): string {
  return `SHA-${algorithm.slice(3)}`;
}

const ALGORITHM_OF_LENGTH: Readonly<Record<number, DigestAlgorithm>> = { 40: "sha1", 64: "sha256", 128: "sha512" };

/** The name of the checksums file of a package's release. */
export function publishedChecksumsName(name: string, version: string): string {
  return `pulumi-${name}_${version}_checksums.txt`;
}

/**
 * The digest the list publishes for `archive`, undefined when it lists none. Lines in the form of
 * `shasum`, `sha256sum` and goreleaser (`<hex>  [*][./]<name>`); other lines are not entries. A
 * list that names the archive twice with different digests vouches for nothing: that is an error.
 */
export function publishedDigest(list: string, archive: string): PublishedDigest | undefined {
  let found: PublishedDigest | undefined;
  for (const line of list.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]+) [ *](?:\.\/)?(.+)$/.exec(line.trim());
    if (!match?.[1] || match[2] !== archive) continue;
    const algorithm = ALGORITHM_OF_LENGTH[match[1].length];
    if (!algorithm)
      throw new Error(`its line for ${archive} has a digest of ${match[1].length} hex digits, which is no SHA-1, SHA-256 or SHA-512`);
    const digest = { algorithm, hex: match[1].toLowerCase() };
    if (found && (found.algorithm !== digest.algorithm || found.hex !== digest.hex)) {
      throw new Error(`it lists ${archive} twice, with different digests`);
    }
    found = digest;
  }
  return found;
}

export function digestOf(body: Uint8Array, algorithm: DigestAlgorithm): string {
  return createHash(algorithm).update(body).digest("hex");
}
