// SPDX-License-Identifier: MIT
/*
 * tests/libvirt/ktap_compare.h - the same guest's KTAP results under two hypervisors, case by case.
 *
 * CompareKtap() pairs the cases of a reference run (gmm) and another run (QEMU) by
 * "<suite>.<case>" and gives each pair one verdict:
 *
 *   both ran (ok / not ok)     kSame if the verdicts agree, else kDiffer
 *   one side SKIPped           kSkipped if it gave a reason (a case that needs the other
 *                              hypervisor's features, e.g. gmm's extension under QEMU), else
 *                              kDiffer: a SKIP must say why
 *   reported by one side only  kDiffer (the other run died or selected other suites)
 *
 * The order is the reference run's, then cases only the other run reported.
 */
#ifndef GMM_TESTS_LIBVIRT_KTAP_COMPARE_H
#define GMM_TESTS_LIBVIRT_KTAP_COMPARE_H

#include <string>
#include <vector>

#include "tests/e2e/ktap_parser.h"

namespace gmm_test {

enum class CaseAgreement { kSame, kSkipped, kDiffer };

struct CaseComparison {
	std::string suite;
	std::string name;
	CaseAgreement agreement;
	std::string explanation; // both verdicts, the skip reason, and the diagnostics that differ
};

std::vector<CaseComparison> CompareKtap(const KtapRun &reference, const std::string &ref_name,
					const KtapRun &other, const std::string &other_name);

// Register one GoogleTest test "<prefix>.<suite>.<case>" per comparison; returns how many.
int RegisterComparisonTests(const std::string &prefix, const std::vector<CaseComparison> &cmp);

const char *KtapStatusName(KtapStatus s);

} // namespace gmm_test

#endif // GMM_TESTS_LIBVIRT_KTAP_COMPARE_H
