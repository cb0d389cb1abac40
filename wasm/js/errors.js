// The error every function of the package throws: a stable `code` and the `path` of the bad value.
export class AdaccessError extends Error {
  constructor(info) {
    super(info.message);
    this.name = "AdaccessError";
    this.code = info.code;
    this.path = info.path ?? null;
    this.problems = info.problems ?? [];
  }
}

export function makeError(info) {
  return new AdaccessError(info);
}
