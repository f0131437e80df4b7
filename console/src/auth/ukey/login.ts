/** The UKey part of a sign-in: the server's nonce, signed by the key through its vendor's middleware. */
import type { UkeyChallenge, UkeyProof } from '../../../../contract/certificates';
import { api } from '../../shared/api';
import { AppError } from '../../shared/errors';
import { adapterFor, UkeyUnavailable } from './adapters';

export async function ukeyProof(): Promise<UkeyProof> {
  const challenge = await api.post<UkeyChallenge>('/api/auth/ukey/challenge');
  const adapter = adapterFor(challenge.middleware.kind, challenge.middleware.url);
  try {
    const certificate = await adapter.certificate();
    const signature = await adapter.sign(challenge.nonce);
    return { nonce: challenge.nonce, certificate, signature };
  } catch (e) {
    if (e instanceof UkeyUnavailable) throw new AppError('UKEY_UNAVAILABLE', '', { reason: e.message });
    throw e;
  }
}
