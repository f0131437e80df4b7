/**
 * Wire types of voice access (语音接入) beyond dial-in: the chair's dial-out (呼叫会场) socket events and
 * their state pushes, and the system administrator's registered phones of units (route /api/admin/voice-phones).
 */
import { z } from 'zod';
import { unitCode } from './fields.ts';

/** A dialable number: digits, a leading +, * and # (what trunks and desk phones accept). */
export const phoneNumber = () => z.string().trim().regex(/^[0-9+*#]{3,32}$/);

export const voiceSchemas = {
  /** Call a site into the meeting: the unit's registered phone, or `number` through the trunk (joining as `unitCode`). */
  dial: z.object({ unitCode: unitCode(), number: phoneNumber().optional() }),
  /** Cancel a call still ringing, or hang up a dialled one. */
  hangup: z.object({ callId: z.string().min(1).max(200) }),
};

export const DIAL_STATES = ['ringing', 'joined', 'busy', 'noAnswer', 'failed', 'cancelled', 'ended'] as const;
export type DialState = (typeof DIAL_STATES)[number];

/** voice:dial push, to the meeting's sites: a dialled site's progress. */
export interface DialPush {
  meetingId: string;
  callId: string;
  unitCode: string;
  unitName: string;
  number: string;
  state: DialState;
  /** The SIP status of a failure (486, 408, 603 …), for the log and the tooltip. */
  status?: number;
}

/** A unit's registered phone (its duty line) as the system administrator sees it: never the password. */
export interface VoicePhoneDto {
  number: string;
  unitCode: string;
  unitName: string;
  enabled: boolean;
  /** A digest password is set (REGISTER and INVITEs from this number are challenged). */
  hasPassword: boolean;
  /** Where it is registered now (REGISTER), if it is. */
  registeredUntil: string | null;
}

export const voicePhoneCreate = z.object({
  number: phoneNumber(),
  unitCode: unitCode(),
  /** Set once; stored only as digest HA1 hashes, never shown again. */
  password: z.string().min(8).max(64).optional(),
  enabled: z.boolean().default(true),
});
export const voicePhoneUpdate = z.object({
  unitCode: unitCode().optional(),
  enabled: z.boolean().optional(),
  password: z.string().min(8).max(64).optional(),
}).refine((b) => Object.keys(b).length > 0, { message: 'empty update' });
