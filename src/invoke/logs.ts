/**
 * Reading a function's log text: the base64 `LogResult` tail of a Lambda Invoke with `LogType: Tail`,
 * or the stderr of `sam local invoke` (which prints the same START/END/REPORT lines plus its own).
 */

/** The numbers of Lambda's `REPORT RequestId: ...` line. Durations in ms, memory in MB. */
export interface ReportLine {
  requestId: string;
  durationMs?: number;
  billedDurationMs?: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  initDurationMs?: number;
}

export interface TimeoutNotice {
  /** `lambda`: "Task timed out after N seconds" (deployed); `sam`: "Function 'X' timed out after N seconds". */
  source: 'lambda' | 'sam';
  seconds: number;
  /** The logical ID sam names; absent for Lambda's own message. */
  functionName?: string;
}

export interface LogSummary {
  text: string;
  report?: ReportLine;
  timeout?: TimeoutNotice;
}

/** Decodes `LogResult`. Lambda caps it at the last 4 KB, so the first line may be cut mid-character. */
export function decodeLogResult(logResult: string | undefined): string {
  if (!logResult) return '';
  return Buffer.from(logResult, 'base64').toString('utf8');
}

export function summarizeLogs(text: string): LogSummary {
  const report = parseReportLine(text);
  const timeout = findTimeout(text);
  return { text, ...(report && { report }), ...(timeout && { timeout }) };
}

const REPORT_FIELDS = {
  // Lookbehind: "Init Duration" can come before the plain Duration (sam prints it first).
  durationMs: /(?<!(?:Billed|Init|Restore) )Duration:\s*([\d.]+)\s*ms/,
  billedDurationMs: /Billed Duration:\s*([\d.]+)\s*ms/,
  memorySizeMb: /Memory Size:\s*([\d.]+)\s*MB/,
  maxMemoryUsedMb: /Max Memory Used:\s*([\d.]+)\s*MB/,
  initDurationMs: /Init Duration:\s*([\d.]+)\s*ms/,
} as const;

/** The last REPORT line in the text (a retried or repeated invoke leaves several). */
export function parseReportLine(text: string): ReportLine | undefined {
  const lines = text.split(/\r?\n/).filter((line) => /^REPORT RequestId:/.test(line.trim()));
  const line = lines.at(-1)?.trim();
  if (line === undefined) return undefined;
  const requestId = /^REPORT RequestId:\s*(\S+)/.exec(line)?.[1] ?? '';
  const report: ReportLine = { requestId };
  for (const [key, pattern] of Object.entries(REPORT_FIELDS)) {
    const match = pattern.exec(line);
    if (match?.[1] !== undefined) report[key as keyof typeof REPORT_FIELDS] = Number(match[1]);
  }
  return report;
}

export function findTimeout(text: string): TimeoutNotice | undefined {
  const sam = /Function '([^']+)' timed out after (\d+(?:\.\d+)?) seconds/.exec(text);
  if (sam?.[1] !== undefined && sam[2] !== undefined) {
    return { source: 'sam', seconds: Number(sam[2]), functionName: sam[1] };
  }
  const lambda = /Task timed out after (\d+(?:\.\d+)?) seconds/.exec(text);
  if (lambda?.[1] !== undefined) return { source: 'lambda', seconds: Number(lambda[1]) };
  return undefined;
}
