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
