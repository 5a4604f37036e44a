// ESLint (flat config) with typescript-eslint. Type-aware rules catch what
// matters most in this code base: promises nobody awaits or handles.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["src/gen/**", "src/gen-*/**", "dist/**", "bench/.out/**", "build/**", "node_modules/**", "examples/*/dist/**", "examples/*/node_modules/**", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      // `void promise` marks a promise deliberately left to run.
      "@typescript-eslint/no-floating-promises": ["error", { ignoreVoid: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      // A closure may read a variable the test assigns later (e.g. a token handed over mid-test).
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // An async implementation of a promise-returning contract turns a throw into a rejection: wanted.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // The core gets time and randomness from its options only (the compiler
    // already refuses the DOM's and Node's globals there: src/core/tsconfig.json).
    files: ["src/core/**/*.ts"],
    ignores: ["src/core/**/*.spec.ts", "src/core/testing/**"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "use the injected Clock" },
        { object: "Math", property: "random", message: "use the injected RandomSource" },
        { object: "globalThis", message: "the core touches no global: take it as an option" },
      ],
      "no-restricted-syntax": ["error", { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "use the injected Clock" }],
      "no-restricted-globals": ["error", "globalThis", "performance", "self", "window", "document", "navigator"],
    },
  },
  { files: ["**/*.js", "**/*.mjs", "**/*.cjs"], ...tseslint.configs.disableTypeChecked },
  { files: ["**/*.cjs"], languageOptions: { sourceType: "commonjs" } },
  {
    files: ["**/*.spec.ts", "**/testing/**/*.ts", "e2e/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/prefer-promise-reject-errors": "off",
      "@typescript-eslint/no-explicit-any": "off",
      // Tests poke at untyped results (page.evaluate, JSON answers) on purpose.
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);
