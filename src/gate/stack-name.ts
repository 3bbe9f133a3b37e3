// What a stack name may be, decided once. Each front end says which of its inputs was wrong.

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * The problem with a stack name, or undefined when it is valid. `qualified`: "org/stack" and
 * "org/project/stack" are allowed (the Pulumi CLI's form); otherwise only a bare name (a
 * Pulumi.<stack>.yaml file name, for the offline engine).
 */
export function stackNameProblem(name: string, qualified: boolean): string | undefined {
  const parts = name.split("/");
  const valid = qualified ? parts.length <= 3 && parts.every((part) => NAME.test(part)) : NAME.test(name);
  if (valid) return undefined;
  return qualified
    ? `expected "stack", "org/stack" or "org/project/stack" of letters, digits, "-", "_" and "."`
    : `expected a stack name of letters, digits, "-", "_" and "."`;
}
