import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "eslint.config.mjs",
      "scripts/**",
      ".test-output/**",
      "dist/**",
      "node_modules/**",
      "coverage/**",
      ".bench/**",
      "fixtures/**/node_modules/**",
    ],
  },
  // TypeScript: the rules that need the type checker too (promises awaited, no unsafe any).
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ["**/*.ts"] })),
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  // JavaScript (fixture programs and packs written as users write them): without type information.
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ["**/*.js", "**/*.mjs", "**/*.cjs"] })),
  // Policy packs written as plain CommonJS, as a user would write a small one.
  {
    files: ["fixtures/packs/**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
