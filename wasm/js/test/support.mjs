// What several test files share (not a test file itself: `node --test ./*.test.mjs` skips it).
import assert from "node:assert/strict";
import { AdaccessError } from "adaccess";

/** The AdaccessError `fn` throws; fails the test when it throws nothing or something else. */
export function thrown(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AdaccessError, `expected an AdaccessError, got ${e}`);
    return e;
  }
  assert.fail("expected a throw");
}
