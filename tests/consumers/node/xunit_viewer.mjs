// Reads a JUnit report with xunit-viewer (npm): its own parser (what its page shows) and its
// CLI writing the HTML page. Prints, as JSON, the test cases per status, how many suites show
// properties, every message xunit-viewer shows (bodies, `message` and `type` attributes), and
// whether the page was written.
// Usage: node xunit_viewer.mjs REPORT.xml OUT.html
import parse from "xunit-viewer/src/cli/parse.js";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [report, page] = process.argv.slice(2);
const parsed = await parse(readFileSync(report, "utf8"));
const statuses = {};
const messages = [];
let withProperties = 0;
for (const suite of Object.values(parsed.suites)) {
  if (suite.properties && Object.keys(suite.properties).length > 0) withProperties += 1;
  for (const test of Object.values(suite.tests || {})) {
    statuses[test.status] = (statuses[test.status] || 0) + 1;
    messages.push(...test.messages);
  }
}
const cli = join(dirname(fileURLToPath(import.meta.url)), "node_modules", ".bin", "xunit-viewer");
execFileSync(cli, ["-r", report, "-o", page], { stdio: ["ignore", "ignore", "inherit"] });
console.log(JSON.stringify({ statuses, with_properties: withProperties, messages, page: existsSync(page) }));
