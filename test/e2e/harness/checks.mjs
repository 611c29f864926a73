// A tiny check runner for the Playwright suites: each check is counted and timed; a check whose
// prerequisite failed fails too ("not run"); a failure calls onFailure(n) (a screenshot).
// summary() is what run-e2e.sh counts: {passed, failed, tests}.
export function checkRunner(onFailure = async () => {}) {
  const results = [];
  const passedNames = new Set();
  async function check(name, needs, fn) {
    const missing = needs.filter((n) => !passedNames.has(n));
    if (missing.length) {
      results.push({ title: name, state: 'failed', error: `not run: needs ${missing.join(', ')}` });
      console.log(`  ✗ ${name} (not run: needs ${missing.join(', ')})`);
      return;
    }
    const t0 = Date.now();
    try {
      await fn();
      passedNames.add(name);
      results.push({ title: name, state: 'passed' });
      console.log(`  ✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    } catch (e) {
      const msg = (e?.message ?? String(e)).split('\n').slice(0, 6).join('\n');
      results.push({ title: name, state: 'failed', error: msg });
      console.log(`  ✗ ${name}: ${msg}`);
      await onFailure(results.length).catch(() => {});
    }
  }
  const summary = () => ({ passed: results.filter((r) => r.state === 'passed').length, failed: results.filter((r) => r.state !== 'passed').length, tests: results });
  return { check, passed: (name) => passedNames.has(name), summary };
}
