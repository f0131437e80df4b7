// Test stub of the worker's Logger.hpp (rate-counter/test only): the log macros RateCalculator uses, silent, and
// MS_ASSERT aborting as the worker's does.
#ifndef MS_LOGGER_HPP
#define MS_LOGGER_HPP
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#define MS_TRACE()
#define MS_WARN_DEV(desc, ...)
#define MS_DEBUG_DEV(desc, ...)
#define MS_ASSERT(condition, desc, ...)                                     \
  do {                                                                      \
    if (!(condition)) {                                                     \
      std::fprintf(stderr, "MS_ASSERT failed: " desc "\n", ##__VA_ARGS__);  \
      std::abort();                                                         \
    }                                                                       \
  } while (false)
#endif
