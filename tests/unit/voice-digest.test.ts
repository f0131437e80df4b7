/** Digest authentication (RFC 2617 / 7616 / 8760) against the RFCs' own examples, the nonce book, and the registrar. */
import { describe, expect, it } from 'vitest';
import { authorize, digestResponse, ha1Of, NonceBook, parseChallenge, parseDigestHeader, type DigestAlgorithm } from '../../server/voice/digest.ts';
import { Registrar } from '../../server/voice/registrar.ts';
import { parseSip, type SipRequest } from '../../server/voice/sipMessage.ts';

describe('digest computation: RFC test vectors', () => {
  const rfc7616 = {
    user: 'Mufasa', realm: 'http-auth@example.org', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ', nc: '00000001',
  };
  it.each<[string, DigestAlgorithm, typeof rfc7616, string]>([
    ['RFC 2617 §3.5 (MD5, qop=auth)', 'MD5', { ...rfc7616, realm: 'testrealm@host.com', password: 'Circle Of Life', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', cnonce: '0a4f113b' }, '6629fae49393a05397450978507c4ef1'],
    ['RFC 7616 §3.9.1 (MD5)', 'MD5', rfc7616, '8ca523f5e9506fed4657c9700eebdbec'],
    ['RFC 7616 §3.9.1 (SHA-256)', 'SHA-256', rfc7616, '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ])('%s', (_name, algorithm, v, expected) => {
    const ha1 = ha1Of(algorithm, v.user, v.realm, v.password);
    expect(digestResponse({ algorithm, ha1, method: v.method, uri: v.uri, nonce: v.nonce, qop: 'auth', cnonce: v.cnonce, nc: v.nc })).toBe(expected);
  });

  it('RFC 2069 form (no qop) for challenges that name none', () => {
    // H(H(A1):nonce:H(A2)) with the RFC 2617 example's inputs (value computed independently with Python's hashlib).
    const ha1 = ha1Of('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    expect(digestResponse({ algorithm: 'MD5', ha1, method: 'GET', uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093' })).toBe('670fd8c2df070c60b045671b8b24ff02');
  });

  it('parses challenges with quoted commas and escapes; refuses what it cannot answer', () => {
    expect(parseDigestHeader('Digest realm="a, b", nonce="x\\"y", qop="auth,auth-int", algorithm=SHA-256')).toEqual({ realm: 'a, b', nonce: 'x"y', qop: 'auth,auth-int', algorithm: 'SHA-256' });
    expect(parseChallenge('Digest realm="r", nonce="n", qop="auth-int"')).toBeNull();
    expect(parseChallenge('Digest realm="r", nonce="n", algorithm=SHA-512-256')).toBeNull();
    expect(parseChallenge('Basic realm="r"')).toBeNull();
    expect(parseChallenge('Digest realm="r", nonce="n", stale=TRUE')).toMatchObject({ algorithm: 'MD5', qop: null, stale: true });
  });
});

describe('NonceBook (our challenges)', () => {
  const cred = { user: '04715550102', password: 'duty-line-secret' };
  const setup = (algorithms?: DigestAlgorithm[]) => {
    let now = Date.UTC(2031, 11, 31, 16, 0); // 2032-01-01 00:00 in UTC+8
    const book = new NonceBook('threelevel', 5 * 60_000, () => now, algorithms);
    const ha1For = (user: string, alg: DigestAlgorithm) => (user === cred.user ? ha1Of(alg, user, 'threelevel', cred.password) : null);
    return { book, ha1For, tick: (ms: number) => (now += ms) };
  };

  it.each<DigestAlgorithm>(['SHA-256', 'MD5'])('accepts a right %s answer once; the same nc again is a replay', (alg) => {
    const { book, ha1For } = setup();
    const ch = book.challenges().map(parseChallenge).find((c) => c?.algorithm === alg)!;
    const auth = authorize(ch, cred, 'REGISTER', 'sip:127.0.0.1', 1);
    expect(book.verify(auth, 'REGISTER', ha1For)).toEqual({ result: 'ok', user: cred.user });
    expect(book.verify(auth, 'REGISTER', ha1For).result).toBe('bad'); // replayed
    expect(book.verify(authorize(ch, cred, 'REGISTER', 'sip:127.0.0.1', 2), 'REGISTER', ha1For).result).toBe('ok'); // nc grows
  });

  it('refuses a wrong password, another method, a forged nonce and an unknown user; an expired nonce is stale', () => {
    const { book, ha1For, tick } = setup();
    const ch = parseChallenge(book.challenges()[0])!;
    expect(ch.algorithm).toBe('SHA-256'); // preferred first (RFC 8760)
    expect(book.verify(authorize(ch, { ...cred, password: 'wrong-password' }, 'INVITE', 'sip:8000@h'), 'INVITE', ha1For).result).toBe('bad');
    expect(book.verify(authorize(ch, cred, 'INVITE', 'sip:8000@h'), 'BYE', ha1For).result).toBe('bad');
    expect(book.verify(authorize(ch, cred, 'INVITE', 'sip:8000@h'), 'INVITE', ha1For, 'sip:100001@h').result).toBe('bad'); // another request-URI
    expect(book.verify(authorize({ ...ch, nonce: `${ch.nonce.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA` }, cred, 'INVITE', 'sip:8000@h'), 'INVITE', ha1For).result).toBe('bad');
    expect(book.verify(authorize(ch, { ...cred, user: '999' }, 'INVITE', 'sip:8000@h'), 'INVITE', ha1For).result).toBe('bad');
    tick(5 * 60_000 + 1);
    expect(book.verify(authorize(ch, cred, 'INVITE', 'sip:8000@h'), 'INVITE', ha1For).result).toBe('stale');
    const again = parseChallenge(book.challenges(true)[0])!;
    expect(again.stale).toBe(true);
    expect(book.verify(authorize(again, cred, 'INVITE', 'sip:8000@h'), 'INVITE', ha1For).result).toBe('ok');
  });

  it('a nonce from another server instance (another secret) is refused', () => {
    const a = setup();
    const b = setup();
    const ch = parseChallenge(a.book.challenges()[0])!;
    expect(b.book.verify(authorize(ch, cred, 'INVITE', 'sip:x@h'), 'INVITE', b.ha1For).result).toBe('bad');
  });

  it('MD5 only when configured so (old phones)', () => {
    const { book } = setup(['MD5']);
    expect(book.challenges().map((c) => parseChallenge(c)?.algorithm)).toEqual(['MD5']);
  });
});

describe('Registrar', () => {
  const src = { transport: 'UDP' as const, address: '127.0.0.1', port: 5099 };
  const reg = (opts: { contacts?: string[]; expires?: string; callId?: string; cseq?: number }): SipRequest => {
    const lines = [
      'REGISTER sip:127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKr1',
      'From: <sip:04715550102@127.0.0.1>;tag=a',
      'To: <sip:04715550102@127.0.0.1>',
      `Call-ID: ${opts.callId ?? 'reg-1'}`,
      `CSeq: ${opts.cseq ?? 1} REGISTER`,
      ...(opts.contacts ?? []).map((c) => `Contact: ${c}`),
      ...(opts.expires !== undefined ? [`Expires: ${opts.expires}`] : []),
      'Content-Length: 0',
    ];
    return parseSip(`${lines.join('\r\n')}\r\n\r\n`) as SipRequest;
  };

  it('binds with expiry, refreshes, expires, and unregisters one contact or all with *', () => {
    let now = Date.UTC(2032, 1, 29, 4, 0);
    const r = new Registrar(undefined, () => now);
    const n = '04715550102';
    expect(r.register(n, reg({ contacts: ['<sip:04715550102@10.0.0.7:5062>'], expires: '120' }), src)).toMatchObject({ status: 200, bindings: [{ uri: 'sip:04715550102@10.0.0.7:5062' }] });
    expect(r.contactHeaders(r.bindings(n))).toEqual([['Contact', '<sip:04715550102@10.0.0.7:5062>;expires=120']]);
    now += 100_000;
    r.register(n, reg({ contacts: ['<sip:04715550102@10.0.0.7:5062>;expires=300'], cseq: 2 }), src); // refresh (contact param wins)
    now += 100_000;
    expect(r.bindings(n)).toHaveLength(1); // 200 s after the first, alive thanks to the refresh
    now += 201_000;
    expect(r.bindings(n)).toHaveLength(0); // 301 s after the refresh: gone
    r.register(n, reg({ contacts: ['<sip:a@10.0.0.7>', '<sip:b@10.0.0.8>'], cseq: 3 }), src);
    expect(r.bindings(n)).toHaveLength(2);
    r.register(n, reg({ contacts: ['<sip:a@10.0.0.7>'], expires: '0', cseq: 4 }), src);
    expect(r.bindings(n).map((b) => b.uri)).toEqual(['sip:b@10.0.0.8']);
    expect(r.register(n, reg({ contacts: ['*'], expires: '0', cseq: 5 }), src)).toEqual({ status: 200, bindings: [] });
    expect(r.size).toBe(0);
  });

  it.each<[string, Parameters<typeof reg>[0], number]>([
    ['too short an interval → 423 Min-Expires', { contacts: ['<sip:a@h>'], expires: '30' }, 423],
    ['* without Expires: 0', { contacts: ['*'] }, 400],
    ['* with another contact', { contacts: ['*', '<sip:a@h>'], expires: '0' }, 400],
    ['a bad Expires', { contacts: ['<sip:a@h>'], expires: 'soon' }, 400],
    ['a contact that is not a SIP URI', { contacts: ['<mailto:a@h>'] }, 400],
  ])('%s', (_name, opts, status) => {
    expect(new Registrar().register('04715550102', reg(opts), src).status).toBe(status);
  });

  it('bounds bindings per number; an old CSeq of the same Call-ID changes nothing', () => {
    const r = new Registrar();
    const n = '04715550102';
    r.register(n, reg({ contacts: ['<sip:a@h>', '<sip:b@h>', '<sip:c@h>'] }), src);
    expect(r.register(n, reg({ contacts: ['<sip:d@h>'], cseq: 2 }), src).status).toBe(403);
    r.register(n, reg({ contacts: ['<sip:a@h>'], expires: '0', cseq: 1 }), src); // CSeq not higher: ignored
    expect(r.bindings(n)).toHaveLength(3);
  });
});
