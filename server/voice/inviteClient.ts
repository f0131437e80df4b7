/**
 * The INVITE client transaction (RFC 3261 §17.1.1) for dial-out: Timer A retransmits over UDP, Timer B gives
 * up when nothing answers; provisional responses go to the TU; a non-2xx final is ACKed here (same branch)
 * and its retransmissions absorbed for Timer D; a 2xx ends the transaction (its ACK is the TU's, and
 * retransmitted 2xx are handed to the TU for 64·T1 so it can ACK them again). CANCEL (§9.1) is sent only once
 * a provisional response came; cancelled before that, it goes out with the first one.
 */
import { header, headers, serialize, type SipRequest, type SipResponse } from './sipMessage.ts';
import { newBranch, type SipServer, type Source } from './sipServer.ts';

export type InviteResult = { status: number; res: SipResponse | null };

export class InviteClient {
  readonly branch = newBranch();
  readonly via: string;
  readonly #timers: ReturnType<typeof setTimeout>[] = [];
  #unwatch: () => void = () => undefined;
  #provisional = false;
  #cancelWanted = false;
  #cancelSent = false;
  #final: ((r: InviteResult) => void) | null = null;

  constructor(
    readonly sip: SipServer,
    /** The INVITE without its Via (added here). */
    readonly req: SipRequest,
    readonly to: Source,
    readonly on: { provisional?: (res: SipResponse) => void; retransmitted2xx?: (res: SipResponse) => void } = {},
  ) {
    this.via = sip.newVia(to, this.branch);
    req.headers.unshift(['Via', this.via]);
  }

  /** Resolves with the first final response, or 408 (res null) when Timer B fires or the transport fails. */
  run(): Promise<InviteResult> {
    const t = this.sip.timers;
    return new Promise((resolve) => {
      this.#final = resolve;
      const wire = serialize(this.req);
      this.#unwatch = this.sip.watch(this.branch, 'INVITE', (res) => this.#onResponse(res));
      this.sip.send(wire, this.to);
      if (this.to.transport === 'UDP') {
        let interval = t.t1;
        const again = () => {
          if (this.#provisional) return; // Proceeding: no more retransmissions
          this.sip.send(wire, this.to);
          interval *= 2;
          this.#timers.push(setTimeout(again, interval));
        };
        this.#timers.push(setTimeout(again, interval)); // Timer A
      }
      this.#timers.push(
        setTimeout(() => {
          if (!this.#provisional) this.#finish({ status: 408, res: null }); // Timer B
        }, 64 * t.t1),
      );
    });
  }

  /** Cancel the attempt (the TU decides: the chair cancelled, nobody answered in time). */
  cancel(): void {
    this.#cancelWanted = true;
    if (this.#provisional) this.#sendCancel();
  }

  get cancelled(): boolean {
    return this.#cancelWanted;
  }

  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#unwatch();
  }

  #onResponse(res: SipResponse): void {
    if (res.status < 200) {
      if (!this.#final) return;
      this.#provisional = true;
      if (this.#cancelWanted) this.#sendCancel();
      this.on.provisional?.(res);
      return;
    }
    if (res.status < 300) {
      if (this.#final) {
        // The transaction ends; the TU ACKs, and keeps hearing retransmissions for 64·T1.
        this.#finish({ status: res.status, res }, false);
        this.#timers.push(setTimeout(() => this.close(), 64 * this.sip.timers.t1));
      } else this.on.retransmitted2xx?.(res);
      return;
    }
    this.#sendAck(res); // and again for every retransmission of the final (Timer D)
    if (this.#final) {
      this.#finish({ status: res.status, res }, false);
      this.#timers.push(setTimeout(() => this.close(), this.to.transport === 'UDP' ? 32_000 : 0));
    }
  }

  #finish(r: InviteResult, closeNow = true): void {
    const done = this.#final;
    this.#final = null;
    for (const t of this.#timers.splice(0)) clearTimeout(t);
    if (closeNow) this.close();
    done?.(r);
  }

  /** The ACK of a non-2xx final (§17.1.1.3): same branch, the response's To. */
  #sendAck(res: SipResponse): void {
    const ack: SipRequest = {
      kind: 'request',
      method: 'ACK',
      uri: this.req.uri,
      headers: [['Via', this.via], ...this.#copy('Route'), ['Max-Forwards', '70'], ['From', header(this.req, 'From')!], ['To', header(res, 'To')!], ['Call-ID', header(this.req, 'Call-ID')!], ['CSeq', `${this.#cseq()} ACK`]],
      body: '',
    };
    this.sip.send(serialize(ack), this.to);
  }

  #sendCancel(): void {
    if (this.#cancelSent) return;
    this.#cancelSent = true;
    const cancel: SipRequest = {
      kind: 'request',
      method: 'CANCEL',
      uri: this.req.uri,
      headers: [...this.#copy('Route'), ['Max-Forwards', '70'], ['From', header(this.req, 'From')!], ['To', header(this.req, 'To')!], ['Call-ID', header(this.req, 'Call-ID')!], ['CSeq', `${this.#cseq()} CANCEL`]],
      body: '',
    };
    void this.sip.request(cancel, this.to, this.via); // same branch as the INVITE (§9.1); its 200 changes nothing
  }

  #cseq(): number {
    return Number(header(this.req, 'CSeq')!.split(/\s+/)[0]);
  }

  #copy(name: string): [string, string][] {
    return headers(this.req, name).map((v): [string, string] => [name, v]);
  }
}
