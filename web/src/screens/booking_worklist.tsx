// The worklist's scheduling sections (GET /worklists/today): today's sessions, open review tasks (a
// prescriber completes one with a note) and boosters due.

import { useState } from "preact/hooks";
import { useMutation, useResource } from "../data";
import { SubmitButton } from "../components/form";
import type { User } from "../types";
import { Banner } from "../components/messages";
import { dateTime } from "../format";
import { dayLabel, schedule, typeName, where, type ReviewTask } from "../schedule";
import { can } from "../access";

const TASK_KIND: Record<string, string> = {
  early_non_response: "Early non-response",
  end_of_series: "End of series",
};

const TASKS_SHOWN = 8;

export function ScheduleWorklist({ user }: { user?: User }) {
  const today = useResource(() => schedule.today(), []);
  const w = today.data;
  const error = today.errorText;
  const [allTasks, setAllTasks] = useState(false);

  const sessions = (w?.sessions ?? []).filter((a) => a.status === "booked").sort((a, b) => a.start.localeCompare(b.start));
  return (
    <>
      {error && (
        <Banner kind="error" testid="schedule-worklist-error">
          {error}
        </Banner>
      )}
      <section class="card" aria-labelledby="today-title" data-testid="today-sessions" aria-busy={!w && !error}>
        <div class="title-row">
          <h2 id="today-title">Today's sessions{w ? ` · ${dayLabel(w.date, true)}` : ""}</h2>
          <a class="btn btn-small" href={w ? `#/calendar?date=${w.date}&view=day` : "#/calendar"} data-testid="today-calendar">
            Calendar
          </a>
        </div>
        {!w && !error && <p class="muted">Loading…</p>}
        {w && sessions.length === 0 && (
          <p class="muted" data-testid="no-today-sessions">
            No sessions today.
          </p>
        )}
        {sessions.length > 0 && (
          <ul class="appt-list">
            {sessions.map((a) => (
              <li key={a.id} data-testid="today-session">
                <strong>
                  {a.local_start}–{a.local_end}
                </strong>{" "}
                <a href={`#/patients/${encodeURIComponent(a.patient_id)}`}>{a.patient_name}</a>{" "}
                <span class="muted">
                  {typeName(a.type)} · {where(a)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {w?.review_tasks && (
      <section class="card" aria-labelledby="tasks-title" data-testid="review-tasks">
        <h2 id="tasks-title">Review tasks</h2>
        {w.review_tasks.length === 0 && (
          <p class="muted" data-testid="no-review-tasks">
            No open review tasks.
          </p>
        )}
        {w.review_tasks.length > 0 && (
          <>
            <p class="muted small" data-testid="review-task-count">
              {w.review_tasks.length} open
            </p>
            <ul class="task-list">
              {(allTasks ? w.review_tasks : w.review_tasks.slice(0, TASKS_SHOWN)).map((t) => (
                <TaskItem key={t.id} task={t} canComplete={!!user && can(user, "booster.decide")} onDone={today.reload} />
              ))}
            </ul>
            {!allTasks && w.review_tasks.length > TASKS_SHOWN && (
              <button type="button" class="btn btn-small" onClick={() => setAllTasks(true)} data-testid="review-tasks-all">
                Show all {w.review_tasks.length}
              </button>
            )}
          </>
        )}
      </section>
      )}

      <section class="card" aria-labelledby="boosters-title" data-testid="due-boosters">
        <h2 id="boosters-title">Boosters due</h2>
        {w && w.due_boosters.length === 0 && (
          <p class="muted" data-testid="no-due-boosters">
            No boosters due.
          </p>
        )}
        {w && w.due_boosters.length > 0 && (
          <ul class="appt-list">
            {w.due_boosters.map((b) => (
              <li key={b.patient_id + b.proposed_date} data-testid="due-booster">
                <strong>{b.proposed_date}</strong>{" "}
                <a href={`#/patients/${encodeURIComponent(b.patient_id)}/maintenance`}>{b.patient_name}</a>{" "}
                <span class="muted">every {b.interval_days} days</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function TaskItem({ task, canComplete, onDone }: { task: ReviewTask; canComplete: boolean; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const m = useMutation();
  const error = m.errorText;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!note.trim()) {
      m.fail("Write what was decided.", "note");
      return;
    }
    await m.run(async () => {
      await schedule.completeTask(task.id, note.trim());
      onDone();
    });
  };
  return (
    <li class="task-item" data-testid="review-task" data-kind={task.kind}>
      <div>
        <span class="badge badge-warn">{TASK_KIND[task.kind] ?? task.kind}</span>{" "}
        <a href={`#/patients/${encodeURIComponent(task.patient_id)}`}>{task.patient_name}</a>
        <span class="muted small"> · {dateTime(task.created_at)}</span>
      </div>
      <p class="task-reason">{task.reason}</p>
      {canComplete && !open && (
        <button type="button" class="btn btn-small" onClick={() => setOpen(true)} data-testid="task-complete">
          Complete
        </button>
      )}
      {open && (
        <form onSubmit={submit} noValidate>
          <div class={`field${error ? " field-invalid" : ""}`}>
            <label for={`task-${task.id}-note`}>Note</label>
            <textarea
              id={`task-${task.id}-note`}
              rows={2}
              value={note}
              onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)}
              data-testid="task-note"
            />
            {error && (
              <div class="field-error" role="alert">
                {error}
              </div>
            )}
          </div>
          <div class="actions">
            <SubmitButton pending={m.pending} testid="task-submit">
              Complete the review
            </SubmitButton>
            <button type="button" class="btn" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
