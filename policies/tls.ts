// TLS protocol versions and the shared configuration of the two TLS policies.

import { packConfigSchema } from "./config";

export type TlsVersion = "1.0" | "1.1" | "1.2" | "1.3";

export const TLS_VERSIONS: readonly TlsVersion[] = ["1.0", "1.1", "1.2", "1.3"];

export function isOlder(version: TlsVersion, than: TlsVersion): boolean {
  return TLS_VERSIONS.indexOf(version) < TLS_VERSIONS.indexOf(than);
}

export interface TlsMinimumConfig {
  readonly minimumVersion: "1.2" | "1.3";
  readonly allowedPolicies: readonly string[];
}

export const TLS_MINIMUM_DEFAULTS: TlsMinimumConfig = { minimumVersion: "1.2", allowedPolicies: [] };

export const tlsMinimumConfigSchema = packConfigSchema({
  minimumVersion: {
    type: "string",
    enum: ["1.2", "1.3"],
    default: TLS_MINIMUM_DEFAULTS.minimumVersion,
    description: "The oldest TLS version a security policy may allow.",
  },
  allowedPolicies: {
    type: "array",
    items: { type: "string", minLength: 1 },
    default: [],
    description: "Security policy names to accept even though this pack does not know their TLS versions.",
  },
});

export function tlsMinimumConfig(raw: Record<string, unknown>): TlsMinimumConfig {
  return {
    minimumVersion: raw.minimumVersion === "1.3" ? "1.3" : "1.2",
    allowedPolicies: Array.isArray(raw.allowedPolicies)
      ? raw.allowedPolicies.filter((name): name is string => typeof name === "string")
      : [],
  };
}
