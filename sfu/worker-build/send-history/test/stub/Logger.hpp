// Test stub of the worker's Logger.hpp (send-history/test only): the log macros SendTimeHistory uses, silent.
#ifndef MS_LOGGER_HPP
#define MS_LOGGER_HPP
#include <cinttypes>
#define MS_TRACE()
#define MS_WARN_TAG(tag, desc, ...)
#define MS_DEBUG_DEV(desc, ...)
#endif
