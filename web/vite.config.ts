import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

// The kclinic server serves dist/ at "/" (kclinic serve --web web/dist); routing is by URL hash,
// so index.html is the only page and assets live under /assets/.
export default defineConfig({
  base: "/",
  plugins: [preact()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    // `npm run dev` against a locally running server: KCLINIC_API=http://127.0.0.1:8080 npm run dev
    proxy: process.env.KCLINIC_API ? { "/api": process.env.KCLINIC_API } : undefined,
  },
});
