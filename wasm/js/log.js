// The access log's free functions, in adaccess/full only, guarded like every method of Engine
// and Draft (see guard.js). scripts/build-npm copies this file into the package as log-full.js
// and fills in the paths of the glue and the guard.
import { verifyLog as rawVerifyLog, logLine as rawLogLine } from "__GLUE_MODULE__";
import { guard } from "__GUARD_MODULE__";

/** Checks an access log's hash chain: `{ok, entries, head, broken}`. */
export const verifyLog = guard(rawVerifyLog);

/** The text that appends a log entry (from `draft.logEntry()`) to an access log. */
export const logLine = guard(rawLogLine);
