// Test stub (rate-counter/test only): the two RtpPacket getters RtpDataCounter::Update reads, without the rest of
// the worker's RtpPacket (its flatbuffers and RTP extensions).
#ifndef MS_RTC_RTP_PACKET_HPP
#define MS_RTC_RTP_PACKET_HPP
#include <cstddef>
namespace RTC {
class RtpPacket {
 public:
  RtpPacket(size_t size, size_t payloadLength) : size(size), payloadLength(payloadLength) {}
  size_t GetSize() const { return size; }
  size_t GetPayloadLength() const { return payloadLength; }

 private:
  size_t size;
  size_t payloadLength;
};
}  // namespace RTC
#endif
