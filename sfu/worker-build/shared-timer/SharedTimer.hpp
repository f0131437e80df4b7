#ifndef MS_SHARED_TIMER_HPP
#define MS_SHARED_TIMER_HPP

// Added by the offline worker recipe (sfu/worker-build, recipe r5): a one-shot
// millisecond timer like TimerHandle::Start(timeout), but all SharedTimers of a
// thread share ONE libuv timer (a per-thread timer wheel keyed by uv_now() ms
// deadlines). libuv timers have millisecond resolution and fire every timer due
// at the loop's cached time, so firing every SharedTimer due at a given ms from
// one uv timer keeps TimerHandle's timing semantics, without a uv_timer_stop()
// + uv_timer_start() on libuv's timer heap per restart. Used for the
// transport-cc process timer of every transport (one restart per 5 ms each).
//
// Threading: a SharedTimer belongs to the thread (worker loop) that created it.
// Lifetime: Stop() and the destructor are safe at any time, also from within
// any SharedTimer's callback (the wheel unlinks an entry before calling it).
// A timer (re)started from within a callback never fires in the same pass, even
// with timeout 0: it fires from the next loop iteration on.

#include "common.hpp"

class SharedTimer
{
public:
	class Listener
	{
	public:
		virtual ~Listener() = default;

	public:
		virtual void OnTimer(SharedTimer* timer) = 0;
	};

public:
	explicit SharedTimer(Listener* listener);
	SharedTimer& operator=(const SharedTimer&) = delete;
	SharedTimer(const SharedTimer&)            = delete;
	~SharedTimer();

public:
	// One shot: fires once, timeout ms from the loop's current time (uv_now()).
	void Start(uint64_t timeout);
	void Stop();
	bool IsActive() const
	{
		return this->list != NotLinked;
	}
	// The loop's cached time in ms (uv_now()), the clock deadlines are kept in.
	static uint64_t Now();

public:
	// Implementation (the per-thread wheel in SharedTimer.cpp links entries).
	static constexpr uint32_t NotLinked{ UINT32_MAX };
	Listener* listener{ nullptr };
	SharedTimer* prev{ nullptr };
	SharedTimer* next{ nullptr };
	uint64_t deadline{ 0u };
	uint32_t list{ NotLinked };
};

#endif
