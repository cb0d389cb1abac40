// Turns a trap inside the engine (a Rust panic: a bug, never bad input) into an AdaccessError
// with code "internal", the panic's message included. The package is built with
// panic = "abort", so a trapped instance cannot be trusted again: every later call throws the
// same "internal" error until the module is loaded again (a page reload, a new process).
// scripts/build-npm copies this file into the package once per build (guard.js for adaccess.js,
// guard-full.js for adaccess_full.js) and fills in the paths of the glue and the errors module.
import { Engine as RawEngine, Draft, PreparedUser, __takePanic, __panicForTests } from "__GLUE_MODULE__";
import { AdaccessError } from "__ERRORS_MODULE__";

let broken = null;

function internal(error) {
  let detail = null;
  try {
    detail = __takePanic();
  } catch {
    // The instance may be too damaged to answer; the trap's own message stands in.
  }
  // "panicked at src/x.rs:1:2:\nmessage" on one line.
  broken = `internal error in adaccess: ${(detail ?? error.message).replace(/\s*\n\s*/g, " ")}`;
  return new AdaccessError({ code: "internal", message: broken });
}

/** `fn`, guarded: a trap becomes AdaccessError("internal"), and every call after one throws.
 * Used by log.js for the full build's free functions. */
export function guard(fn) {
  return function guarded(...args) {
    if (broken !== null) {
      throw new AdaccessError({
        code: "internal",
        message: `adaccess stopped after an earlier internal error (${broken}); load the module again`,
      });
    }
    try {
      return fn.apply(this, args);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) throw internal(error);
      throw error;
    }
  };
}

// Every method and static function of Engine, Draft and PreparedUser, except the binding's own plumbing.
const plumbing = new Set(["constructor", "free", "__wrap", "__destroy_into_raw", "length", "name", "prototype"]);
for (const target of [RawEngine.prototype, RawEngine, Draft.prototype, PreparedUser.prototype]) {
  for (const name of Object.getOwnPropertyNames(target)) {
    const d = Object.getOwnPropertyDescriptor(target, name);
    if (plumbing.has(name) || typeof d.value !== "function") continue;
    Object.defineProperty(target, name, { ...d, value: guard(d.value) });
  }
}

/** The engine (see adaccess.d.ts); `new Engine(...)` is guarded like every method. */
export class Engine extends RawEngine {
  constructor(...args) {
    if (broken !== null) guard(() => {})();
    try {
      super(...args);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) throw internal(error);
      throw error;
    }
  }
  // Engine.builtin(...) returns the binding's own class: both count as an Engine.
  static [Symbol.hasInstance](value) {
    return value instanceof RawEngine;
  }
}

/** A change under edit, from `engine.draft(change)`. */
export { Draft };

/** A user resolved once, from `engine.user(doc)`. */
export { PreparedUser };

/** Panics inside the engine; for the package's tests only. */
export const _panicForTests = guard(__panicForTests);
