// How `npm test` counts a vitest suite from its JSON report and exit status. A suite that
// crashed, failed to start, or had a file fail outside any test (a beforeAll that could not
// launch the browser, an import error) must show up as failed in the summary, never as
// "N passed, 0 failed".

/**
 * @param {{ exitOk: boolean, report: null | { numPassedTests: number, numFailedTests: number, numTotalTests: number,
 *   testResults?: { status: string, assertionResults?: { status: string }[] }[] } }} s
 * @returns {{ passed: number, failed: number, ok: boolean }}
 */
export function countSuite({ exitOk, report }) {
  if (!report) return { passed: 0, failed: 1, ok: false };
  const passed = report.numPassedTests ?? 0;
  let failed = report.numFailedTests ?? 0;
  // Files that failed without a failing test: each counts as one failure.
  failed += (report.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  // Nothing ran at all, or vitest failed but the report shows no failure.
  if (report.numTotalTests === 0 || (!exitOk && failed === 0)) failed = Math.max(failed, 1);
  return { passed, failed, ok: exitOk && failed === 0 };
}
