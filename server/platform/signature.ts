/** HMAC-SHA256 of the raw body with the shared key: header `X-Signature: sha256=<hex>`. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-signature';

export const sign = (key: string, body: Buffer | string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

export function verify(key: string, body: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const want = Buffer.from(sign(key, body));
  const got = Buffer.from(header.trim());
  return want.length === got.length && timingSafeEqual(want, got);
}
