/**
 * Errors of the onnxruntime-web engine that are not about a malformed file (those are
 * FormatError from lib/formats): a graph this engine cannot drive, a failed session, a bad
 * transform result. Messages start with the model's name so a user sees which model failed.
 */
export class OrtEngineError extends Error {
  override name = "OrtEngineError";
  constructor(
    /** model name or path the engine was opened with */
    readonly model: string,
    readonly detail: string,
  ) {
    super(`${model}: ${detail}`);
  }
}
