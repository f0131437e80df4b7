// Test stub of the worker's MediaSoupErrors.hpp (shared-timer/test only).
#ifndef MS_MEDIASOUP_ERRORS_HPP
#define MS_MEDIASOUP_ERRORS_HPP
#include <cstdio>
#include <cstdlib>
#define MS_THROW_ERROR(desc, ...)                                                                  \
	do                                                                                               \
	{                                                                                                \
		std::fprintf(stderr, "MS_THROW_ERROR: " desc "\n", ##__VA_ARGS__);                            \
		std::abort();                                                                                  \
	} while (false)
#endif
