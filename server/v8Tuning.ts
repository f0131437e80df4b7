/**
 * Two V8 heap settings for a server whose allocations die with their request, set before it allocates under load.
 * Measured with the duty API at 500 req/s on 2 cores (duty-load in `npm run bench`, 20 s runs, 2026-12-02).
 *
 * - **Allocation-site pretenuring off.** In some runs V8 decided that an allocation site in pg's row parsing
 *   makes long-lived objects, and allocated it in the old generation directly. Every row, string and Date that
 *   such an object pointed to then survived young-generation collections, because an old object pointed to it,
 *   although all of it died with its request. In those runs about 350 MB was promoted in 20 s; with pretenuring
 *   off, 28 MB. Nothing here is long-lived enough to win from pretenuring.
 * - **The old generation may grow to 3 × what the last full collection left live** (V8 picks 1.1–4 × by its
 *   own estimate, and here picked little): with ~75 MB live that meant a full collection every 1–3 s, 6–11 per
 *   run, each pausing the event loop 5–26 ms. At 75 % use of the event loop a pause becomes a queue, and the
 *   slowest 1 % of requests were those queued behind one. With 3 ×: 1–2 per run. In two interleaved pairs on
 *   the same machine minutes apart, p99 was 34 and 66 ms against 150 and 173 ms. The cost is memory, up to
 *   about 225 MB of heap instead of about 100 MB.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--no-allocation-site-pretenuring');
v8.setFlagsFromString('--heap-growing-percent=200');
