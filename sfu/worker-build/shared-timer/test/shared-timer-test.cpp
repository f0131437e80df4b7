// Unit test of SharedTimer (recipe r5), built and run by ensure-worker.sh before the worker build:
//   g++ -std=c++17 -fsanitize=address,undefined -Istub -I<worker>/include -I<dir of SharedTimer.hpp>/..
//       shared-timer-test.cpp SharedTimer.cpp <worker>/src/handles/TimerHandle.cpp -luv
// Every SharedTimer is shadowed by a plain uv timer started with the same timeout at the same moment: the
// SharedTimer must fire in the same loop iteration as its shadow would (libuv's own timing semantics), never
// early, never after Stop(), exactly once per Start(). Callbacks stop, restart, delete and create other timers
// (and themselves) while a pass runs; the last timer of a thread is deleted inside a pass and the wheel comes back;
// two threads each run their own loop and wheel. At the end no uv handle may be left on any loop.
#include "DepLibUV.hpp"
#include "handles/SharedTimer.hpp"
#include <uv.h>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>
#include <vector>

thread_local uv_loop_t* DepLibUV::loop{ nullptr };

#define CHECK(c)                                                                                   \
	do                                                                                               \
	{                                                                                                \
		if (!(c))                                                                                      \
		{                                                                                              \
			std::fprintf(stderr, "%s:%d CHECK failed: %s\n", __FILE__, __LINE__, #c);                    \
			std::abort();                                                                                \
		}                                                                                              \
	} while (false)

namespace
{
	thread_local uint64_t iteration{ 0u }; // loop iterations (a prepare handle counts them)

	struct Stats
	{
		uint64_t starts{ 0u }, fires{ 0u }, stops{ 0u }, deletes{ 0u }, creates{ 0u }, far{ 0u }, zero{ 0u };
	};

	struct Test;

	struct Client : public SharedTimer::Listener
	{
		Test* test;
		SharedTimer* timer;
		uv_timer_t* shadow; // freed by its close callback
		bool pending{ false };
		bool shadowFired{ false };
		uint64_t shadowIteration{ 0u };
		uint64_t deadline{ 0u };

		explicit Client(Test* test);
		~Client() override;
		void Start(uint64_t timeout);
		void Stop();
		void OnTimer(SharedTimer* timer) override;
	};

	void onShadow(uv_timer_t* handle)
	{
		auto* client = static_cast<Client*>(handle->data);

		client->shadowFired     = true;
		client->shadowIteration = iteration;
	}

	struct Test
	{
		std::mt19937 rng;
		std::vector<Client*> clients;
		Stats stats;
		bool churn{ true };

		explicit Test(uint32_t seed) : rng(seed)
		{
		}
		uint64_t RandomTimeout()
		{
			const uint32_t r = rng() % 100u;

			if (r < 3u)
			{
				++stats.zero;
				return 0u;
			}
			if (r < 4u)
			{
				++stats.far;
				return 257u + rng() % 500u; // beyond the 256-slot wheel
			}
			if (r < 70u)
			{
				return 5u;
			}

			return 1u + rng() % 30u;
		}
		Client* Pick()
		{
			return clients.empty() ? nullptr : clients[rng() % clients.size()];
		}
		void Remove(Client* client)
		{
			for (auto& c : clients)
			{
				if (c == client)
				{
					c = clients.back();
					clients.pop_back();
					return;
				}
			}
			CHECK(false);
		}
		// What a firing client does to itself and to others.
		void OnFire(Client* self)
		{
			if (!churn)
			{
				return;
			}

			const uint32_t r = rng() % 100u;

			if (r < 97u)
			{
				self->Start(RandomTimeout());
			}
			else
			{
				Remove(self);
				delete self; // itself, from within its own callback
				++stats.deletes;
				Create();
				return;
			}

			const uint32_t o = rng() % 100u;
			Client* other    = Pick();

			if (other == nullptr || other == self)
			{
				return;
			}
			if (o < 2u)
			{
				other->Stop(); // maybe due in this very pass
			}
			else if (o < 4u)
			{
				other->Start(RandomTimeout()); // restart, maybe while due in this pass
			}
			else if (o < 5u)
			{
				Remove(other);
				delete other; // maybe due in this very pass
				++stats.deletes;
				Create();
			}
		}
		Client* Create()
		{
			auto* client = new Client(this);

			clients.push_back(client);
			++stats.creates;
			client->Start(RandomTimeout());

			return client;
		}
		size_t Pending() const
		{
			size_t n{ 0u };

			for (auto* c : clients)
			{
				n += c->pending ? 1u : 0u;
			}

			return n;
		}
	};

	Client::Client(Test* test) : test(test), timer(new SharedTimer(this)), shadow(new uv_timer_t)
	{
		CHECK(uv_timer_init(DepLibUV::GetLoop(), shadow) == 0);
		shadow->data = this;
	}
	Client::~Client()
	{
		if (pending)
		{
			++test->stats.stops;
		}
		delete timer;
		uv_close(reinterpret_cast<uv_handle_t*>(shadow), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
	}
	void Client::Start(uint64_t timeout)
	{
		if (pending)
		{
			++test->stats.stops; // a restart replaces the pending start
		}
		timer->Start(timeout);
		CHECK(timer->IsActive());
		CHECK(uv_timer_start(shadow, onShadow, timeout, 0) == 0);
		deadline    = uv_now(DepLibUV::GetLoop()) + timeout;
		pending     = true;
		shadowFired = false;
		++test->stats.starts;
	}
	void Client::Stop()
	{
		if (pending)
		{
			++test->stats.stops;
		}
		timer->Stop();
		CHECK(!timer->IsActive());
		uv_timer_stop(shadow);
		pending = false;
	}
	void Client::OnTimer(SharedTimer* t)
	{
		const uint64_t now = uv_now(DepLibUV::GetLoop());

		CHECK(t == timer);
		CHECK(pending);          // never after Stop(), once per Start()
		CHECK(!timer->IsActive());
		CHECK(now >= deadline);  // never early
		// In the same loop iteration as its shadow timer.
		if (shadowFired)
		{
			CHECK(shadowIteration == iteration);
		}
		else
		{
			CHECK(uv_is_active(reinterpret_cast<uv_handle_t*>(shadow)));
			CHECK(shadow->timeout <= now); // due in this run of libuv's timers, so it fires in this iteration
			uv_timer_stop(shadow);
		}
		pending = false;
		++test->stats.fires;
		test->OnFire(this);
	}

	// A client that deletes itself (the thread's last SharedTimer) from its callback.
	struct Lonely : public SharedTimer::Listener
	{
		SharedTimer* timer{ new SharedTimer(this) };
		int* fired;
		explicit Lonely(int* fired) : fired(fired)
		{
		}
		void OnTimer(SharedTimer* /*t*/) override
		{
			++*fired;
			delete timer;
			delete this;
		}
	};

	void Run(uint32_t seed, uint64_t churnMs, size_t n, Stats* out)
	{
		auto* loop = new uv_loop_t;

		CHECK(uv_loop_init(loop) == 0);
		DepLibUV::loop = loop;

		uv_prepare_t prepare;
		CHECK(uv_prepare_init(loop, &prepare) == 0);
		CHECK(uv_prepare_start(&prepare, [](uv_prepare_t*) { ++iteration; }) == 0);
		uv_unref(reinterpret_cast<uv_handle_t*>(&prepare));

		// 1. The last SharedTimer of the thread deleted inside the pass, twice (the wheel comes back).
		for (int round = 0; round < 2; ++round)
		{
			int fired{ 0 };
			auto* lonely = new Lonely(&fired);
			lonely->timer->Start(3u);
			CHECK(uv_run(loop, UV_RUN_DEFAULT) == 0);
			CHECK(fired == 1);
		}

		// 2. Churn.
		Test test(seed);
		for (size_t i = 0; i < n; ++i)
		{
			test.Create();
		}
		const uint64_t until = uv_now(loop) + churnMs;
		while (uv_now(loop) < until)
		{
			uv_run(loop, UV_RUN_ONCE);
		}
		// No more restarts: every pending start must still fire.
		test.churn = false;
		const uint64_t drainUntil = uv_now(loop) + 2000u; // the longest timeout is 756 ms
		while (test.Pending() > 0u)
		{
			CHECK(uv_now(loop) < drainUntil); // a start that never fired
			uv_run(loop, UV_RUN_ONCE);
		}
		CHECK(test.stats.fires + test.stats.stops == test.stats.starts);
		for (auto* c : test.clients)
		{
			delete c;
		}
		test.clients.clear();

		// 3. Nothing left: the wheel's uv timer is closed with the last SharedTimer.
		uv_close(reinterpret_cast<uv_handle_t*>(&prepare), nullptr);
		CHECK(uv_run(loop, UV_RUN_DEFAULT) == 0);
		CHECK(uv_loop_close(loop) == 0);
		delete loop;
		*out = test.stats;
	}
} // namespace

int main()
{
	Stats a, b;
	std::thread t1(Run, 1u, 1200u, 300u, &a);
	std::thread t2(Run, 2u, 1200u, 150u, &b);
	t1.join();
	t2.join();
	for (const Stats* s : { &a, &b })
	{
		std::printf(
		  "shared-timer test: %llu starts, %llu fires, %llu stopped or replaced, %llu deleted, %llu beyond the wheel, %llu with timeout 0\n",
		  static_cast<unsigned long long>(s->starts), static_cast<unsigned long long>(s->fires),
		  static_cast<unsigned long long>(s->stops), static_cast<unsigned long long>(s->deletes),
		  static_cast<unsigned long long>(s->far), static_cast<unsigned long long>(s->zero));
		std::fflush(stdout);
		CHECK(s->fires > 5000u && s->deletes > 100u && s->far > 100u && s->zero > 100u);
	}
	std::printf("shared-timer test: OK\n");
	return 0;
}
