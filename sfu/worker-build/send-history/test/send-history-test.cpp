// Differential test of recipe r9's SendTimeHistory (send-history/send_time_history.cc) against mediasoup 3.19.3's
// original: the same driver is built once with each, runs the same seeded sequences of what
// TransportFeedbackAdapter does (add, sent, feedback with losses, retransmissions, reordering, age-out, sequence
// wrap, gaps, bursts longer than the ring) and prints a digest of every value the class returned. ensure-worker.sh
// builds both and fails unless the digests are equal; `trace` as the second argument prints each value instead.
#include "modules/congestion_controller/rtp/send_time_history.h"
#include "modules/rtp_rtcp/include/rtp_rtcp_defines.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using webrtc::PacedPacketInfo;
using webrtc::PacketFeedback;
using webrtc::SendTimeHistory;

namespace {
uint64_t rng = 1;
uint64_t Next() {  // xorshift64*
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ULL;
}
uint64_t Below(uint64_t n) { return Next() % n; }
bool Chance(unsigned percent) { return Below(100) < percent; }

uint64_t digest = 1469598103934665603ULL;  // FNV-1a
bool trace = false;
uint64_t values = 0;
void Out(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void Out(const char* fmt, ...) {
  char line[512];
  va_list args;
  va_start(args, fmt);
  int n = std::vsnprintf(line, sizeof(line), fmt, args);
  va_end(args);
  for (int i = 0; i < n; ++i) {
    digest ^= static_cast<unsigned char>(line[i]);
    digest *= 1099511628211ULL;
  }
  ++values;
  if (trace)
    std::fputs(line, stdout);
}
void OutPacket(const char* what, const PacketFeedback& p) {
  Out("%s %" PRId64 " %" PRId64 " %" PRId64 " %u %" PRId64 " %zu %zu %u %u %d\n", what, p.creation_time_ms,
      p.arrival_time_ms, p.send_time_ms, p.sequence_number, p.long_sequence_number, p.payload_size,
      p.unacknowledged_data, p.local_net_id, p.remote_net_id, p.pacing_info.probe_cluster_id);
}

struct Regime {
  unsigned loss;           // % of packets the feedback reports lost
  unsigned feedbackLoss;   // % of feedback packets that never arrive
  unsigned sentSkip;       // % of packets never reported sent
  unsigned weird;          // % of steps doing something unusual
  unsigned burst;          // max packets added before they are sent
  int64_t ageLimitMs;
};

void Run(const Regime& r, unsigned steps) {
  SendTimeHistory h(r.ageLimitMs);
  int64_t now = 1000 + static_cast<int64_t>(Below(100000));
  uint16_t nextSeq = static_cast<uint16_t>(65536 - 1 - Below(3000));  // wraps early
  uint16_t feedbackBase = nextSeq;
  std::vector<uint16_t> unsent;

  for (unsigned step = 0; step < steps; ++step) {
    now += static_cast<int64_t>(Below(4));
    // A burst of packets is created (RemoveOld then AddNewPacket, as TransportFeedbackAdapter::AddPacket does).
    const unsigned count = 1 + static_cast<unsigned>(Below(r.burst));
    for (unsigned i = 0; i < count; ++i) {
      PacedPacketInfo pacing;
      if (Chance(5))
        pacing.probe_cluster_id = static_cast<int>(Below(20));
      const uint16_t local = Chance(3) ? 1 : 0;
      PacketFeedback p(now, nextSeq, 50 + Below(1200), local, 0, pacing);
      if (Chance(2))
        p.send_time_ms = now;  // added already sent
      if (Chance(1))
        p.payload_size = 0;
      h.RemoveOld(now);
      h.AddNewPacket(p);
      unsent.push_back(nextSeq);
      ++nextSeq;
    }
    // They are sent (ProcessSentPacket: OnSentPacket, GetPacket, GetOutstandingData).
    for (uint16_t seq : unsent) {
      if (Chance(r.sentSkip))
        continue;
      if (Chance(3))
        h.AddUntracked(20 + Below(200), now - static_cast<int64_t>(Below(3)));
      auto status = h.OnSentPacket(seq, now);
      Out("S %u %d\n", seq, static_cast<int>(status));
      if (status != SendTimeHistory::Status::kDuplicate) {
        auto p = h.GetPacket(seq);
        if (p)
          OutPacket("P", *p);
        else
          Out("P none\n");
      }
      Out("O %" PRId64 "\n", h.GetOutstandingData(0, 0).bytes());
    }
    unsent.clear();
    // Feedback now and then for everything since the last one (GetPacketFeedbackVector: lost ones stay).
    if (Chance(30)) {
      if (!Chance(r.feedbackLoss)) {
        for (uint16_t seq = feedbackBase; seq != nextSeq; ++seq) {
          const bool received = !Chance(r.loss);
          PacketFeedback fb(received ? now - 10 : PacketFeedback::kNotReceived, seq);
          const bool found = h.GetFeedback(&fb, received);
          Out("F %d %d\n", found, received);
          if (found)
            OutPacket("f", fb);
        }
        auto first = h.GetFirstUnackedSendTime();
        Out("U %" PRId64 " %" PRId64 " %" PRId64 "\n", first ? *first : -2, h.GetOutstandingData(0, 0).bytes(),
            h.GetOutstandingData(1, 0).bytes());
      }
      feedbackBase = nextSeq;
    }
    if (!Chance(r.weird))
      continue;
    switch (Below(9)) {
      case 0: {  // a retransmission of a recent packet
        const uint16_t seq = static_cast<uint16_t>(nextSeq - 1 - Below(600));
        Out("R %d\n", static_cast<int>(h.OnSentPacket(seq, now)));
        break;
      }
      case 1: {  // a feedback packet arriving late, for old sequence numbers
        const uint16_t base = static_cast<uint16_t>(nextSeq - 1 - Below(2000));
        for (unsigned i = 0; i < 1 + Below(30); ++i) {
          PacketFeedback fb(now - 50, static_cast<uint16_t>(base + i));
          const bool found = h.GetFeedback(&fb, Chance(50));
          Out("L %d\n", found);
          if (found)
            OutPacket("l", fb);
        }
        break;
      }
      case 2: {  // a duplicate or an out-of-order add behind the newest
        PacketFeedback p(now, static_cast<uint16_t>(nextSeq - 1 - Below(1500)), 300, 0, 0, PacedPacketInfo());
        h.RemoveOld(now);
        h.AddNewPacket(p);
        break;
      }
      case 3:  // a long pause: everything ages out
        now += r.ageLimitMs + static_cast<int64_t>(Below(2000));
        h.RemoveOld(now);
        break;
      case 4:  // a gap in the sequence numbers (larger than the ring, less than half the 16-bit space)
        nextSeq = static_cast<uint16_t>(nextSeq + 1 + Below(Chance(50) ? 600 : 20000));
        break;
      case 5: {  // a lookup of anything
        auto p = h.GetPacket(static_cast<uint16_t>(Next()));
        Out("G %d\n", p ? 1 : 0);
        if (p)
          OutPacket("g", *p);
        break;
      }
      case 6: {  // a burst longer than the ring, never acknowledged
        for (unsigned i = 0; i < 400 + Below(1200); ++i) {
          PacketFeedback p(now, nextSeq++, 1000, 0, 0, PacedPacketInfo());
          h.RemoveOld(now);
          h.AddNewPacket(p);
          if (Chance(80))
            Out("S %d\n", static_cast<int>(h.OnSentPacket(static_cast<uint16_t>(nextSeq - 1), now)));
        }
        feedbackBase = nextSeq;
        break;
      }
      case 7:  // time moves on by a second
        now += 1000;
        break;
      default: {  // the first unacked send time and the bytes in flight
        auto first = h.GetFirstUnackedSendTime();
        Out("U %" PRId64 " %" PRId64 "\n", first ? *first : -2, h.GetOutstandingData(0, 0).bytes());
      }
    }
  }
  auto first = h.GetFirstUnackedSendTime();
  Out("END %" PRId64 " %" PRId64 "\n", first ? *first : -2, h.GetOutstandingData(0, 0).bytes());
}
}  // namespace

int main(int argc, char** argv) {
  const unsigned steps = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1])) : 3000;
  trace = argc > 2 && std::strcmp(argv[2], "trace") == 0;
  const Regime regimes[] = {
    {0, 0, 0, 0, 4, 60000},      // a clean link
    {5, 2, 1, 2, 8, 60000},      // some loss
    {40, 20, 5, 10, 30, 60000},  // a bad link, bursts
    {2, 0, 0, 20, 64, 2000},     // short history limit, many unusual steps
    {0, 90, 0, 5, 16, 60000},    // feedback mostly lost: the ring fills and spills
  };
  for (unsigned seed = 1; seed <= 8; ++seed) {
    for (const Regime& r : regimes) {
      rng = 0x9E3779B97F4A7C15ULL * seed + r.loss * 131 + r.weird;
      Run(r, steps);
    }
  }
  std::printf("digest %016" PRIx64 " over %" PRIu64 " values\n", digest, values);
  return 0;
}
