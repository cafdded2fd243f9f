// The JS grader against the vectors the Python grader passes too (run by tests/quizzes/test_grading.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { grade, parseNumber } from "../../builder/static/quiz.js";

const vectors = JSON.parse(readFileSync(new URL("../data/grading_vectors.json", import.meta.url)));

for (const v of vectors) {
  test(v.name, () => assert.equal(grade(v.question, v.response, v.decimal), v.expect));
}

test("Vietnamese number formats", () => {
  assert.equal(parseNumber("98,72"), 98.72);
  assert.equal(parseNumber("14.478"), 14478);
  assert.equal(parseNumber("1.234.567,5"), 1234567.5);
  assert.equal(parseNumber("abc"), null);
});
