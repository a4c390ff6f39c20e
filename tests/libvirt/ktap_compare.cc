// SPDX-License-Identifier: MIT
// tests/libvirt/ktap_compare.cc - see ktap_compare.h.
#include "tests/libvirt/ktap_compare.h"

#include <map>

#include <gtest/gtest.h>

namespace gmm_test {

const char *KtapStatusName(KtapStatus s)
{
	switch (s) {
	case KtapStatus::kPass:
		return "ok";
	case KtapStatus::kFail:
		return "not ok";
	case KtapStatus::kSkip:
		return "SKIP";
	}
	return "?";
}

namespace {

std::string Key(const KtapResult &r)
{
	return r.suite + "." + r.name;
}

std::string Describe(const std::string &who, const KtapResult &r)
{
	std::string s = who + ": " + KtapStatusName(r.status);
	if (!r.directive.empty())
		s += " # " + r.directive;
	if (r.status == KtapStatus::kFail && !r.diagnostics.empty())
		s += "\n--- " + who + " output for this case ---\n" + r.diagnostics;
	return s;
}

CaseComparison Compare(const KtapResult &a, const std::string &an, const KtapResult &b,
		       const std::string &bn)
{
	CaseComparison c{ a.suite, a.name, CaseAgreement::kSame, "" };
	bool a_ran = a.status != KtapStatus::kSkip, b_ran = b.status != KtapStatus::kSkip;

	c.explanation = Describe(an, a) + "\n" + Describe(bn, b);
	if (a_ran && b_ran) {
		c.agreement = a.status == b.status ? CaseAgreement::kSame : CaseAgreement::kDiffer;
		return c;
	}
	const KtapResult &skipped = a_ran ? b : a;
	const std::string &who = a_ran ? bn : an;
	if (skipped.directive.empty()) {
		c.agreement = CaseAgreement::kDiffer;
		c.explanation = "SKIP without a reason under " + who + "\n" + c.explanation;
	} else {
		c.agreement = CaseAgreement::kSkipped;
		c.explanation = "skipped under " + who + ": " + skipped.directive;
		if (a_ran != b_ran)
			c.explanation += std::string(" (") + (a_ran ? an : bn) + ": " +
					 KtapStatusName(a_ran ? a.status : b.status) + ")";
	}
	return c;
}

CaseComparison OneSided(const KtapResult &r, const std::string &who, const std::string &missing)
{
	return { r.suite, r.name, CaseAgreement::kDiffer,
		 "reported only under " + who + " (" + KtapStatusName(r.status) + "); " + missing +
			 " never reported this case" };
}

class ComparisonTest : public ::testing::Test {
    public:
	explicit ComparisonTest(CaseComparison c) : c_(std::move(c)) {}
	void TestBody() override
	{
		switch (c_.agreement) {
		case CaseAgreement::kSame:
			break;
		case CaseAgreement::kSkipped:
			GTEST_SKIP() << c_.explanation;
			break;
		case CaseAgreement::kDiffer:
			ADD_FAILURE() << "the hypervisors disagree on " << c_.suite << "." << c_.name
				      << "\n"
				      << c_.explanation;
			break;
		}
	}

    private:
	CaseComparison c_;
};

} // namespace

std::vector<CaseComparison> CompareKtap(const KtapRun &reference, const std::string &ref_name,
					const KtapRun &other, const std::string &other_name)
{
	std::map<std::string, const KtapResult *> by_key;
	std::map<std::string, bool> matched;
	std::vector<CaseComparison> out;

	for (const KtapResult &r : other.results)
		by_key[Key(r)] = &r;
	for (const KtapResult &r : reference.results) {
		auto it = by_key.find(Key(r));
		if (it == by_key.end()) {
			out.push_back(OneSided(r, ref_name, other_name));
			continue;
		}
		matched[it->first] = true;
		out.push_back(Compare(r, ref_name, *it->second, other_name));
	}
	for (const KtapResult &r : other.results)
		if (!matched.count(Key(r)))
			out.push_back(OneSided(r, other_name, ref_name));
	return out;
}

int RegisterComparisonTests(const std::string &prefix, const std::vector<CaseComparison> &cmp)
{
	for (const CaseComparison &c : cmp) {
		std::string suite = prefix + "." + c.suite;
		::testing::RegisterTest(suite.c_str(), c.name.c_str(), nullptr, nullptr, __FILE__,
					__LINE__, [c]() -> ::testing::Test * {
						return new ComparisonTest(c);
					});
	}
	return (int)cmp.size();
}

} // namespace gmm_test
