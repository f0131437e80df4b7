/** Wire types, mirroring docs/API.md. Keep in sync with the server contract. */

export type Role = 'duty_officer' | 'leader' | 'venue_operator' | 'admin' | 'info_officer' | 'editor';
export type UnitLevel = 1 | 2 | 3;

export interface User {
  id: string;
  username: string;
  displayName: string;
  unitCode: string;
  unitName: string;
  unitLevel: UnitLevel;
  /** Set for an office's department (submits information to it; no division of its own). */
  unitKind?: 'department';
  roles: Role[];
}

export interface Unit {
  code: string;
  name: string;
  nameEn: string;
  level: UnitLevel;
  parentCode: string | null;
  children: Unit[];
}

export type Scope =
  | { kind: 'region' }
  | { kind: 'cityWithCounties'; cityCode: string }
  | { kind: 'level'; level: 2 | 3 }
  | { kind: 'units'; unitCodes: string[] };

export type ScopeKind = Scope['kind'];

export interface Meeting {
  id: string;
  title: string;
  hostUnitCode: string;
  hostUnitName: string;
  startsAt: string;
  durationMin: number;
  status: 'scheduled' | 'live' | 'ended';
  units: { code: string; name: string; role: 'main' | 'sub' }[];
  createdAt: string;
}

export interface NewMeeting {
  title: string;
  startsAt?: string;
  durationMin?: number;
  scope: Scope;
}

export type Grade = 1 | 2 | 3 | 4;

export interface Report {
  id: string;
  unitCode: string;
  unitName: string;
  title: string;
  eventTime: string;
  place: string;
  grade: Grade;
  summary: string;
  createdBy: string;
  createdByName: string;
  createdAt: string;
}

export interface NewReport {
  requestId: string;
  title: string;
  eventTime: string;
  place: string;
  grade: Grade;
  summary: string;
}

export interface PeerInfo {
  peerId: string;
  userId: string;
  displayName: string;
  unitCode: string;
  unitName: string;
}

export interface ProducerInfo {
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  unitCode: string;
  unitName: string;
}
