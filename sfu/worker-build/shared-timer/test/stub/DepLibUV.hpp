// Test stub of the worker's DepLibUV.hpp (shared-timer/test only): one loop per thread.
#ifndef MS_DEP_LIBUV_HPP
#define MS_DEP_LIBUV_HPP
#include "common.hpp"
#include <uv.h>
class DepLibUV
{
public:
	static uv_loop_t* GetLoop()
	{
		return DepLibUV::loop;
	}
	thread_local static uv_loop_t* loop;
};
#endif
