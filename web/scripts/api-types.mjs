#!/usr/bin/env node
// The web app's API types, generated from the server's OpenAPI document:
//
//   node scripts/api-types.mjs           write src/api_types.gen.ts from src/kclinic/http/openapi.json
//   node scripts/api-types.mjs --check   fail when the committed file differs from a fresh generation
//
// `npm run build` runs the check first, so a change to openapi.json without regenerating (or a
// hand edit of the generated file) fails the build. src/types.ts names these types for the screens.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiTS from "openapi-typescript";

const web = fileURLToPath(new URL("..", import.meta.url));
const docPath = `${web}../src/kclinic/http/openapi.json`;
const outPath = `${web}src/api_types.gen.ts`;

const doc = JSON.parse(readFileSync(docPath, "utf8"));
const fresh = await openapiTS(doc, { exportType: false, immutableTypes: false });

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(outPath, "utf8");
  } catch {
    // missing: reported below
  }
  if (committed !== fresh) {
    console.error(
      "check:types: web/src/api_types.gen.ts is not what src/kclinic/http/openapi.json generates.\n" +
        "Run `npm run gen:types` in web/ and commit the result (never edit the generated file by hand).",
    );
    process.exit(1);
  }
  console.log("check:types: web/src/api_types.gen.ts matches openapi.json");
} else {
  writeFileSync(outPath, fresh);
  console.log(`wrote ${outPath}`);
}
