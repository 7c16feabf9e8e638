// Reads a Cucumber JSON report with two real consumers and prints, as JSON, the scenario
// counts each of them shows:
//   - cucumber-html-reporter (bootstrap theme): the per-feature "N Scenarios Passed|Failed|
//     Skipped" labels of the page it generates, summed;
//   - multiple-cucumber-html-reporter: the scenario totals of the report data it saves
//     (enriched-output.json), and whether it wrote its index.html.
// Usage: node read_cucumber.mjs REPORT.json OUT_DIR
import chr from "cucumber-html-reporter";
import mchr from "multiple-cucumber-html-reporter";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [report, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });

const chrPage = join(outDir, "cucumber-html-reporter.html");
chr.generate({
  theme: "bootstrap",
  jsonFile: report,
  output: chrPage,
  reportSuiteAsScenarios: true,
  launchReport: false,
  noInlineScreenshots: true,
  storeScreenshots: false,
});
const page = readFileSync(chrPage, "utf8");
const label = (word) =>
  [...page.matchAll(new RegExp(`title="(\\d+) Scenarios ${word}"`, "g"))]
    .map((m) => Number(m[1]))
    .reduce((a, b) => a + b, 0);

const jsonDir = join(outDir, "json");
mkdirSync(jsonDir, { recursive: true });
copyFileSync(report, join(jsonDir, "report.json"));
const mchrDir = join(outDir, "multiple-cucumber-html-reporter");
mchr.generate({ jsonDir, reportPath: mchrDir, disableLog: true, saveCollectedJSON: true });
const enriched = JSON.parse(readFileSync(join(mchrDir, "enriched-output.json"), "utf8"));

console.log(JSON.stringify({
  cucumber_html_reporter: { passed: label("Passed"), failed: label("Failed"), skipped: label("Skipped") },
  multiple_cucumber_html_reporter: {
    passed: enriched.scenarios.passed,
    failed: enriched.scenarios.failed,
    skipped: enriched.scenarios.skipped,
    total: enriched.scenarios.total,
    index: existsSync(join(mchrDir, "index.html")),
  },
}));
