// Test stub (send-history/test only): libwebrtc's PacedPacketInfo and PacketFeedback as mediasoup 3.19.3 declares
// them in rtp_rtcp_defines.h / network_types.h, without the rest of those headers (mediasoup's RTCP classes).
#ifndef MODULES_RTP_RTCP_INCLUDE_RTP_RTCP_DEFINES_H_
#define MODULES_RTP_RTCP_INCLUDE_RTP_RTCP_DEFINES_H_
#include <absl/types/optional.h>
#include <cstddef>
#include <cstdint>

namespace webrtc {
struct PacedPacketInfo {
  static constexpr int kNotAProbe = -1;
  int send_bitrate_bps = -1;
  int probe_cluster_id = kNotAProbe;
  int probe_cluster_min_probes = -1;
  int probe_cluster_min_bytes = -1;
};

struct PacketFeedback {
  PacketFeedback(int64_t arrival_time_ms, uint16_t sequence_number)
      : PacketFeedback(-1, arrival_time_ms, kNoSendTime, sequence_number, 0, 0, 0, PacedPacketInfo()) {}
  PacketFeedback(int64_t creation_time_ms, uint16_t sequence_number, size_t payload_size, uint16_t local_net_id,
                 uint16_t remote_net_id, const PacedPacketInfo& pacing_info)
      : PacketFeedback(creation_time_ms, kNotReceived, kNoSendTime, sequence_number, payload_size, local_net_id,
                       remote_net_id, pacing_info) {}
  PacketFeedback(int64_t creation_time_ms, int64_t arrival_time_ms, int64_t send_time_ms, uint16_t sequence_number,
                 size_t payload_size, uint16_t local_net_id, uint16_t remote_net_id,
                 const PacedPacketInfo& pacing_info)
      : creation_time_ms(creation_time_ms), arrival_time_ms(arrival_time_ms), send_time_ms(send_time_ms),
        sequence_number(sequence_number), long_sequence_number(0), payload_size(payload_size),
        unacknowledged_data(0), local_net_id(local_net_id), remote_net_id(remote_net_id),
        pacing_info(pacing_info), ssrc(0), rtp_sequence_number(0) {}
  PacketFeedback(const PacketFeedback&) = default;
  PacketFeedback& operator=(const PacketFeedback&) = default;

  static constexpr int kNotAProbe = -1;
  static constexpr int64_t kNotReceived = -1;
  static constexpr int64_t kNoSendTime = -1;

  int64_t creation_time_ms;
  int64_t arrival_time_ms;
  int64_t send_time_ms;
  uint16_t sequence_number;
  int64_t long_sequence_number;
  size_t payload_size;
  size_t unacknowledged_data;
  uint16_t local_net_id;
  uint16_t remote_net_id;
  PacedPacketInfo pacing_info;
  absl::optional<uint32_t> ssrc;
  uint16_t rtp_sequence_number;
};
}  // namespace webrtc
#endif
