// Staff patient list: search by the start of the given or family name, page with "Load more".

import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import type { Patient } from "../types";
import { sentence, sexLabel } from "../format";
import { Banner } from "../components/messages";

const PAGE = 20;

export function PatientList() {
  const [q, setQ] = useState(() => sessionStorage.getItem("kclinic.q") ?? "");
  const [items, setItems] = useState<Patient[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [loadedQ, setLoadedQ] = useState<string | null>(null);
  // Only the newest search may fill the list; answers to older keystrokes are dropped.
  const seq = useRef(0);

  const search = async (query: string) => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.listPatients(query.trim(), null, PAGE);
      if (mine !== seq.current) return;
      setItems(page.items);
      setCursor(page.next_cursor);
      setLoadedQ(query.trim());
    } catch (err) {
      if (mine !== seq.current) return;
      setError(err instanceof ApiError ? sentence(err.message) : String(err));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };

  const more = async () => {
    if (!cursor) return;
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.listPatients(loadedQ ?? "", cursor, PAGE);
      if (mine !== seq.current) return;
      setItems((old) => [...old, ...page.items]);
      setCursor(page.next_cursor);
    } catch (err) {
      if (mine !== seq.current) return;
      setError(err instanceof ApiError ? sentence(err.message) : String(err));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };

  // Search as the person types, after a short pause.
  useEffect(() => {
    sessionStorage.setItem("kclinic.q", q);
    const t = setTimeout(() => search(q), loadedQ === null || q.trim() === loadedQ ? 0 : 250);
    return () => clearTimeout(t);
  }, [q]);

  return (
    <section class="patient-list" aria-labelledby="patients-title" data-testid="patient-list">
      <div class="title-row">
        <h1 id="patients-title">Patients</h1>
        <a class="btn btn-primary" href="#/patients/new" data-testid="register-patient">
          Register patient
        </a>
      </div>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          search(q);
        }}
      >
        <label for="patient-search" class="visually-hidden">
          Search patients by name
        </label>
        <input
          id="patient-search"
          type="search"
          placeholder="Search by name"
          value={q}
          onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
          autocomplete="off"
          data-testid="patient-search"
        />
        <button type="submit" class="btn" data-testid="patient-search-submit">
          Search
        </button>
      </form>

      {error && (
        <Banner kind="error" testid="list-error">
          {error}
        </Banner>
      )}

      <div aria-live="polite" aria-busy={loading}>
        {!loading && !error && items.length === 0 && (
          <p class="empty" data-testid="no-results">
            {loadedQ ? `No patients whose name starts with “${loadedQ}”.` : "No patients registered yet."}
          </p>
        )}
        {items.length > 0 && (
          <table class="table patients-table" data-testid="patient-results">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Birth date</th>
                <th scope="col">Sex</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id} data-testid="patient-row" data-patient-id={p.id}>
                  <td class="name-cell">
                    <a href={`#/patients/${p.id}`} data-testid="patient-link">
                      {p.name.family}, {p.name.given}
                    </a>
                  </td>
                  <td class="nowrap">{p.birth_date}</td>
                  <td>{sexLabel(p.sex)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {loading && (
          <p class="muted" data-testid="list-loading">
            Loading…
          </p>
        )}
        {cursor && !loading && (
          <button type="button" class="btn btn-block" onClick={more} data-testid="load-more">
            Load more
          </button>
        )}
      </div>
    </section>
  );
}
