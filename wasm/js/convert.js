// Documents cross into the module as the UTF-8 bytes of their JSON text. TextEncoder writes
// them natively; handing the module a JS string instead copies it one character at a time
// in wasm-bindgen's glue, which was a third of a 1,000-assignment assess.
const encoder = new TextEncoder();

/** The UTF-8 JSON text of `value` (empty when it has none, as a symbol); throws what
 * JSON.stringify throws. */
export function jsonBytes(value) {
  const text = JSON.stringify(value);
  return encoder.encode(text === undefined ? "" : text);
}

/** An entity that is exactly `{level, id}` (two own string fields, the level without a NUL)
 * as the one string "level\0id", else undefined: the module then reads it as JSON, whose
 * error names the path. One crossing instead of a property read per check. */
export function entityText(value) {
  if (value === null || typeof value !== "object") return undefined;
  const { level, id } = value;
  if (typeof level !== "string" || typeof id !== "string" || level.includes("\0")) return undefined;
  if (Object.keys(value).length !== 2 || !Object.hasOwn(value, "level") || !Object.hasOwn(value, "id")) return undefined;
  return `${level}\0${id}`;
}
