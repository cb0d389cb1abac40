// Generates wasm/types/adaccess-types.d.ts from the JSON Schemas of the Rust types.
// Usage: cargo run -q -p adaccess-core --example schemas | node scripts/js/gen-types.mjs OUT
import { readFileSync, writeFileSync } from "node:fs";
import { compile } from "json-schema-to-typescript";

const out = process.argv[2];
const schemas = JSON.parse(readFileSync(0, "utf8"));

// One schema whose $defs hold every type, so shared types are declared once.
const defs = {};
const root = { title: "AdaccessTypes", type: "object", properties: {}, additionalProperties: false, $defs: defs };
for (const [name, schema] of Object.entries(schemas)) {
  const { $defs = {}, $schema, ...own } = schema;
  for (const [k, v] of Object.entries($defs)) defs[k] = { ...v, title: k };
  defs[name] = { ...own, title: name };
  root.properties[name] = { $ref: `#/$defs/${name}` };
}
// A $ref with sibling keywords (a default, a description) would become a copy of the type
// named `Type1`: keep the reference alone.
const bareRefs = (v) => {
  if (Array.isArray(v)) return v.map(bareRefs);
  if (v && typeof v === "object") {
    if (typeof v.$ref === "string") return { $ref: v.$ref };
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bareRefs(x)]));
  }
  return v;
};
for (const k of Object.keys(defs)) defs[k] = bareRefs(defs[k]);
// schemars names the profile document ProfileDoc; the package calls it Profile.
const text = JSON.stringify(root).replaceAll('"#/$defs/ProfileDoc"', '"#/$defs/Profile"');
delete defs.ProfileDoc;

let ts = await compile(JSON.parse(text), "AdaccessTypes", {
  bannerComment: "",
  additionalProperties: false,
  unreachableDefinitions: true,
  format: true,
  style: { semi: true, singleQuote: false },
});
// The root wrapper type is only a vehicle for the definitions.
ts = ts.replace(/export interface AdaccessTypes \{[\s\S]*?\n\}\n/, "");
const header = "// Generated from the Rust types by scripts/js/gen-types.mjs. Do not edit.\n";
const extra = `
/** Thrown by every function of the package: a stable \`code\` and the \`path\` of the bad value. */
export class AdaccessError extends Error {
  readonly code: string;
  readonly path: string | null;
  readonly problems: Problem[];
}
`;
writeFileSync(out, header + ts + extra);
