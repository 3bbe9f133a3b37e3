// Sentinels of Pulumi's wire format for property values, shared by the offline engine (which
// speaks it to the SDK and the policy packs), the pulumi engine (which reads it in engine events
// and stack state) and the deploy fingerprints.

/** The sentinel for a value not known during a preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The key that marks a special value (secret, asset, resource reference). */
export const SPECIAL_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** The signature value of a secret. */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
/** The signature value of a resource reference. */
export const RESOURCE_REFERENCE_SIGNATURE = "5cf8f73096256a8f31e491e813e4eb8e";
/** The signature value of an output value (a value with its known-ness, secrecy and dependencies). */
export const OUTPUT_VALUE_SIGNATURE = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
