// Merges JUnit reports with junit-report-merger (npm) and prints what the merged file holds.
// Usage: node merge.mjs OUT.xml IN1.xml IN2.xml ...
import { mergeFiles } from "junit-report-merger";
import { readFileSync } from "node:fs";

const [out, ...inputs] = process.argv.slice(2);
await mergeFiles(out, inputs);
const merged = readFileSync(out, "utf8");
const count = (re) => (merged.match(re) || []).length;
console.log(JSON.stringify({
  testcases: count(/<testcase[\s>]/g),
  failures: count(/<failure[\s>]/g),
  errors: count(/<error[\s>]/g),
  properties_blocks: count(/<properties>/g),
  root: (merged.match(/<testsuites[^>]*>/) || [""])[0],
}));
