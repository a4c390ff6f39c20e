// SPDX-License-Identifier: MIT
// tests/mm/slab_fixture.h - a fresh hosted memory (64 MiB: DMA zone + DMA32) per test, log
// captured, and the page state checked after each test.
#ifndef GMM_TESTS_MM_SLAB_FIXTURE_H
#define GMM_TESTS_MM_SLAB_FIXTURE_H

#include <string>

#include <gtest/gtest.h>

#include "tests/shim/slab_shim.h"

class SlabTest : public ::testing::Test {
      protected:
	void SetUp() override
	{
		slab_debug_set(DebugFlags());
		ASSERT_EQ(slab_shim_memory_create(&mem_, MemoryMiB()), 0);
		mm_host_log_quiet(true);
		mm_host_log_capture(true);
	}

	void TearDown() override
	{
		char err[256];

		EXPECT_TRUE(shim_state_ok(err, sizeof(err))) << err;
		mm_host_log_capture(false);
		mm_host_log_quiet(false);
		mm_host_memory_destroy(&mem_);
		slab_debug_set(0);
	}

	virtual slab_flags_t DebugFlags() const { return 0; }
	virtual unsigned int MemoryMiB() const { return 64; }

	static std::string Log() { return mm_host_log_text(); }
	static void ClearLog() { mm_host_log_capture(true); }

	struct mm_host_memory mem_;
};

#endif // GMM_TESTS_MM_SLAB_FIXTURE_H
