/**
 * cdktf records where every token was created: a stack trace without a frame limit, captured on a
 * plain object and formatted to text at once, for each token (tens of thousands in a fleet's synth).
 * Only cdktf's token resolution errors ever show them, yet formatting them is ~10% of a 1,000-target
 * synth. While the app is built and synthesized, `withoutCreationStackTraces` leaves traces captured
 * on plain objects unformatted (empty); real errors keep theirs, formatted as before. Debugging
 * (IDC_CMK_DEBUG=1) and source maps (Node's own formatter maps them) keep every trace.
 *
 * Uses only V8's documented stack trace API (`Error.prepareStackTrace`), nothing of cdktf's.
 */

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

export interface CreationStackTraceOptions {
  /** Environment to read IDC_CMK_DEBUG from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `build` with creation stack traces left unformatted (see the file comment), then restores the formatter. */
export function withoutCreationStackTraces<T>(build: () => T, options: CreationStackTraceOptions = {}): T {
  const env = options.env ?? process.env;
  if (env.IDC_CMK_DEBUG === '1' || process.sourceMapsEnabled) return build();
  const hadOwn = Object.prototype.hasOwnProperty.call(Error, 'prepareStackTrace');
  const previous = Error.prepareStackTrace as PrepareStackTrace | undefined;
  Error.prepareStackTrace = (target: Error, frames: NodeJS.CallSite[]): unknown => {
    if (!(target instanceof Error)) return '';
    return previous ? previous(target, frames) : formatLikeV8(target, frames);
  };
  try {
    return build();
  } finally {
    if (hadOwn && previous) Error.prepareStackTrace = previous;
    else delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  }
}

/** V8's own format: the error's text, then one `    at <frame>` line per frame. */
function formatLikeV8(error: Error, frames: readonly NodeJS.CallSite[]): string {
  let text: string;
  try {
    text = String(error);
  } catch {
    text = '<error>';
  }
  return [text, ...frames.map((frame) => `    at ${String(frame)}`)].join('\n');
}
