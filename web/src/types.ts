// Shapes of the kclinic HTTP API (/api/v1), as the server sends them.

export type Role = "admin" | "prescriber" | "nurse" | "front_desk" | "patient";

export interface User {
  id: string;
  username: string;
  role: Role | string;
  patient_id: string | null;
  totp_enabled: boolean;
}

export interface Session {
  csrf_token: string;
  user: User;
}

export type Sex = "female" | "male" | "other" | "unknown";

export interface PersonRef {
  name: string;
  phone: string;
  relationship: string;
}

export interface Weight {
  id: string;
  date: string; // YYYY-MM-DD
  kg: number;
  recorded_at?: string;
  recorded_by?: string;
}

export interface Patient {
  id: string;
  version: number;
  name: { given: string; family: string };
  birth_date: string;
  sex: Sex | string;
  contact: { phone: string; email: string; address: string };
  height_cm: number | null;
  weights: Weight[]; // newest first
  allergies: string[];
  emergency_contact: PersonRef;
  escort: PersonRef;
  created_at: string;
  updated_at: string;
}

export interface PatientPage {
  items: Patient[];
  next_cursor: string | null;
}

export interface HistoryEntry {
  version: number;
  changed_at: string;
  changed_by: string;
  reason: string | null;
}

export interface TotpEnrollment {
  secret: string;
  otpauth_uri: string;
}
