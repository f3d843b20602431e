// A self-report questionnaire in the portal (#/portal/questionnaire/<id>/<step>): one question
// per screen, Back and Next, a review screen that submits, then a confirmation. When the answers
// raise a safety flag the server sends crisis resources, and those come first, before anything else.
//
// The step is in the URL so the phone's Back button goes to the previous question; the answers
// live in this component (and in sessionStorage, so a reload keeps them) until they are sent.

import { useEffect, useRef, useState } from "preact/hooks";
import { api, loadInstruments } from "../api";
import { useMutation, useResource } from "../data";
import { navigate, replaceRoute } from "../router";
import type { AssessmentResult, Instrument, User } from "../types";
import { AccessDenied, Banner, NotFound } from "../components/messages";
import { severityLabel } from "../format";
import {
  answer,
  answerLabel,
  answerOptions,
  backHref,
  firstMissing as firstMissingOf,
  needsAnswer,
  nextHref,
  parseStep,
  questionnaireBase as base,
  restoreDraft,
  submitErrorText,
  type Answers,
} from "../questionnaire_flow";

const DRAFT_PREFIX = "kclinic.draft.";

function draftKey(user: User, instrument: string): string {
  return `${DRAFT_PREFIX}${user.id}.${instrument}`;
}

export function hasDraft(user: User, instrument: string): boolean {
  return sessionStorage.getItem(draftKey(user, instrument)) !== null;
}

/** Forget every unsent questionnaire (on log out: the next person at this phone must not see them). */
export function clearDrafts(): void {
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const k = sessionStorage.key(i);
    if (k?.startsWith(DRAFT_PREFIX)) sessionStorage.removeItem(k);
  }
}

function readDraft(user: User, def: Instrument): Answers {
  return restoreDraft(def, sessionStorage.getItem(draftKey(user, def.id)));
}

export function Questionnaire({ user, instrument, step }: { user: User; instrument: string; step: string }) {
  const [answers, setAnswers] = useState<Answers | null>(null);
  const [result, setResult] = useState<AssessmentResult | null>(null);
  const loaded = useResource(() => loadInstruments().then((all) => all.find((x) => x.id === instrument) ?? null), [instrument, user], {
    onLoad: (d) => d && setAnswers(readDraft(user, d)),
  });
  const def = loaded.data;
  const loadError = loaded.errorText;

  if (user.role !== "patient" || !user.patient_id) return <AccessDenied what="questionnaires" />;
  if (loadError) {
    return (
      <Banner kind="error" testid="questionnaire-error">
        {loadError}
      </Banner>
    );
  }
  if (def === undefined || (def && !answers)) return <p class="muted">Loading…</p>;
  if (def === null || def.rater !== "self") return <NotFound what="Questionnaire" />;

  const update = (next: Answers) => {
    setAnswers(next);
    sessionStorage.setItem(draftKey(user, def.id), JSON.stringify(next));
  };

  if (step === "done") {
    if (!result) {
      // Reloaded after sending: nothing to show but the way home.
      return (
        <section class="card questionnaire" data-testid="questionnaire-done">
          <h1>{def.title}</h1>
          <p>
            <a href="#/portal">Back to your portal</a>
          </p>
        </section>
      );
    }
    return <Done def={def} result={result} />;
  }
  if (step === "review") {
    return (
      <Review
        def={def}
        answers={answers!}
        onSent={(r) => {
          sessionStorage.removeItem(draftKey(user, def.id));
          setResult(r);
          setAnswers(def.items.map(() => null));
          replaceRoute(`${base(def.id)}/done`);
        }}
        patientId={user.patient_id}
      />
    );
  }
  const at = parseStep(step, def);
  if (at.kind !== "question") return <NotFound what="Question" />;
  return <Question key={at.index + 1} def={def} index={at.index} answers={answers!} onChange={update} />;
}

function Progress({ def, index }: { def: Instrument; index: number }) {
  const total = def.items.length;
  return (
    <div class="progress">
      <span data-testid="q-progress">
        Question {index + 1} of {total}
      </span>
      <progress max={total} value={index + 1} aria-hidden="true" />
    </div>
  );
}

function Question({
  def,
  index,
  answers,
  onChange,
}: {
  def: Instrument;
  index: number;
  answers: Answers;
  onChange: (a: Answers) => void;
}) {
  const item = def.items[index];
  const [missing, setMissing] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const value = answers[index];
  const last = index === def.items.length - 1;
  const options = answerOptions(item);

  // A new question: move focus to it so a screen reader reads it and Tab starts from it.
  useEffect(() => {
    heading.current?.focus();
  }, [index]);

  const next = (e: Event) => {
    e.preventDefault();
    if (needsAnswer(item, value)) {
      setMissing(true);
      return;
    }
    navigate(nextHref(def, index));
  };
  const back = () => navigate(backHref(def, index));
  const choose = (v: number) => {
    onChange(answer(answers, index, v));
    setMissing(false);
  };

  const intro = def.instructions;
  return (
    <section class="card questionnaire" aria-labelledby="q-title" data-testid="questionnaire" data-step={index + 1}>
      <p class="q-scale">{def.title}</p>
      <Progress def={def} index={index} />
      <form onSubmit={next} noValidate>
        <fieldset aria-describedby={missing ? "q-missing" : undefined}>
          <legend class="visually-hidden">
            Question {index + 1}: {item.text || `Item ${item.number}`}
          </legend>
          {intro && <p class="q-intro">{intro}</p>}
          <h1 id="q-title" class="q-text" tabIndex={-1} ref={heading} data-testid="q-text">
            {item.text || `Item ${item.number} (score ${item.min}–${item.max}, from your clinic's paper form)`}
          </h1>
          <div class="answers">
            {options.map((o) => (
              <label class={`answer${value === o.value ? " answer-chosen" : ""}`} key={o.value}>
                <input
                  type="radio"
                  name={`q-${def.id}-${item.number}`}
                  value={String(o.value)}
                  checked={value === o.value}
                  onChange={() => choose(o.value)}
                  data-testid={`answer-${o.value}`}
                />
                <span>{o.label || o.value}</span>
              </label>
            ))}
          </div>
          {missing && (
            <p class="field-error" id="q-missing" role="alert" data-testid="q-missing">
              Please choose an answer.
            </p>
          )}
        </fieldset>
        <div class="q-nav">
          <button type="button" class="btn btn-large" onClick={back} data-testid="q-back">
            Back
          </button>
          <button type="submit" class="btn btn-primary btn-large" data-testid="q-next">
            {last ? "Review" : "Next"}
          </button>
        </div>
      </form>
    </section>
  );
}

function Review({
  def,
  answers,
  patientId,
  onSent,
}: {
  def: Instrument;
  answers: Answers;
  patientId: string;
  onSent: (r: AssessmentResult) => void;
}) {
  const send = useMutation();
  const heading = useRef<HTMLHeadingElement>(null);
  const firstMissing = firstMissingOf(def, answers);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const submit = () => send.run(async () => onSent(await api.submitAssessment(patientId, def.id, answers)));
  const error =
    send.error && send.error.code !== "unknown" ? submitErrorText(send.error.field, send.error.message, def.items) : send.errorText;

  return (
    <section class="card questionnaire" aria-labelledby="review-title" data-testid="questionnaire-review">
      <p class="q-scale">{def.title}</p>
      <h1 id="review-title" tabIndex={-1} ref={heading}>
        Check your answers
      </h1>
      <ol class="review-list">
        {def.items.map((it, i) => (
          <li key={it.number} data-testid="review-item">
            <div class="review-q">{it.text || `Item ${it.number}`}</div>
            <div class="review-a">
              <strong data-testid={`review-answer-${it.number}`}>{answerLabel(def, i, answers[i])}</strong>{" "}
              <a href={`${base(def.id)}/${i + 1}`} data-testid={`review-change-${it.number}`}>
                Change<span class="visually-hidden"> answer {i + 1}</span>
              </a>
            </div>
          </li>
        ))}
      </ol>
      {error && (
        <Banner kind="error" testid="submit-error">
          {error}
        </Banner>
      )}
      {firstMissing >= 0 && (
        <Banner kind="error" testid="review-missing">
          Question {firstMissing + 1} has no answer yet. <a href={`${base(def.id)}/${firstMissing + 1}`}>Answer it</a>
        </Banner>
      )}
      <div class="q-nav">
        <button
          type="button"
          class="btn btn-large"
          onClick={() => navigate(`${base(def.id)}/${def.items.length}`)}
          data-testid="q-back"
        >
          Back
        </button>
        <button
          type="button"
          class="btn btn-primary btn-large"
          onClick={submit}
          disabled={send.pending || firstMissing >= 0}
          data-testid="q-submit"
        >
          {send.pending ? "Sending…" : "Send answers"}
        </button>
      </div>
    </section>
  );
}

/** The site's crisis text with its phone numbers (988, 911, +1 555 0100) as tap-to-call links. */
export function PhoneLinks({ text }: { text: string }) {
  const parts = text.split(/(\+?\d[\d ().-]{1,18}\d)/);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 && p.replace(/\D/g, "").length >= 3 ? (
          <a key={i} href={`tel:${p.replace(/[^\d+]/g, "")}`}>
            {p}
          </a>
        ) : (
          p
        ),
      )}
    </>
  );
}

function Done({ def, result }: { def: Instrument; result: AssessmentResult }) {
  const crisisRef = useRef<HTMLDivElement>(null);
  const thanksRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    (crisisRef.current ?? thanksRef.current)?.focus();
  }, []);
  const a = result.assessment;
  return (
    <section class="questionnaire-done" data-testid="questionnaire-done">
      {result.crisis && (
        <div class="crisis" role="alert" tabIndex={-1} ref={crisisRef} data-testid="crisis">
          <h1 class="crisis-title">You do not have to face this alone</h1>
          <p class="crisis-text" data-testid="crisis-text">
            <PhoneLinks text={result.crisis.text} />
          </p>
          {result.crisis.follow_up && <p data-testid="crisis-follow-up">{result.crisis.follow_up}</p>}
        </div>
      )}
      <div class="card">
        <h2 tabIndex={-1} ref={thanksRef} data-testid="confirmation">
          Thank you. Your {def.title} answers have been sent to your care team.
        </h2>
        {a.total != null && (
          <p>
            Your score: <strong data-testid="done-total">{a.total}</strong>
            {a.severity ? ` (${severityLabel(a.severity).toLowerCase()})` : ""}.
          </p>
        )}
        <p>
          <a class="btn btn-primary btn-large" href="#/portal" data-testid="done-home">
            Back to your portal
          </a>
        </p>
      </div>
    </section>
  );
}
