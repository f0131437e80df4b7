// Differential test of recipe r10's RateCalculator (rate-counter/RateCalculator.{hpp,cpp}) against mediasoup
// 3.19.3's original. The same driver is built once with each and
//  1. runs the table cases of mediasoup's own test/src/RTC/TestRateCalculator.cpp (Catch2 is not on this machine)
//     and fails on any rate other than the one expected there;
//  2. runs seeded sequences of Update / GetRate / GetBytes / Reset over windows and item counts from 1 to 1,000
//     items: steady streams, bursts in one millisecond, gaps around the item size and the window, idle for whole
//     windows, time near 2^64 (the calculator compares times modulo 2^64), the odd earlier time (ignored, "should
//     never happen") and GetRate at other times than Update's, as mediasoup's own test does;
//  3. prints a digest of every value returned. ensure-worker.sh fails unless both builds print the same digest.
// `trace` as the first argument prints each value instead.
#include "RTC/RateCalculator.hpp"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

using RTC::RateCalculator;

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
  char line[256];
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

int failures = 0;

// 1. mediasoup's own cases: validate() as in TestRateCalculator.cpp.
struct Step {
  int64_t offset;
  uint32_t size;
  uint32_t rate;
};
void Validate(const char* name, RateCalculator& rate, uint64_t timeBase, const std::vector<Step>& input) {
  const uint64_t bases[3] = {timeBase, 0, std::numeric_limits<uint64_t>::max() - 100};
  for (int pass = 0; pass < 3; ++pass) {
    if (pass > 0)
      rate.Reset();
    for (const auto& item : input) {
      rate.Update(item.size, timeBase + item.offset);
      uint32_t got = rate.GetRate(bases[pass] + item.offset);
      Out("case %s %d %" PRId64 " %u\n", name, pass, item.offset, got);
      if (got != item.rate) {
        std::fprintf(stderr, "case %s pass %d offset %" PRId64 ": rate %u, expected %u\n", name, pass, item.offset, got,
                     item.rate);
        ++failures;
      }
    }
  }
}
void Expect(const char* name, uint32_t got, uint32_t expected) {
  Out("case %s end %u\n", name, got);
  if (got != expected) {
    std::fprintf(stderr, "case %s: final rate %u, expected %u\n", name, got, expected);
    ++failures;
  }
}
void MediasoupCases(uint64_t nowMs) {
  {
    RateCalculator rate;
    Validate("single", rate, nowMs, {{0, 5, 40}});
  }
  {
    RateCalculator rate;
    Validate("multiple", rate, nowMs, {{0, 5, 40}, {100, 2, 56}, {300, 2, 72}, {999, 4, 104}});
  }
  {
    RateCalculator rate(1000, 8000, 100);
    Validate("every1000", rate, nowMs, {{0, 5, 40}, {1000, 5, 40}, {2000, 5, 40}});
  }
  {
    RateCalculator rate(1000, 8000, 1000);
    Validate("slide", rate, nowMs, {{0, 5, 40}, {999, 2, 56}, {1001, 1, 24}, {1001, 1, 32}, {2000, 1, 24}});
    Expect("slide", rate.GetRate(nowMs + 3001), 0);
  }
  {
    RateCalculator rate(1000, 8000, 100);
    Validate("slide100", rate, nowMs, {{0, 5, 40}, {999, 2, 56}, {1001, 1, 24}, {1001, 1, 32}, {2000, 1, 8}});
    Expect("slide100", rate.GetRate(nowMs + 3001), 0);
  }
  {
    RateCalculator rate(1000, 8000, 5);
    Validate("wrap", rate, nowMs,
             {{1000, 1, 8}, {1200, 1, 16}, {1400, 1, 24}, {1600, 1, 32}, {1800, 1, 40}, {2000, 1, 40},
              {2200, 1, 40}, {2400, 1, 40}, {2600, 1, 40}, {2800, 1, 40}});
  }
  {
    RateCalculator rate(1000, 8000, 3);
    Validate("overflow", rate, nowMs, {{0, 1, 8}, {333, 1, 16}, {666, 1, 24}, {999, 1, 32}});
  }
}

// 2. Seeded sequences.
struct Shape {
  size_t windowMs;
  uint16_t items;
  float scale;
};
const Shape kShapes[] = {
    {2500, 100, 8000.0f},  // RtpDataCounter (streams, transports)
    {1000, 100, 8000.0f},  // RateCalculator's default (transport totals, sender estimator)
    {1000, 1000, 8000.0f}, {1000, 5, 8000.0f}, {1000, 3, 8000.0f}, {1000, 1, 8000.0f},
    {100, 100, 1000.0f},   {5000, 7, 8000.0f}, {10, 100, 8000.0f}, {2500, 64, 1.0f},
};

void Sequence(unsigned run) {
  const Shape& shape = kShapes[Below(sizeof(kShapes) / sizeof(kShapes[0]))];
  RateCalculator rate(shape.windowMs, shape.scale, shape.items);
  const uint64_t itemMs = std::max<uint64_t>(shape.windowMs / shape.items, 1);
  uint64_t now;
  switch (Below(4)) {
    case 0: now = std::numeric_limits<uint64_t>::max() - Below(3 * shape.windowMs + 10); break;  // wraps soon
    case 1: now = Below(shape.windowMs + 5); break;  // near 0: now - window wraps below 0
    default: now = 1000000 + Below(1ULL << 40); break;
  }
  const unsigned steps = 200 + static_cast<unsigned>(Below(3000));
  const unsigned burst = 1 + static_cast<unsigned>(Below(8));
  Out("run %u window %zu items %u scale %g start %" PRIu64 "\n", run, shape.windowMs, shape.items,
      static_cast<double>(shape.scale), now);
  for (unsigned step = 0; step < steps; ++step) {
    // Time moves on: mostly a few ms (a stream), sometimes exactly around the item size or the window, sometimes
    // idle for whole windows, once in a while backwards (ignored by Update, "should never happen").
    const unsigned kind = static_cast<unsigned>(Below(100));
    if (kind < 45)
      now += Below(8);
    else if (kind < 60)
      now += itemMs + Below(3) - 1;
    else if (kind < 70)
      now += shape.windowMs + Below(3) - 1;
    else if (kind < 75)
      now += shape.windowMs * (2 + Below(3));
    else if (kind < 80)
      now -= Below(itemMs + 2);
    else if (kind < 90)
      now += Below(itemMs * 3 + 1);
    // else: the same millisecond
    const unsigned packets = Chance(20) ? burst : 1;
    for (unsigned p = 0; p < packets; ++p) {
      size_t size = Chance(5) ? 0 : (Chance(50) ? 1100 + Below(100) : 20 + Below(1500));
      rate.Update(size, now);
    }
    if (Chance(60)) {
      uint64_t at = now;
      if (Chance(10))
        at = now + Below(shape.windowMs * 2 + 2);  // a later stats read
      else if (Chance(5))
        at = now - Below(shape.windowMs * 2 + 2);  // an earlier one
      Out("r %" PRIu64 " %u\n", at - now, rate.GetRate(at));
      if (Chance(20))
        Out("again %u\n", rate.GetRate(at));  // same time: the cached rate
    }
    if (Chance(10))
      Out("b %zu\n", rate.GetBytes());
    if (Chance(1)) {
      rate.Reset();
      Out("reset\n");
    }
  }
  Out("end %u %zu\n", rate.GetRate(now), rate.GetBytes());
}
}  // namespace

int main(int argc, char** argv) {
  trace = argc > 1 && std::strcmp(argv[1], "trace") == 0;
  // As there, the base is a monotonic clock's reading (the expectations of passes 1 and 2 assume one far from 2^64).
  MediasoupCases(1000000);
  MediasoupCases(1ULL << 40);
  if (failures > 0) {
    std::fprintf(stderr, "%d of mediasoup's own rate calculator expectations failed\n", failures);
    return 1;
  }
  for (unsigned run = 0; run < 20000; ++run) {
    rng = 0x9E3779B97F4A7C15ULL * (run + 1);
    Sequence(run);
  }
  std::printf("digest %016" PRIx64 " over %" PRIu64 " values\n", digest, values);
  return 0;
}
