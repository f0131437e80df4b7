#define MS_CLASS "SharedTimer"
// #define MS_LOG_DEV_LEVEL 3

// Added by the offline worker recipe (sfu/worker-build, recipe r5). See
// SharedTimer.hpp.

#include "handles/SharedTimer.hpp"
#include "DepLibUV.hpp"
#include "Logger.hpp"
#include "handles/TimerHandle.hpp"
#include <limits>

namespace
{
	// One slot per ms, a power of two. Deadlines further ahead than the wheel
	// are kept in their slot modulo the size and only fire once due.
	constexpr uint32_t WheelSlots{ 256u };
	constexpr uint32_t WheelMask{ WheelSlots - 1u };
	// The extra list holding the entries a pass is firing.
	constexpr uint32_t DueList{ WheelSlots };
	constexpr uint64_t NotArmed{ std::numeric_limits<uint64_t>::max() };

	class Wheel : public TimerHandle::Listener
	{
	public:
		Wheel() : uvTimer(new TimerHandle(this)), lastRunMs(SharedTimer::Now())
		{
		}
		~Wheel() override
		{
			// Closes the uv timer (also when called from within its own callback).
			delete this->uvTimer;
		}

	public:
		void Add(SharedTimer* timer)
		{
			if (this->active == 0u && !this->running)
			{
				// Nothing is linked in the slots: the next pass starts from now.
				this->lastRunMs = SharedTimer::Now();
			}

			Link(timer, static_cast<uint32_t>(timer->deadline & WheelMask));
			++this->active;

			// Re-arm only when the earliest deadline moves earlier; a pass in progress
			// arms the earliest one when it ends.
			if (!this->running && timer->deadline < this->armedMs)
			{
				Arm(timer->deadline);
			}
		}

		void Remove(SharedTimer* timer)
		{
			const bool wasDue = timer->list == DueList;

			Unlink(timer);

			if (wasDue)
			{
				return;
			}

			MS_ASSERT(this->active > 0u, "no active timers");

			// With others left the uv timer stays armed: a pass that finds nothing due
			// just re-arms to the earliest deadline.
			if (--this->active == 0u && !this->running && this->armedMs != NotArmed)
			{
				this->uvTimer->Stop();
				this->armedMs = NotArmed;
			}
		}

		/* Pure virtual methods inherited from TimerHandle::Listener. */
	public:
		void OnTimer(TimerHandle* /*timer*/) override
		{
			const uint64_t nowMs = SharedTimer::Now();

			this->armedMs = NotArmed;
			this->running = true;

			// 1. Move every entry due by now to the due list, scanning the slots of
			// [lastRunMs, nowMs] (all of them once if that is longer than the wheel).
			// Newest slot first, prepending: the due list fires in deadline order.
			const uint64_t span = nowMs - this->lastRunMs + 1u;
			const uint32_t slots = span >= WheelSlots ? WheelSlots : static_cast<uint32_t>(span);

			for (uint32_t i{ 0u }; i < slots; ++i)
			{
				const auto slot = static_cast<uint32_t>((nowMs - i) & WheelMask);

				for (SharedTimer* timer = this->heads[slot]; timer != nullptr;)
				{
					SharedTimer* next = timer->next;

					if (timer->deadline <= nowMs)
					{
						Unlink(timer);
						--this->active;
						Link(timer, DueList);
					}

					timer = next;
				}
			}

			this->lastRunMs = nowMs;

			// 2. Fire them. A callback may stop, restart or delete any SharedTimer
			// (restarted ones go to the slots, so none fires twice in a pass).
			while (SharedTimer* timer = this->heads[DueList])
			{
				Unlink(timer);
				timer->listener->OnTimer(timer);
			}

			this->running = false;

			// 3. The last SharedTimer of this thread was deleted during the pass.
			if (this->users == 0u)
			{
				Destroy();

				return;
			}

			if (this->active > 0u)
			{
				Arm(Earliest(nowMs));
			}
		}

	public:
		static Wheel* Get()
		{
			if (Wheel::current == nullptr)
			{
				Wheel::current = new Wheel();
			}

			return Wheel::current;
		}
		static Wheel* Current()
		{
			return Wheel::current;
		}
		bool IsRunning() const
		{
			return this->running;
		}
		void Destroy()
		{
			MS_ASSERT(Wheel::current == this, "not this thread's wheel");

			Wheel::current = nullptr;

			delete this;
		}

	private:
		void Link(SharedTimer* timer, uint32_t list)
		{
			SharedTimer*& head = this->heads[list];

			timer->list = list;
			timer->prev = nullptr;
			timer->next = head;

			if (head != nullptr)
			{
				head->prev = timer;
			}

			head = timer;
		}
		void Unlink(SharedTimer* timer)
		{
			if (timer->prev != nullptr)
			{
				timer->prev->next = timer->next;
			}
			else
			{
				this->heads[timer->list] = timer->next;
			}

			if (timer->next != nullptr)
			{
				timer->next->prev = timer->prev;
			}

			timer->prev = nullptr;
			timer->next = nullptr;
			timer->list = SharedTimer::NotLinked;
		}
		void Arm(uint64_t deadlineMs)
		{
			const uint64_t nowMs = SharedTimer::Now();

			this->uvTimer->Start(deadlineMs > nowMs ? deadlineMs - nowMs : 0u);
			this->armedMs = deadlineMs;
		}
		// The earliest deadline of the linked entries, all of which are >= fromMs.
		uint64_t Earliest(uint64_t fromMs) const
		{
			for (uint32_t i{ 0u }; i < WheelSlots; ++i)
			{
				const uint64_t ms = fromMs + i;

				for (SharedTimer* timer = this->heads[ms & WheelMask]; timer != nullptr; timer = timer->next)
				{
					if (timer->deadline == ms)
					{
						return ms;
					}
				}
			}

			// Every deadline is further ahead than the wheel.
			uint64_t earliest{ NotArmed };

			for (uint32_t slot{ 0u }; slot < WheelSlots; ++slot)
			{
				for (SharedTimer* timer = this->heads[slot]; timer != nullptr; timer = timer->next)
				{
					earliest = std::min(earliest, timer->deadline);
				}
			}

			return earliest;
		}

	public:
		// SharedTimer objects alive in this thread.
		size_t users{ 0u };

	private:
		thread_local static Wheel* current;
		TimerHandle* uvTimer{ nullptr };
		SharedTimer* heads[WheelSlots + 1]{};
		// Entries linked in the slots (not counting the due list).
		size_t active{ 0u };
		// Every entry with a deadline < lastRunMs has fired.
		uint64_t lastRunMs{ 0u };
		uint64_t armedMs{ NotArmed };
		bool running{ false };
	};

	thread_local Wheel* Wheel::current{ nullptr };
} // namespace

/* Static methods. */

uint64_t SharedTimer::Now()
{
	return uv_now(DepLibUV::GetLoop());
}

/* Instance methods. */

SharedTimer::SharedTimer(Listener* listener) : listener(listener)
{
	MS_TRACE();

	++Wheel::Get()->users;
}

SharedTimer::~SharedTimer()
{
	MS_TRACE();

	Wheel* wheel = Wheel::Current();

	MS_ASSERT(wheel != nullptr, "no wheel in this thread");

	if (IsActive())
	{
		wheel->Remove(this);
	}

	// During a pass the wheel deletes itself when the pass ends.
	if (--wheel->users == 0u && !wheel->IsRunning())
	{
		wheel->Destroy();
	}
}

void SharedTimer::Start(uint64_t timeout)
{
	MS_TRACE();

	Wheel* wheel = Wheel::Current();

	if (IsActive())
	{
		wheel->Remove(this);
	}

	this->deadline = SharedTimer::Now() + timeout;

	wheel->Add(this);
}

void SharedTimer::Stop()
{
	MS_TRACE();

	if (IsActive())
	{
		Wheel::Current()->Remove(this);
	}
}
