// Vitest for the web app's UI logic (pure functions: the questionnaire flow, the session timers).
// Kept apart from vite.config.ts: the tests need no Preact plugin and run in Node.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
