// SPDX-License-Identifier: MIT
// tests/e2e/ktap_parser.cc - see ktap_parser.h.
#include "tests/e2e/ktap_parser.h"

#include <cstdio>
#include <sstream>

namespace gmm_test {
namespace {

bool StartsWith(const std::string &s, const std::string &p)
{
	return s.compare(0, p.size(), p) == 0;
}

// "ok 3 name # SKIP why" / "not ok 2 name": status, name, directive.
bool ParseResult(const std::string &line, KtapStatus *status, std::string *name,
		 std::string *directive)
{
	std::string rest;
	if (StartsWith(line, "ok ")) {
		*status = KtapStatus::kPass;
		rest = line.substr(3);
	} else if (StartsWith(line, "not ok ")) {
		*status = KtapStatus::kFail;
		rest = line.substr(7);
	} else {
		return false;
	}
	size_t sp = rest.find(' ');
	if (sp == std::string::npos)
		return false;
	for (size_t i = 0; i < sp; i++)
		if (rest[i] < '0' || rest[i] > '9')
			return false;
	rest = rest.substr(sp + 1);
	size_t hash = rest.find(" # ");
	directive->clear();
	if (hash != std::string::npos) {
		std::string d = rest.substr(hash + 3);
		rest = rest.substr(0, hash);
		if (StartsWith(d, "SKIP")) {
			if (*status == KtapStatus::kPass)
				*status = KtapStatus::kSkip;
			*directive = d.size() > 5 ? d.substr(5) : "";
		} else {
			*directive = d;
		}
	}
	*name = rest;
	return true;
}

// "# Totals: pass:P fail:F skip:S total:T" (after the prefix "# Totals: ").
bool ParseCounts(const std::string &s, KtapCounts *c)
{
	return sscanf(s.c_str(), "pass:%d fail:%d skip:%d total:%d", &c->pass, &c->fail, &c->skip,
		      &c->total) == 4;
}

} // namespace

KtapCounts CountResults(const KtapRun &run)
{
	KtapCounts c;

	for (const auto &r : run.results) {
		c.pass += r.status == KtapStatus::kPass;
		c.fail += r.status == KtapStatus::kFail;
		c.skip += r.status == KtapStatus::kSkip;
		c.total++;
	}
	return c;
}

KtapRun ParseKtap(const std::string &console)
{
	KtapRun run;
	std::istringstream in(console);
	std::string raw, suite, pending;
	bool in_suite = false;
	int cases_done = 0, cases_planned = -1;

	while (std::getline(in, raw)) {
		if (!raw.empty() && raw.back() == '\r')
			raw.pop_back();
		bool nested = StartsWith(raw, "    ");
		std::string line = nested ? raw.substr(4) : raw;
		KtapStatus status;
		std::string name, directive;

		if (line == "KTAP version 1") {
			if (!nested)
				run.saw_version = true;
			continue;
		}
		if (!nested && StartsWith(line, "1..") && run.planned_suites < 0) {
			run.planned_suites = std::stoi(line.substr(3));
			continue;
		}
		if (nested && StartsWith(line, "# Subtest: ")) {
			suite = line.substr(11);
			in_suite = true;
			cases_done = 0;
			cases_planned = -1;
			pending.clear();
			continue;
		}
		if (nested && in_suite && StartsWith(line, "1..")) {
			cases_planned = std::stoi(line.substr(3));
			continue;
		}
		if (nested && in_suite && ParseResult(line, &status, &name, &directive)) {
			run.results.push_back({ suite, name, status, directive, pending });
			pending.clear();
			cases_done++;
			continue;
		}
		if (!nested && ParseResult(line, &status, &name, &directive)) {
			if (status == KtapStatus::kFail)
				run.suites_failed.push_back(name);
			else if (status == KtapStatus::kSkip)
				run.suites_skipped.push_back(name);
			if (in_suite && name == suite && cases_planned >= 0 &&
			    cases_done < cases_planned)
				run.results.push_back({ suite, "<incomplete>", KtapStatus::kFail, "",
							pending + "only " + std::to_string(cases_done) +
								" of " + std::to_string(cases_planned) +
								" cases reported\n" });
			in_suite = false;
			pending.clear();
			continue;
		}
		if (!nested && StartsWith(line, "# Totals: ")) {
			run.saw_totals = ParseCounts(line.substr(10), &run.totals);
			continue;
		}
		if (!nested && in_suite && StartsWith(line, "# " + suite + ": expected reports: ")) {
			run.expected_reports += std::stoi(line.substr(suite.size() + 22));
			continue;
		}
		if (nested && StartsWith(line, "# expect (on gmm's stderr): "))
			run.host_expectations.push_back(line.substr(28));
		if (in_suite)
			pending += raw + "\n";
	}
	if (in_suite) // the guest stopped in the middle of a suite
		run.results.push_back({ suite, "<incomplete>", KtapStatus::kFail, "",
					pending + "the output ends inside the suite after " +
						std::to_string(cases_done) + " cases\n" });
	return run;
}

} // namespace gmm_test
