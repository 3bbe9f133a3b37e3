// Property values passed between the SDK and a plugin in the forms each side accepts, as the
// engine's MarshalProperties does: a side that does not accept resource references gets the
// resource's ID (or URN), one that does not accept secrets gets the plain value, and one that
// does not accept output values gets their value, unknown or secret.

import structProto from "google-protobuf/google/protobuf/struct_pb.js";
import {
  OUTPUT_VALUE_SIGNATURE,
  RESOURCE_REFERENCE_SIGNATURE as RESOURCE_SIGNATURE,
  SECRET_SIGNATURE,
  SPECIAL_SIGNATURE_KEY,
  UNKNOWN_VALUE,
} from "../../wire-format.js";

export interface AcceptedForms {
  readonly secrets: boolean;
  readonly resources: boolean;
  readonly outputValues: boolean;
}

type Value = structProto.JavaScriptValue;

function isObject(value: unknown): value is Record<string, Value> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function secret(value: Value, accepted: AcceptedForms): Value {
  return accepted.secrets ? { [SPECIAL_SIGNATURE_KEY]: SECRET_SIGNATURE, value } : value;
}

export function downgradeValue(value: Value, accepted: AcceptedForms): Value {
  if (Array.isArray(value)) return (value as Value[]).map((element) => downgradeValue(element, accepted));
  if (!isObject(value)) return value;
  const signature = value[SPECIAL_SIGNATURE_KEY];
  if (signature === OUTPUT_VALUE_SIGNATURE && !accepted.outputValues) {
    const known = "value" in value && value.value !== undefined;
    const inner = known ? downgradeValue(value.value as Value, accepted) : UNKNOWN_VALUE;
    return value.secret === true ? secret(inner, accepted) : inner;
  }
  if (signature === SECRET_SIGNATURE && !accepted.secrets) return downgradeValue(value.value as Value, accepted);
  if (signature === RESOURCE_SIGNATURE && !accepted.resources) {
    if (typeof value.id === "string") return value.id === "" ? UNKNOWN_VALUE : value.id;
    return typeof value.urn === "string" ? value.urn : UNKNOWN_VALUE;
  }
  const result: Record<string, Value> = {};
  for (const [key, element] of Object.entries(value)) result[key] = downgradeValue(element, accepted);
  return result;
}

/** The struct in the forms the receiver accepts (the same struct when it accepts them all). */
export function downgradeStruct(struct: structProto.Struct | undefined, accepted: AcceptedForms): structProto.Struct {
  if (!struct) return new structProto.Struct();
  if (accepted.secrets && accepted.resources && accepted.outputValues) return struct;
  const downgraded = downgradeValue(struct.toJavaScript(), accepted) as Record<string, Value>;
  return structProto.Struct.fromJavaScript(downgraded);
}

/** Whether the value holds an unknown anywhere (an unknown output value included). */
export function containsUnknowns(value: Value): boolean {
  if (value === UNKNOWN_VALUE) return true;
  if (Array.isArray(value)) return (value as Value[]).some(containsUnknowns);
  if (!isObject(value)) return false;
  if (value[SPECIAL_SIGNATURE_KEY] === OUTPUT_VALUE_SIGNATURE && !("value" in value)) return true;
  return Object.values(value).some(containsUnknowns);
}

/** The URNs that output values inside the value depend on (the engine adds them to the outputs' dependencies). */
export function outputValueDependencies(value: Value, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const element of value as Value[]) outputValueDependencies(element, into);
  } else if (isObject(value)) {
    if (value[SPECIAL_SIGNATURE_KEY] === OUTPUT_VALUE_SIGNATURE && Array.isArray(value.dependencies)) {
      for (const urn of value.dependencies) if (typeof urn === "string") into.add(urn);
    }
    for (const element of Object.values(value)) outputValueDependencies(element, into);
  }
  return into;
}
