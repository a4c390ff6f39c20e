// SPDX-License-Identifier: MIT
/*
 * tests/libvirt/ktap_compare_test.cc - CompareKtap() on hand-made runs: agreeing and differing
 * verdicts, SKIPs with and without a reason on either side, cases one run never reported.
 */
#include <gtest/gtest.h>

#include "tests/libvirt/ktap_compare.h"

namespace gmm_test {
namespace {

KtapResult R(const std::string &suite, const std::string &name, KtapStatus s,
	     const std::string &directive = "", const std::string &diag = "")
{
	return { suite, name, s, directive, diag };
}

using S = KtapStatus;

KtapRun MakeRun(std::vector<KtapResult> results)
{
	KtapRun r;
	r.saw_version = r.saw_totals = true;
	r.results = std::move(results);
	return r;
}

const CaseComparison &Find(const std::vector<CaseComparison> &v, const std::string &name)
{
	for (const CaseComparison &c : v)
		if (c.name == name)
			return c;
	static CaseComparison none;
	ADD_FAILURE() << "no comparison for " << name;
	return none;
}

TEST(KtapCompare, SameVerdictsAgreeAndDifferentOnesDoNot)
{
	KtapRun gmm = MakeRun({ R("s", "a", S::kPass), R("s", "b", S::kFail), R("s", "c", S::kPass) });
	KtapRun qemu = MakeRun({ R("s", "a", S::kPass), R("s", "b", S::kFail),
				 R("s", "c", S::kFail, "", "EXPECTATION FAILED x\n") });
	auto cmp = CompareKtap(gmm, "gmm", qemu, "QEMU");
	ASSERT_EQ(cmp.size(), 3u);
	EXPECT_EQ(Find(cmp, "a").agreement, CaseAgreement::kSame);
	EXPECT_EQ(Find(cmp, "b").agreement, CaseAgreement::kSame);
	EXPECT_EQ(Find(cmp, "c").agreement, CaseAgreement::kDiffer);
	EXPECT_NE(Find(cmp, "c").explanation.find("gmm: ok"), std::string::npos);
	EXPECT_NE(Find(cmp, "c").explanation.find("QEMU: not ok"), std::string::npos);
	EXPECT_NE(Find(cmp, "c").explanation.find("EXPECTATION FAILED x"), std::string::npos);
}

TEST(KtapCompare, ASkipWithAReasonIsSkippedOnEitherSide)
{
	KtapRun gmm = MakeRun({ R("s", "needs_gmm", S::kPass),
				R("s", "needs_pvh", S::kSkip, "gmm built the page state") });
	KtapRun qemu = MakeRun({ R("s", "needs_gmm", S::kSkip, "no gmm extension"),
				 R("s", "needs_pvh", S::kPass) });
	auto cmp = CompareKtap(gmm, "gmm", qemu, "QEMU");
	ASSERT_EQ(cmp.size(), 2u);
	EXPECT_EQ(Find(cmp, "needs_gmm").agreement, CaseAgreement::kSkipped);
	EXPECT_NE(Find(cmp, "needs_gmm").explanation.find("skipped under QEMU: no gmm extension"),
		  std::string::npos)
		<< Find(cmp, "needs_gmm").explanation;
	EXPECT_EQ(Find(cmp, "needs_pvh").agreement, CaseAgreement::kSkipped);
	EXPECT_NE(Find(cmp, "needs_pvh").explanation.find("skipped under gmm"), std::string::npos);
}

TEST(KtapCompare, ASkipWithoutAReasonDiffers)
{
	auto cmp = CompareKtap(MakeRun({ R("s", "a", S::kPass) }), "gmm",
			       MakeRun({ R("s", "a", S::kSkip, "") }), "QEMU");
	ASSERT_EQ(cmp.size(), 1u);
	EXPECT_EQ(cmp[0].agreement, CaseAgreement::kDiffer);
	EXPECT_NE(cmp[0].explanation.find("SKIP without a reason under QEMU"), std::string::npos);
}

TEST(KtapCompare, CasesOnlyOneRunReportedDiffer)
{
	KtapRun gmm = MakeRun({ R("s", "a", S::kPass), R("s", "b", S::kPass) });
	KtapRun qemu = MakeRun({ R("s", "a", S::kPass), R("s", "<incomplete>", S::kFail) });
	auto cmp = CompareKtap(gmm, "gmm", qemu, "QEMU");
	ASSERT_EQ(cmp.size(), 3u);
	EXPECT_EQ(cmp[0].name, "a");
	EXPECT_EQ(cmp[0].agreement, CaseAgreement::kSame);
	EXPECT_EQ(cmp[1].name, "b");
	EXPECT_EQ(cmp[1].agreement, CaseAgreement::kDiffer);
	EXPECT_NE(cmp[1].explanation.find("QEMU never reported"), std::string::npos);
	EXPECT_EQ(cmp[2].name, "<incomplete>");
	EXPECT_EQ(cmp[2].agreement, CaseAgreement::kDiffer);
}

TEST(KtapCompare, SameCaseNameInTwoSuitesIsTwoCases)
{
	KtapRun gmm = MakeRun({ R("s1", "a", S::kPass), R("s2", "a", S::kFail) });
	KtapRun qemu = MakeRun({ R("s2", "a", S::kFail), R("s1", "a", S::kPass) });
	auto cmp = CompareKtap(gmm, "gmm", qemu, "QEMU");
	ASSERT_EQ(cmp.size(), 2u);
	EXPECT_EQ(cmp[0].agreement, CaseAgreement::kSame);
	EXPECT_EQ(cmp[1].agreement, CaseAgreement::kSame);
}

} // namespace
} // namespace gmm_test
