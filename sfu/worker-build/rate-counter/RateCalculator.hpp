// Recipe r10 (sfu/worker-build/ensure-worker.sh, 5c7): mediasoup 3.19.3's include/RTC/RateCalculator.hpp with the
// same class, API and results, but the state every Update() touches kept together: the newest item's count lives
// in the object and goes into the ring only when the item closes (every itemSizeMs, 25 ms for the stream
// counters), and the optionals are replaced by the indexes they always agree with. A forwarded packet updates three
// of these (the consumer's stream, the transport's RTP and its total); before, each update touched its ring's
// newest slot and up to three lines of scattered fields. rate-counter/test checks the results against the original.
#ifndef MS_RTC_RATE_CALCULATOR_HPP
#define MS_RTC_RATE_CALCULATOR_HPP

#include "common.hpp"
#include "DepLibUV.hpp"
#include "RTC/RtpPacket.hpp"
#include <vector>

namespace RTC
{
	// It is considered that the time source increases monotonically.
	// ie: the current timestamp can never be minor than a timestamp in the past.
	class RateCalculator
	{
	public:
		static constexpr size_t DefaultWindowSize{ 1000u };
		static constexpr float DefaultBpsScale{ 8000.0f };
		static constexpr uint16_t DefaultWindowItems{ 100u };

	public:
		explicit RateCalculator(
		  size_t windowSizeMs  = DefaultWindowSize,
		  float scale          = DefaultBpsScale,
		  uint16_t windowItems = DefaultWindowItems);

		void Update(size_t size, uint64_t nowMs);

		uint32_t GetRate(uint64_t nowMs);

		size_t GetBytes() const
		{
			return this->bytes;
		}

		void Reset();

	private:
		void RemoveOldData(uint64_t nowMs);
		// Start time of the item at index (the newest item's is kept in the object, not in the ring).
		uint64_t ItemStartTime(int32_t index) const
		{
			return index == this->newestItemIndex ? this->newestItemStartTime : this->buffer[index].time;
		}

	private:
		struct BufferItem
		{
			size_t count{ 0u };
			uint64_t time{ 0u };
		};

	private:
		// Read or written by every Update(), in the order it uses them.
		// Time (in milliseconds) for oldest item in the time window (valid while oldestItemIndex >= 0).
		uint64_t oldestItemStartTime{ 0u };
		// Time (in milliseconds) for last item in the time window (valid while newestItemIndex >= 0).
		uint64_t newestItemStartTime{ 0u };
		// Count of the newest item; buffer[newestItemIndex] holds it only once the item closes.
		size_t newestItemCount{ 0u };
		// Total count in the time window.
		size_t totalCount{ 0u };
		// Total bytes transmitted.
		size_t bytes{ 0u };
		// Last time GetRate() was called (valid while hasLastTime).
		uint64_t lastTime{ 0u };
		// Last value calculated by GetRate().
		uint32_t lastRate{ 0u };
		// Index for the last item in the time window (-1: none).
		int32_t newestItemIndex{ -1 };
		// Index for the oldest item in the time window (-1: none).
		int32_t oldestItemIndex{ -1 };
		// Item Size (in milliseconds), calculated as: windowSizeMs / windowItems.
		uint32_t itemSizeMs{ 0u };
		// Window Size (in milliseconds); every window mediasoup uses is a few seconds.
		uint32_t windowSizeMs{ DefaultWindowSize };
		// Window Size (number of items).
		uint16_t windowItems{ DefaultWindowItems };
		bool hasLastTime{ false };
		// Scale in which the rate is represented.
		float scale{ DefaultBpsScale };
		// Buffer to keep data.
		std::vector<BufferItem> buffer;
	};

	class RtpDataCounter
	{
	public:
		explicit RtpDataCounter(bool ignorePaddingOnlyPackets, size_t windowSizeMs = 2500)
		  : ignorePaddingOnlyPackets(ignorePaddingOnlyPackets), rate(windowSizeMs)
		{
		}

	public:
		void Update(RTC::RtpPacket* packet);

		uint32_t GetBitrate(uint64_t nowMs)
		{
			return this->rate.GetRate(nowMs);
		}

		size_t GetPacketCount() const
		{
			return this->packets;
		}

		size_t GetBytes() const
		{
			return this->rate.GetBytes();
		}

	private:
		// Whether the size of padding only RTP packets should not be taken into
		// account
		bool ignorePaddingOnlyPackets{ false };
		size_t packets{ 0u };
		RateCalculator rate;
	};
} // namespace RTC

#endif
