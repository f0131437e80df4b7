import type { Peer } from '../../sfu/Peer.ts';
import type { SiteHealth } from '../../contract/meetings.ts';

/** One site's health from mediasoup's own transport and producer stats (what the SFU sees). */
export async function siteHealth(peer: Peer): Promise<SiteHealth> {
  let sendKbps = 0;
  let recvKbps = 0;
  let rttMs: number | null = null;
  let connected = peer.transports.size > 0;
  for (const t of peer.transports.values()) {
    if (t.iceState !== 'connected' && t.iceState !== 'completed') connected = false;
    if (t.dtlsState !== 'connected') connected = false;
    const [st] = await t.getStats().catch(() => []);
    if (!st) continue;
    // recvBitrate: what the SFU receives from the site (its upload); sendBitrate: what it sends down.
    sendKbps += Math.round((st.recvBitrate ?? 0) / 1000);
    recvKbps += Math.round((st.sendBitrate ?? 0) / 1000);
  }
  let score: number | null = null;
  let loss = 0;
  let resolution: string | null = null;
  for (const pr of peer.producers.values()) {
    if (pr.kind !== 'video' || pr.closed) continue;
    // Simulcast: the best stream's score (layers the browser chose not to send score 0 and mean nothing).
    const best = pr.score.length ? Math.max(...pr.score.map((s) => s.score)) : null;
    if (best !== null) score = score === null ? best : Math.min(score, best);
    const stats = await pr.getStats().catch(() => []);
    for (const s of stats) {
      const lost = s.packetsLost ?? 0;
      const total = (s.packetCount ?? 0) + lost;
      if (total > 0) loss = Math.max(loss, lost / total);
      if (s.roundTripTime !== undefined) rttMs = Math.max(rttMs ?? 0, Math.round(s.roundTripTime));
    }
  }
  const own = peer.clientStats && Date.now() - peer.clientStats.at < 15_000 ? peer.clientStats : null;
  if (own) {
    if (own.height) resolution = `${own.width}×${own.height}@${Math.round(own.fps)}`;
    if (rttMs === null && own.rttMs !== null) rttMs = Math.round(own.rttMs);
  }
  const trouble = !connected || (score !== null && score < 5) || loss > 0.05 || (rttMs !== null && rttMs > 400);
  return { peerId: peer.id, unitCode: peer.info.unitCode, unitName: peer.info.unitName, connected, sendKbps, recvKbps, loss, rttMs, score, resolution, trouble };
}
