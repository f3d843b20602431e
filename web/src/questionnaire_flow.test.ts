import { describe, expect, it } from "vitest";
import type { Instrument } from "./types";
import {
  answer,
  answerLabel,
  answerOptions,
  backHref,
  firstMissing,
  needsAnswer,
  nextHref,
  parseStep,
  restoreDraft,
  submitErrorText,
} from "./questionnaire_flow";

// A PHQ-9-like scale cut to three items: two required, the last optional and unscored (like item 10).
const def: Pick<Instrument, "id" | "items"> = {
  id: "phq9",
  items: [
    { number: 1, text: "Little interest", min: 0, max: 3, scored: true, required: true, safety: false, options: [{ value: 0, label: "Not at all" }, { value: 1, label: "Several days" }] },
    { number: 2, text: "Feeling down", min: 0, max: 3, scored: true, required: true, safety: false, options: [] },
    { number: 3, text: "How difficult", min: 0, max: 3, scored: false, required: false, safety: false, options: [] },
  ],
};

describe("parseStep", () => {
  it("reads question numbers 1..n as 0-based indexes", () => {
    expect(parseStep("1", def)).toEqual({ kind: "question", index: 0 });
    expect(parseStep("3", def)).toEqual({ kind: "question", index: 2 });
  });
  it("knows the review and done screens", () => {
    expect(parseStep("review", def)).toEqual({ kind: "review" });
    expect(parseStep("done", def)).toEqual({ kind: "done" });
  });
  it("refuses numbers outside the scale and anything else", () => {
    for (const s of ["0", "4", "-1", "1.5", "x", ""]) expect(parseStep(s, def)).toEqual({ kind: "not-found" });
  });
});

describe("Next and Back", () => {
  it("Next goes to the following question, and to the review after the last", () => {
    expect(nextHref(def, 0)).toBe("#/portal/questionnaire/phq9/2");
    expect(nextHref(def, 1)).toBe("#/portal/questionnaire/phq9/3");
    expect(nextHref(def, 2)).toBe("#/portal/questionnaire/phq9/review");
  });
  it("Back goes to the previous question, and to the portal from the first", () => {
    expect(backHref(def, 0)).toBe("#/portal");
    expect(backHref(def, 2)).toBe("#/portal/questionnaire/phq9/2");
  });
  it("Next asks for an answer only for a required item without one", () => {
    expect(needsAnswer(def.items[0], null)).toBe(true);
    expect(needsAnswer(def.items[0], undefined)).toBe(true);
    expect(needsAnswer(def.items[0], 0)).toBe(false); // 0 is an answer
    expect(needsAnswer(def.items[2], null)).toBe(false); // the unscored item may stay blank
    expect(needsAnswer({ ...def.items[2], required: true }, null)).toBe(true); // the server's word counts
  });
});

describe("answers", () => {
  it("answer() changes one question and leaves the draft it came from alone", () => {
    const before = [null, null, null];
    const after = answer(before, 1, 2);
    expect(after).toEqual([null, 2, null]);
    expect(before).toEqual([null, null, null]);
  });
  it("the review's first missing answer is the first required item without one", () => {
    expect(firstMissing(def, [null, null, null])).toBe(0);
    expect(firstMissing(def, [1, null, null])).toBe(1);
    expect(firstMissing(def, [1, 0, null])).toBe(-1);
  });
  it("labels an answer by its option, its number, or as not answered", () => {
    expect(answerLabel(def, 0, 1)).toBe("Several days");
    expect(answerLabel(def, 1, 2)).toBe("2");
    expect(answerLabel(def, 1, null)).toBe("Not answered");
  });
  it("offers the labelled options, or every score from min to max", () => {
    expect(answerOptions(def.items[0]).map((o) => o.value)).toEqual([0, 1]);
    expect(answerOptions(def.items[1])).toEqual([0, 1, 2, 3].map((v) => ({ value: v, label: String(v) })));
  });
});

describe("restoreDraft", () => {
  it("restores a saved draft of the right length", () => {
    expect(restoreDraft(def, "[1,null,3]")).toEqual([1, null, 3]);
  });
  it("blanks answers out of their item's range or not numbers", () => {
    expect(restoreDraft(def, '[4,-1,"2"]')).toEqual([null, null, null]);
  });
  it("starts blank without a draft, with another length, or with damaged JSON", () => {
    for (const saved of [null, "[1,2]", "{", '{"a":1}']) expect(restoreDraft(def, saved)).toEqual([null, null, null]);
  });
});

describe("submitErrorText", () => {
  it("names the question an item error is about", () => {
    expect(submitErrorText("item_2", "must be between 0 and 3", def.items)).toBe("Question 2: Must be between 0 and 3");
    expect(submitErrorText("items[0]", "is required", def.items)).toBe("Question 1: Is required");
  });
  it("keeps other errors as a sentence", () => {
    expect(submitErrorText(undefined, "not allowed", def.items)).toBe("Not allowed");
    expect(submitErrorText("item_9", "unknown item", def.items)).toBe("Unknown item");
  });
});
