/**
 * Units' registered phones (单位登记电话), managed by the system administrator only: which unit a number
 * belongs to, whether it is enabled, and its digest password — set (or reset) and then never shown again:
 * only the HA1 hashes for MD5 and SHA-256 are kept, for the realm phones authenticate in.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { VoicePhoneDto } from '../../contract/voice.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { hasAnyRole } from '../auth/sessions.ts';
import { ApiError, errors } from '../http/errors.ts';
import type { OrgTree } from '../org/tree.ts';
import { ha1Of } from './digest.ts';
import { insertPhone, listPhones, phoneRecord, setPhoneDigest, updatePhone } from './voiceRepo.ts';

export interface PhonesDeps {
  db: Kysely<Database>;
  tree: OrgTree;
  realm: string;
  /** Until when a number is registered now (the running voice service's registrar), if it is. */
  registeredUntil: (number: string) => Date | null;
}

const needAdmin = (user: SessionUser) => {
  if (!hasAnyRole(user, ['sys_admin'])) throw errors.roleForbidden();
};

const digestOf = (realm: string, number: string, password: string) => ({ realm, md5: ha1Of('MD5', number, realm, password), sha256: ha1Of('SHA-256', number, realm, password) });

export function phonesService(deps: PhonesDeps) {
  const unitName = (code: string) => deps.tree.get(code)?.name ?? code;
  const dto = (r: { number: string; unitCode: string; enabled: boolean; hasPassword: boolean }): VoicePhoneDto => ({
    ...r,
    unitName: unitName(r.unitCode),
    registeredUntil: deps.registeredUntil(r.number)?.toISOString() ?? null,
  });
  const knownUnit = (code: string) => {
    if (!deps.tree.get(code)) throw new ApiError(400, 'UNIT_UNKNOWN', '单位不存在');
  };

  return {
    async list(user: SessionUser): Promise<VoicePhoneDto[]> {
      needAdmin(user);
      return (await listPhones(deps.db)).map(dto);
    },

    async create(user: SessionUser, body: { number: string; unitCode: string; password?: string; enabled: boolean }): Promise<VoicePhoneDto> {
      needAdmin(user);
      knownUnit(body.unitCode);
      if (await phoneRecord(deps.db, body.number)) throw new ApiError(409, 'VOICE_PHONE_EXISTS', '该号码已登记');
      await insertPhone(deps.db, { number: body.number, unitCode: body.unitCode, enabled: body.enabled, digest: body.password ? digestOf(deps.realm, body.number, body.password) : null });
      return dto({ number: body.number, unitCode: body.unitCode, enabled: body.enabled, hasPassword: !!body.password });
    },

    async update(user: SessionUser, number: string, body: { unitCode?: string; enabled?: boolean; password?: string }): Promise<VoicePhoneDto> {
      needAdmin(user);
      const rec = await phoneRecord(deps.db, number);
      if (!rec) throw errors.notFound('登记电话');
      if (body.unitCode) knownUnit(body.unitCode);
      await deps.db.transaction().execute(async (trx) => {
        await updatePhone(trx, number, { unitCode: body.unitCode, enabled: body.enabled });
        if (body.password) await setPhoneDigest(trx, number, digestOf(deps.realm, number, body.password));
      });
      return dto({ number, unitCode: body.unitCode ?? rec.unitCode, enabled: body.enabled ?? rec.enabled, hasPassword: !!body.password || !!rec.ha1 });
    },
  };
}
