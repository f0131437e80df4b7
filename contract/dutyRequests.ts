/** Request bodies and queries of the duty API (/api/duty): one schema per route, types inferred from them. */
import { z } from 'zod';
import { LOG_KINDS } from './duty.ts';
import { int32, plausibleDate, plausibleInstant, plausibleMonth } from './fields.ts';

const dateS = plausibleDate();
const isoS = plausibleInstant();
const phoneS = z.string().trim().max(30).regex(/^[0-9+\-() ]*$/, '电话号码格式不正确');

/** A person on a roster: an account of the unit (its phone by default), or a name and phone without one. */
export const personIn = z.union([
  z.object({ userId: int32().positive(), phone: phoneS.optional() }),
  z.object({ userId: z.null().optional(), name: z.string().trim().min(1).max(50), phone: phoneS.min(3) }),
]);
export type PersonIn = z.infer<typeof personIn>;

export const dutySettingsBody = z.object({ unitCode: z.string().optional(), shiftStarts: z.array(z.string()).min(1).max(6), dutyPhone: phoneS.nullable() });
export const rosterQuery = z.object({ from: dateS, to: dateS });
export const rosterHistoryQuery = z.object({ start: isoS });
export const rosterExportQuery = z.object({ month: plausibleMonth() });

export const rosterSlotBody = z.object({
  unitCode: z.string().optional(),
  start: isoS,
  officers: z.array(personIn).min(1).max(10),
  leader: personIn,
  note: z.string().trim().max(500).default(''),
});
export type RosterSlotBody = z.infer<typeof rosterSlotBody>;

export const rosterFillBody = z.object({
  from: dateS,
  to: dateS,
  officers: z.array(personIn).min(1).max(50),
  leaders: z.array(personIn).min(1).max(20),
  perSlot: z.number().int().min(1).max(10).default(1),
  overwrite: z.boolean().default(false),
  note: z.string().trim().max(500).default(''),
});
export type RosterFillBody = z.infer<typeof rosterFillBody>;

export const swapBody = z.object({
  requestId: z.uuid(),
  unitCode: z.string().optional(),
  kind: z.enum(['swap', 'replace']),
  role: z.enum(['officer', 'leader']).default('officer'),
  slotStart: isoS,
  from: personIn,
  to: personIn,
  otherSlotStart: isoS.nullable().default(null),
  reason: z.string().trim().max(500).default(''),
});
export type SwapBody = z.infer<typeof swapBody>;
export const swapDecisionBody = z.object({ note: z.string().trim().max(500).default('') });

export const handoverBody = z.object({ requestId: z.uuid(), slotStart: isoS, summary: z.string().trim().min(1).max(20000) });
export type HandoverBody = z.infer<typeof handoverBody>;
export const handoverAckBody = z.object({ itemIds: z.array(int32()).max(1000).optional(), all: z.boolean().optional() });

const logFields = {
  kind: z.enum(LOG_KINDS).default('call'),
  callTime: isoS,
  callerUnit: z.string().trim().max(200).default(''),
  callerName: z.string().trim().max(50).default(''),
  callerTitle: z.string().trim().max(50).default(''),
  callerPhone: phoneS.default(''),
  summary: z.string().trim().min(1).max(20000),
  place: z.string().trim().max(300).default(''),
  cause: z.string().trim().max(5000).default(''),
  measures: z.string().trim().max(5000).default(''),
  notified: z.string().trim().max(1000).default(''),
  status: z.enum(['open', 'closed']).default('open'),
};
export const logCreateBody = z.object({ requestId: z.uuid(), ...logFields });
export const logEditBody = z.object({ revision: int32().positive(), ...logFields });
export type LogBodyFields = z.infer<z.ZodObject<typeof logFields>>;
export type LogCreateBody = z.infer<typeof logCreateBody>;
export type LogEditBody = z.infer<typeof logEditBody>;

export const logListQuery = z.object({
  date: dateS.optional(),
  status: z.enum(['open', 'closed']).optional(),
  kind: z.enum(LOG_KINDS).optional(),
  q: z.string().trim().max(100).optional(),
});
export type LogListQuery = z.infer<typeof logListQuery>;
