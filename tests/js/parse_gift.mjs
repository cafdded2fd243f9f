// Parse a GIFT file with gift-pegjs (an independent GIFT parser) and print its questions as
// JSON, for tests/export/test_questions.py: node tests/js/parse_gift.mjs FILE
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const { parse } = createRequire(import.meta.url)("gift-pegjs");
const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: node parse_gift.mjs FILE\n");
  process.exit(2);
}
process.stdout.write(JSON.stringify(parse(readFileSync(file, "utf8"))));
