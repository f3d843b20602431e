import { describe, expect, it } from "vitest";
import { clock, durationWords, elapsedText, esketamineTimers, until, vitalsDue } from "./session_timers";

const T0 = Date.parse("2026-12-07T10:00:00Z");
const at = (min: number, sec = 0) => new Date(T0 + min * 60_000 + sec * 1000).toISOString();

describe("clock", () => {
  it("shows m:ss under an hour and h:mm:ss from an hour", () => {
    expect(clock(0)).toBe("0:00");
    expect(clock(65_000)).toBe("1:05");
    expect(clock(3_600_000 + 61_000)).toBe("1:01:01");
  });
  it("rounds down to the second and reads a negative duration as 0:00", () => {
    expect(clock(59_999)).toBe("0:59");
    expect(clock(-5_000)).toBe("0:00");
  });
  it("until is NaN without a time and negative once it has passed", () => {
    expect(until(null, T0)).toBeNaN();
    expect(until(at(-1), T0)).toBe(-60_000);
  });
});

describe("elapsedText", () => {
  it("ticks from the start while the session runs", () => {
    expect(elapsedText({ started_at: at(0), elapsed_min: null }, false, T0 + 90_000)).toBe("1:30");
  });
  it("shows the server's minutes once locked, or a dash before the start", () => {
    expect(elapsedText({ started_at: at(0), elapsed_min: 42 }, true, T0 + 90_000)).toBe("42 min");
    expect(elapsedText({ started_at: null, elapsed_min: null }, false, T0)).toBe("—");
  });
});

describe("vitalsDue", () => {
  it("counts down to the next vitals", () => {
    expect(vitalsDue({ next_vitals_due_at: at(5), vitals_overdue: false }, T0)).toEqual({ overdue: false, text: "in 5:00" });
  });
  it("is overdue once the time has passed, by how long", () => {
    expect(vitalsDue({ next_vitals_due_at: at(-2, -5), vitals_overdue: false }, T0)).toEqual({ overdue: true, text: "OVERDUE by 2:05" });
  });
  it("is overdue when the server says so, even before its time (clock skew)", () => {
    expect(vitalsDue({ next_vitals_due_at: at(1), vitals_overdue: true }, T0).overdue).toBe(true);
    expect(vitalsDue({ next_vitals_due_at: null, vitals_overdue: true }, T0)).toEqual({ overdue: true, text: "OVERDUE" });
  });
  it("shows a dash with nothing due", () => {
    expect(vitalsDue({ next_vitals_due_at: null, vitals_overdue: false }, T0)).toEqual({ overdue: false, text: "—" });
  });
});

describe("esketamineTimers", () => {
  const dosing = { state: "dosing", devices_planned: 2, locked: false };
  it("before the first device: give now, monitoring not started", () => {
    const t = esketamineTimers({ devices: [], next_device_allowed_at: null, monitoring_ends_at: null }, { ...dosing, state: "prechecks_passed" }, T0);
    expect(t).toMatchObject({ wait: false, nextDevice: "now", monitoring: "starts with the first device", canGive: true });
  });
  it("waits the interval between devices, counting down", () => {
    const t = esketamineTimers({ devices: [{ at: at(0) }], next_device_allowed_at: at(5), monitoring_ends_at: at(120) }, dosing, T0 + 60_000);
    expect(t).toMatchObject({ wait: true, nextDevice: "in 4:00", monitoring: "1:59:00 left", canGive: true });
  });
  it("no next device once all planned devices are given", () => {
    const t = esketamineTimers(
      { devices: [{ at: at(0) }, { at: at(5) }], next_device_allowed_at: at(10), monitoring_ends_at: at(120) },
      dosing,
      T0 + 11 * 60_000,
    );
    expect(t).toMatchObject({ wait: false, nextDevice: "—", canGive: false });
  });
  it("says the monitoring period the server used once it is over", () => {
    const e = { devices: [{ at: at(0) }], next_device_allowed_at: at(5), monitoring_ends_at: at(120) };
    expect(esketamineTimers(e, dosing, T0 + 121 * 60_000).monitoring).toBe("2 hours complete");
    const longer = { ...e, monitoring_ends_at: at(150) };
    expect(esketamineTimers(longer, dosing, T0 + 151 * 60_000).monitoring).toBe("150 minutes complete");
  });
  it("cannot give a device in a locked session or outside dosing", () => {
    const e = { devices: [], next_device_allowed_at: null, monitoring_ends_at: null };
    expect(esketamineTimers(e, { ...dosing, locked: true }, T0).canGive).toBe(false);
    expect(esketamineTimers(e, { ...dosing, state: "monitoring" }, T0).canGive).toBe(false);
  });
});

describe("durationWords", () => {
  it("speaks whole hours as hours, anything else as minutes", () => {
    expect(durationWords(60)).toBe("1 hour");
    expect(durationWords(120)).toBe("2 hours");
    expect(durationWords(90)).toBe("90 minutes");
    expect(durationWords(1)).toBe("1 minute");
  });
});
