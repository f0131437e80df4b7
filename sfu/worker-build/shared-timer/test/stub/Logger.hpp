// Test stub of the worker's Logger.hpp (shared-timer/test only).
#ifndef MS_LOGGER_HPP
#define MS_LOGGER_HPP
#include <cstdio>
#include <cstdlib>
#define MS_TRACE()
#define MS_ASSERT(condition, desc, ...)                                                            \
	do                                                                                               \
	{                                                                                                \
		if (!(condition))                                                                              \
		{                                                                                              \
			std::fprintf(stderr, "MS_ASSERT failed: %s: " desc "\n", #condition, ##__VA_ARGS__);        \
			std::abort();                                                                                \
		}                                                                                              \
	} while (false)
#endif
