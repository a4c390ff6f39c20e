// SPDX-License-Identifier: MIT
/*
 * tests/libvirt/libvirt_compare_test.cc - the test guest under QEMU through libvirt and under
 * gmm, compared case by case.
 *
 * Both runs boot guests/selftest.elf with the same command line (g_suites: the suites whose
 * verdicts mean something on both; bench only measures, seed_claims repeats their cases) and
 * 32 MiB, at the same time (two cores; each run takes 15-40 s because this host's KVM
 * emulates ordinary guests):
 *   - libvirt: lvg_run() (libvirt_guest.h) starts what is missing, creates a transient
 *     QEMU/KVM domain (machine pc, PVH boot, edu and isa-debug-exit), captures the serial
 *     console, destroys the domain and stops what it started;
 *   - gmm: `vmm/gmm run --mem 32M --cmdline ...` with the console on stdout.
 * Tests: Libvirt.* (every step succeeded, the KTAP run is complete, it cleaned up),
 * LibvirtQemu.<suite>.<case> (each case's verdict under QEMU), Gmm.RanTheSameSuites, and
 * Same.<suite>.<case>: every case that ran on both has the same verdict; a case one side
 * SKIPs (e.g. one that needs gmm's extension, under QEMU) must give the reason.
 * Without /dev/kvm, or without root (libvirtd and /dev/kvm's group need it), all is SKIPped.
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tests/e2e/guest_runner.h"
#include "tests/e2e/ktap_parser.h"
#include "tests/libvirt/ktap_compare.h"
#include "tests/libvirt/libvirt_guest.h"

namespace {

constexpr int kTimeoutSeconds = 150;
const char *const kImage = "guests/selftest.elf";
const char *const kGmm = "vmm/gmm";
// Override: --suites=LIST (e.g. bazel test ... --test_arg=--suites=seed_claims); "" = all.
std::string g_suites = "gfp_context,kmalloc,mempool,slab,vmalloc,direct_map,page_alloc,dma_edu,dma_contiguity";

std::string g_skip;
struct lvg_result g_lv;
int g_lv_ret = -1;
struct stat g_kvm_before;
gmm_test::GuestRun g_gmm;
gmm_test::KtapRun g_qemu_ktap, g_gmm_ktap;

std::string LibvirtContext()
{
	return std::string("\n--- domain XML ---\n") + (g_lv.xml ? g_lv.xml : "") +
	       "--- QEMU log (tail) ---\n" + g_lv.qemu_log + "\n--- console ---\n" + g_lv.console;
}

// Gone, or a zombie its reaper (not this process) has not collected yet.
bool ProcessGone(int pid)
{
	std::string stat = gmm_test::ReadFile("/proc/" + std::to_string(pid) + "/stat");
	size_t paren = stat.rfind(')');
	return stat.empty() || (paren != std::string::npos && stat.compare(paren, 3, ") Z") == 0);
}

TEST(Libvirt, EveryStepSucceeded)
{
	if (!g_skip.empty())
		GTEST_SKIP() << g_skip;
	EXPECT_EQ(g_lv_ret, 0) << g_lv.error << LibvirtContext();
	EXPECT_TRUE(g_lv.finished) << "the domain did not shut itself off" << LibvirtContext();
}

TEST(Libvirt, TheGuestBootedThroughPvhAndCompletedItsKtapRun)
{
	if (!g_skip.empty())
		GTEST_SKIP() << g_skip;
	EXPECT_NE(std::string(g_lv.console).find("mm: memblock placed the page state"),
		  std::string::npos)
		<< "under QEMU the guest enters through PVH and builds its page state with memblock"
		<< LibvirtContext();
	EXPECT_TRUE(g_qemu_ktap.saw_version) << LibvirtContext();
	EXPECT_TRUE(g_qemu_ktap.saw_totals) << "no '# Totals' line" << LibvirtContext();
	EXPECT_GT(g_qemu_ktap.results.size(), 20u) << LibvirtContext();
}

TEST(Libvirt, TheDomainHasTheEduAndDebugExitDevices)
{
	if (!g_skip.empty())
		GTEST_SKIP() << g_skip;
	ASSERT_NE(g_lv.xml, nullptr) << g_lv.error;
	std::string xml = g_lv.xml;
	EXPECT_NE(xml.find("<qemu:arg value='edu'/>"), std::string::npos) << xml;
	EXPECT_NE(xml.find("<qemu:arg value='isa-debug-exit,iobase=0xf4,iosize=4'/>"),
		  std::string::npos)
		<< xml;
	EXPECT_NE(xml.find("<cmdline>ktap.suites=" + g_suites + "</cmdline>"),
		  std::string::npos)
		<< xml;
	// QEMU refuses to start with a device it does not know: the domain ran, so both exist.
	EXPECT_TRUE(g_lv.finished) << g_lv.error;
}

TEST(Libvirt, ItStoppedWhatItStartedAndRestoredDevKvm)
{
	if (!g_skip.empty())
		GTEST_SKIP() << g_skip;
	struct stat now;
	ASSERT_EQ(stat("/dev/kvm", &now), 0);
	EXPECT_EQ(now.st_mode, g_kvm_before.st_mode);
	EXPECT_EQ(now.st_gid, g_kvm_before.st_gid);
	if (g_lv.libvirtd_pid) {
		EXPECT_TRUE(ProcessGone(g_lv.libvirtd_pid))
			<< "libvirtd (pid " << g_lv.libvirtd_pid << ") was started for this run";
	}
	if (g_lv.virtlogd_pid) {
		EXPECT_TRUE(ProcessGone(g_lv.virtlogd_pid))
			<< "virtlogd (pid " << g_lv.virtlogd_pid << ") was started for this run";
	}
	EXPECT_EQ(std::string(g_lv.error).find("cleanup:"), std::string::npos) << g_lv.error;
}

TEST(Gmm, RanTheSameSuites)
{
	if (!g_skip.empty())
		GTEST_SKIP() << g_skip;
	ASSERT_TRUE(g_gmm.started) << g_gmm.error;
	ASSERT_FALSE(g_gmm.timed_out) << "gmm did not finish in " << kTimeoutSeconds << " s\n"
				      << g_gmm.output;
	EXPECT_TRUE(g_gmm_ktap.saw_totals) << g_gmm.output;
	EXPECT_GT(g_gmm_ktap.results.size(), 20u) << g_gmm.output;
}

} // namespace

int main(int argc, char **argv)
{
	::testing::InitGoogleTest(&argc, argv);
	for (int i = 1; i < argc; i++)
		if (std::string(argv[i]).rfind("--suites=", 0) == 0)
			g_suites = argv[i] + strlen("--suites=");
	g_skip = gmm_test::KvmUnavailableReason();
	if (g_skip.empty() && geteuid() != 0)
		g_skip = "not root: starting libvirtd and giving /dev/kvm to group kvm need root";
	if (!g_skip.empty())
		return RUN_ALL_TESTS();

	stat("/dev/kvm", &g_kvm_before);
	std::string cmdline = "ktap.suites=" + g_suites;
	std::thread gmm([&cmdline]() {
		g_gmm = gmm_test::RunGuest({ kGmm, "run", "--mem", "32M", "--timeout",
					     std::to_string(kTimeoutSeconds), "--cmdline", cmdline,
					     kImage },
					   kTimeoutSeconds + 30, "");
	});
	struct lvg_config cfg = {};
	cfg.image = kImage;
	cfg.cmdline = cmdline.c_str();
	cfg.mem_mib = 32;
	cfg.timeout_s = kTimeoutSeconds;
	g_lv_ret = lvg_run(&cfg, &g_lv);
	gmm.join();
	printf("libvirt: %s, domain shut off %.1f s after creation%s\n",
	       g_lv_ret ? g_lv.error : "every step succeeded", g_lv.boot_to_off_s,
	       g_lv.started_daemons ? " (libvirtd started and stopped for this run)" : "");

	g_qemu_ktap = gmm_test::ParseKtap(g_lv.console);
	g_gmm_ktap = gmm_test::ParseKtap(g_gmm.output);
	gmm_test::RegisterKtapTests("LibvirtQemu", g_qemu_ktap);
	gmm_test::RegisterComparisonTests(
		"Same", gmm_test::CompareKtap(g_gmm_ktap, "gmm", g_qemu_ktap, "QEMU via libvirt"));
	int ret = RUN_ALL_TESTS();
	lvg_result_free(&g_lv);
	return ret;
}
