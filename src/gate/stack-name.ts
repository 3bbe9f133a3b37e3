// What a stack name may be, decided once. Each front end says which of its inputs was wrong.

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * The problem with a stack name, or undefined when it is valid. `qualified`: "org/stack" and
 * "org/project/stack" are allowed (the Pulumi CLI's form); otherwise only a bare name (a
 * Pulumi.<stack>.yaml file name, for the offline engine).
 */
export function stackNameProblem(name: string, qualified: boolean): string | undefined {
  const parts = name.split("/");
  // "." and ".." name no organization or project, and would read as paths.
  const valid =
    (qualified ? parts.length <= 3 : parts.length === 1) && parts.every((part) => NAME.test(part) && part !== "." && part !== "..");
  if (valid) return undefined;
  return qualified
    ? `expected "stack", "org/stack" or "org/project/stack" of letters, digits, "-", "_" and "."`
    : `expected a stack name of letters, digits, "-", "_" and "."`;
}
