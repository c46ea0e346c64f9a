// A node:test reporter that prints only the closing line CI reads: `N passed, N failed[, N skipped]`.
// Suites and per-file wrapper entries are not counted; only the tests themselves are.
export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const files = new Set();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.details?.type === 'suite') continue;
    // Node 20 wraps each test file in an entry named after the file (nesting 0); it carries no test of its own
    // unless the file itself failed to load, which must count as a failure.
    if (data.nesting === 0 && data.file && data.name === data.file) {
      files.add(data.file);
      if (event.type === 'test:fail' && data.details?.error?.failureType !== 'subtestsFailed') failed += 1;
      continue;
    }
    if (data.skip || data.todo) skipped += 1;
    else if (event.type === 'test:pass') passed += 1;
    else failed += 1;
  }
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}
