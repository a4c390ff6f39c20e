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
	auto cmp = CompareKtap(MakeRun({ R("s", "a", KtapStatus::kPass), R("s", "b", KtapStatus::kFail),
				     R("s", "c", KtapStatus::kPass) }),
			       "gmm",
			       MakeRun({ R("s", "a", KtapStatus::kPass), R("s", "b", KtapStatus::kFail),
				     R("s", "c", KtapStatus::kFail, "", "EXPECTATION FAILED x\n") }),
			       "QEMU");
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
	auto cmp = CompareKtap(MakeRun({ R("s", "needs_gmm", KtapStatus::kPass),
				     R("s", "needs_pvh", KtapStatus::kSkip, "gmm built the page state") }),
			       "gmm",
			       MakeRun({ R("s", "needs_gmm", KtapStatus::kSkip, "no gmm extension"),
				     R("s", "needs_pvh", KtapStatus::kPass) }),
			       "QEMU");
	ASSERT_EQ(cmp.size(), 2u);
	EXPECT_EQ(Find(cmp, "needs_gmm").agreement, CaseAgreement::kSkipped);
	EXPECT_NE(Find(cmp, "needs_gmm").explanation.find("skipped under QEMU: no gmm extension"),
		  std::string::npos)
		<< Find(cmp, "needs_gmm").explanation;
	EXPECT_EQ(Find(cmp, "needs_pvh").agreement, CaseAgreement::kSkipped);
}

TEST(KtapCompare, ASkipWithoutAReasonDiffers)
{
	auto cmp = CompareKtap(MakeRun({ R("s", "a", KtapStatus::kPass) }), "gmm",
			       MakeRun({ R("s", "a", KtapStatus::kSkip, "") }), "QEMU");
	ASSERT_EQ(cmp.size(), 1u);
	EXPECT_EQ(cmp[0].agreement, CaseAgreement::kDiffer);
	EXPECT_NE(cmp[0].explanation.find("SKIP without a reason under QEMU"), std::string::npos);
}

TEST(KtapCompare, CasesOnlyOneRunReportedDiffer)
{
	auto cmp = CompareKtap(MakeRun({ R("s", "a", KtapStatus::kPass), R("s", "b", KtapStatus::kPass) }),
			       "gmm",
			       MakeRun({ R("s", "a", KtapStatus::kPass),
				     R("s", "<incomplete>", KtapStatus::kFail) }),
			       "QEMU");
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
	auto cmp = CompareKtap(MakeRun({ R("s1", "a", KtapStatus::kPass), R("s2", "a", KtapStatus::kFail) }),
			       "gmm",
			       MakeRun({ R("s2", "a", KtapStatus::kFail), R("s1", "a", KtapStatus::kPass) }),
			       "QEMU");
	ASSERT_EQ(cmp.size(), 2u);
	EXPECT_EQ(cmp[0].agreement, CaseAgreement::kSame);
	EXPECT_EQ(cmp[1].agreement, CaseAgreement::kSame);
}

} // namespace
} // namespace gmm_test
