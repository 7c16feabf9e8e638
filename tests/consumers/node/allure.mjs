// Reads a JUnit report with Allure 2 (npm allure-commandline, which runs Allure's Java
// report generator) and prints, as JSON, the statistic of the generated report
// (widgets/summary.json: passed, failed, broken, skipped, total) and each test case's
// name and statusMessage (data/test-cases/*.json).
// Usage: node allure.mjs REPORT.xml OUT_DIR
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [report, outDir] = process.argv.slice(2);
const results = join(outDir, "results");
mkdirSync(results, { recursive: true });
copyFileSync(report, join(results, "junit.xml"));
const allure = join(dirname(fileURLToPath(import.meta.url)), "node_modules", ".bin", "allure");
const generated = join(outDir, "allure-report");
execFileSync(allure, ["generate", results, "-o", generated, "--clean"], { stdio: ["ignore", "ignore", "inherit"] });
const summary = JSON.parse(readFileSync(join(generated, "widgets", "summary.json"), "utf8"));
const casesDir = join(generated, "data", "test-cases");
const cases = readdirSync(casesDir).map((f) => {
  const c = JSON.parse(readFileSync(join(casesDir, f), "utf8"));
  return { name: c.name, status: c.status, message: c.statusMessage ?? null };
});
console.log(JSON.stringify({ statistic: summary.statistic, cases }));
