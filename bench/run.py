#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench/run.py - run every benchmark, print one table, write it to bench/RESULTS.md.

Usage: run.py [--quick] [--bin DIR] [--out FILE] [--check]

  --bin DIR  where the built programs are (bench/*_bench, vmm/gmm, guests/selftest.elf,
             tests/e2e/guests/hello.elf): bazel-bin, or the runfiles root in a test.
  --quick    the benchmarks' quick variants: checks the code runs, figures are not meaningful.
  --out FILE where the markdown table goes (default bench/RESULTS.md; "-" for none).
  --check    fail (exit 1) unless every row a benchmark that ran must give (its `expect`) is
             in the table and well-formed.

Data flow, kept in one place each:
  BENCHES       every benchmark program (one line each). A program prints machine-readable
                lines "BENCH <row> <median> <unit> min=<min> max=<max> [ns=<ns>]
                [peer=<name>:<median>]..." (bench/bench_util.h); every row it prints lands in
                the table, so adding a benchmark is one line here.
  parse_bench() the only parser of BENCH lines; ktap_to_bench() turns the in-guest suite's
                "# <case>: <row> Per elem: N cycles(tsc) X ns (... min A, max B)" diagnostics
                into BENCH lines first.
  TARGETS       the target of a row, and the published peer figure where no peer runs here.
"""
import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time

LOAD_AT_START = os.getloadavg()
QUICK_NOTE = "quick mode: few iterations, figures are not meaningful"


class Bench:
    """A benchmark program: argv (paths relative to --bin), how its output becomes BENCH lines."""

    def __init__(self, name, argv, expect, quick_argv=None, convert=None, needs_kvm=False,
                 timeout=1800):
        self.name, self.expect, self.needs_kvm = name, expect, needs_kvm
        self.argv = argv
        self.quick_argv = quick_argv if quick_argv is not None else argv + ["--quick"]
        self.convert = convert or (lambda text, prefix: text)
        self.timeout = timeout


class WallBench:
    """Wall time of whole program runs, measured here: gmm's argv and a peer's, alternating."""

    def __init__(self, name, row, ok_status, peer, peer_ok, argvs, runs):
        """argvs: {"full": (gmm argv, peer argv), "quick": (...)}; runs: {"full": N, ...}."""
        self.name, self.row, self.ok_status = name, row, ok_status
        self.expect, self.needs_kvm = [row], True
        self.peer, self.peer_ok = peer, peer_ok
        self.argvs, self.runs = argvs, runs
        self.timeout = 600


def ktap_to_bench(text, prefix):
    """'# case: ROW Per elem: N cycles(tsc) X ns (..., min A, max B)' -> BENCH lines."""
    out = []
    pat = re.compile(r"#\s*\S+:\s+(\S+)\s+Per elem:\s+(\d+) cycles\(tsc\)\s+(\d+) ns"
                     r".*min (\d+), max (\d+)")
    for line in text.splitlines():
        m = pat.search(line)
        if m:
            row, cyc, ns, lo, hi = m.groups()
            out.append("BENCH %s%s %s cycles min=%s max=%s ns=%s" % (prefix, row, cyc, lo, hi, ns))
    if not re.search(r"^ok \d+ bench", text, re.M):
        out.append("ERROR the bench suite did not pass")
    return "\n".join(out)


QEMU_MICROVM = ["qemu-system-x86_64", "-accel", "kvm", "-machine", "microvm", "-nodefaults",
                "-no-user-config", "-display", "none", "-m", "32M", "-device",
                "isa-debug-exit,iobase=0xf4,iosize=4"]
GMM_SELFTEST = ["{bin}/vmm/gmm", "run", "--mem", "32M", "--timeout", "300"]

# Every benchmark, in table order. {bin} is replaced by --bin.
# expect: the rows --check insists on (a benchmark may print more; all of them are tabled).
BENCHES = [
    Bench("page_alloc", ["{bin}/bench/page_alloc_bench"],
          ["page_alloc_order-0_pair", "page_alloc_order-3_pair"]),
    Bench("kmalloc", ["{bin}/bench/kmalloc_bench"],
          ["kmalloc_pair_16", "kmalloc_pair_64", "kmalloc_pair_4096", "kmalloc_mixed"]),
    Bench("vmalloc", ["{bin}/bench/vmalloc_bench"],
          ["vmalloc_16K+write+vfree_hosted", "vmalloc_16K+vfree_core", "vmalloc_16K_core"]),
    Bench("boot", ["{bin}/bench/boot_bench", "--gmm", "{bin}/vmm/gmm",
                   "--guest", "{bin}/tests/e2e/guests/hello.elf"],
          ["boot_exec_to_first_instruction_ms", "boot_exec_to_verdict_ms", "boot_exec_to_exit_ms",
           "boot_peak_rss_beyond_guest_kib", "boot_peak_rss_kib"], needs_kvm=True),
    # the same guest with the GMM page-state note: gmm also builds the buddy page state
    Bench("boot_page_state", ["{bin}/bench/boot_bench", "--gmm", "{bin}/vmm/gmm",
                              "--guest", "{bin}/tests/e2e/guests/hello_page_state.elf",
                              "--row-prefix", "boot_page_state"],
          ["boot_page_state_exec_to_exit_ms", "boot_page_state_peak_rss_beyond_guest_kib"],
          needs_kvm=True),
    # the same guest printing on COM1 only (a VM exit per byte), without gmm's console port
    Bench("boot_serial", ["{bin}/bench/boot_bench", "--gmm", "{bin}/vmm/gmm",
                          "--guest", "{bin}/tests/e2e/guests/hello.elf",
                          "--gmm-arg", "--no-console-port", "--row-prefix", "boot_serial"],
          ["boot_serial_exec_to_exit_ms"], needs_kvm=True),
    Bench("dma", ["{bin}/bench/dma_bench"],
          ["dma_sg_copy_1m", "dma_exits_per_sg_cmd", "dma_exits_per_edu_cmd"]),
    # The in-guest suite has no quick variant: it is short (a few hundred pairs per row).
    Bench("guest", ["{bin}/vmm/gmm", "run", "--mem", "32M", "--timeout", "300",
                    "--cmdline", "ktap.suites=bench", "{bin}/guests/selftest.elf"],
          ["guest_kmalloc-64", "guest_kmem_cache-200", "guest_alloc_pages-order0",
           "guest_alloc_pages-order3", "guest_vmalloc-16K"],
          quick_argv=[], convert=ktap_to_bench, needs_kvm=True),
    # exec -> every suite of the test guest done, gmm vs QEMU microvm (quick: one short suite).
    WallBench("suites", "boot_exec_to_all_suites_done_ms", 0, "qemu_microvm", 1, {
        "full": (GMM_SELFTEST + ["{bin}/guests/selftest.elf"],
                 QEMU_MICROVM + ["-kernel", "{bin}/guests/selftest.elf"]),
        "quick": (GMM_SELFTEST + ["--cmdline", "ktap.suites=gfp_context",
                                  "{bin}/guests/selftest.elf"],
                  QEMU_MICROVM + ["-append", "ktap.suites=gfp_context", "-kernel",
                                  "{bin}/guests/selftest.elf"])},
              runs={"full": 3, "quick": 1}),
]

GUEST_NOTE = "in-guest"
LINUX_PAGE = ("Linux page_bench01 order-0 pair (published)", 158, 207,
              "J. D. Brouer's page_bench01 (prototype-kernel), order-0 alloc_pages+__free_pages, "
              "published 158-207 cycles")
LINUX_SLUB = ("Linux SLUB kmalloc-64 pair (published, best)", 42, 42,
              "Linux SLUB fast path, kmalloc+kfree of 64 bytes: best published figure 42 cycles "
              "(issue 3)")
LINUX_VMALLOC = ("Linux test_vmalloc fix_size 16K (published)", 900, 1200,
                 "Linux lib/test_vmalloc.c fix_size_alloc_test, published 0.9-1.2 us per "
                 "vmalloc+vfree cycle on AMD Milan")


class Target:
    """Conditions a row must meet: (what, op, limit); what is 'value', 'ns' or a peer name
    (the ratio gmm/peer). published: (label, low, high, source) when no peer runs here."""

    def __init__(self, conds, text, published=None, published_unit=None):
        self.conds, self.text = conds, text
        self.published, self.published_unit = published, published_unit


TARGETS = {
    "page_alloc_order-0_pair": Target([("value", "<=", 100)], "<= 100 cycles",
                                      LINUX_PAGE),
    "kmalloc_pair_64": Target([("value", "<=", 40)], "<= 40 cycles", LINUX_SLUB),
    "kmalloc_mixed": Target([("mimalloc", "<=", 1.0)], "as fast as mimalloc (ratio <= 1)"),
    "vmalloc_16K+vfree_core": Target([("ns", "<=", 1000)], "<= 1 us", LINUX_VMALLOC, "ns"),
    "vmalloc_16K_core": Target([("kmalloc", ">=", 1.0)],
                               "kmalloc faster than vmalloc (ratio >= 1)"),
    "boot_exec_to_exit_ms": Target([("value", "<=", 3.0), ("qemu_microvm", "<=", 0.05)],
                                   "<= 3 ms, ratio <= 0.05"),
    "boot_peak_rss_beyond_guest_kib": Target([("value", "<=", 3072),
                                              ("qemu_microvm", "<=", 0.08)],
                                             "<= 3 MiB, ratio <= 0.08"),
    "dma_sg_copy_1m": Target([("memcpy", ">=", 0.5)], ">= 50% of memcpy (ratio >= 0.5)"),
    "dma_sg_copy_64m": Target([("memcpy", ">=", 0.5)], ">= 50% of memcpy (ratio >= 0.5)"),
    "guest_alloc_pages-order0": Target([("value", "<=", 100)], "<= 100 cycles", LINUX_PAGE),
    "guest_kmalloc-64": Target([("value", "<=", 40)], "<= 40 cycles", LINUX_SLUB),
    "guest_vmalloc-16K": Target([("ns", "<=", 1000)], "<= 1 us", LINUX_VMALLOC, "ns"),
}

# Footnotes for rows whose figure needs a word on how it is made.
NOTES = {
    "boot_exec_to_first_instruction_ms":
        "the minimal guest: exec -> the end of its run (gmm --stats ended_mono_us) minus the "
        "run itself (run_us): fork, exec, loading, VM creation and loading the image.",
    "boot_exec_to_exit_ms":
        "tests/e2e/guests/hello.elf, which carries no GMM page-state note, so gmm builds no "
        "buddy page state for it (include/abi/elf_note.h); boot_page_state_* is the same guest "
        "with the note (gmm writes 1 MiB of page state per 128 MiB of RAM). Under gmm the guest "
        "prints its three lines through gmm's console port (include/abi/console_port.h, a VM "
        "exit per line); boot_serial_* is the same run with gmm --no-console-port, the guest "
        "printing on COM1 (a VM exit per byte). Under QEMU it prints one line on COM1.",
    "boot_peak_rss_beyond_guest_kib":
        "peak RSS of the VMM process minus the guest RAM resident at exit (gmm); QEMU's whole "
        "peak RSS (its guest touches well under 0.1 MiB).",
    "dma_exits_per_sg_cmd":
        "register accesses of one scatter-gather command, each a VM exit (bench/dma_bench.c "
        "drives the device model with the guest driver's register sequence).",
    "boot_exec_to_all_suites_done_ms":
        "the whole test guest (every KTAP suite, 32 MiB) under gmm and under QEMU microvm (PVH "
        "entry), wall time of each run, measured by bench/run.py; both are emulated here (see ¹).",
}

BENCH_RE = re.compile(r"^BENCH (\S+) (-?[0-9.]+) (\S+)((?: \S+=\S+)*)\s*$")


def parse_bench(text, source):
    """BENCH lines of @text -> list of row dicts. The only parser of the format."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("BENCH "):
            continue
        m = BENCH_RE.match(line)
        if not m:
            raise ValueError("malformed BENCH line from %s: %r" % (source, line))
        row = {"row": m.group(1), "value": float(m.group(2)), "unit": m.group(3),
               "source": source, "peers": []}
        for kv in m.group(4).split():
            key, val = kv.split("=", 1)
            if key == "peer":
                name, pval = val.rsplit(":", 1)
                row["peers"].append((name, float(pval)))
            else:
                row[key] = float(val)
        rows.append(row)
    return rows


def expand(argv, bindir):
    return [a.replace("{bin}", bindir) for a in argv]


def run_program(bench, argv):
    t0 = time.monotonic()
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=bench.timeout)
    except FileNotFoundError as e:
        return 127, "", str(e), time.monotonic() - t0
    except subprocess.TimeoutExpired:
        return -1, "", "timeout after %d s" % bench.timeout, time.monotonic() - t0
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def bench_line(row, vals, unit, peer=None, peer_vals=None):
    """Median/min/max of @vals as a BENCH line (the same format as bench_util.h)."""
    vals = sorted(vals)
    line = "BENCH %s %.3f %s min=%.3f max=%.3f" % (row, vals[len(vals) // 2], unit, vals[0],
                                                  vals[-1])
    if peer_vals:
        line += " peer=%s:%.3f" % (peer, sorted(peer_vals)[len(peer_vals) // 2])
    return line


def run_wall(bench, bindir, quick, log):
    mode = "quick" if quick else "full"
    gmm_argv, peer_argv = bench.argvs[mode]
    mine, theirs, errors = [], [], []
    have_peer = subprocess.run(["sh", "-c", "command -v " + peer_argv[0]],
                               stdout=subprocess.DEVNULL).returncode == 0
    for i in range(bench.runs[mode]):
        for argv, ok, vals in ((gmm_argv, bench.ok_status, mine),
                               (peer_argv, bench.peer_ok, theirs)):
            if vals is theirs and not have_peer:
                continue
            status, _, err, secs = run_program(bench, expand(argv, bindir))
            log("  %s run %d: status %d, %.1f s" % (argv[0].split("/")[-1], i, status, secs))
            if status != ok:
                errors.append("%s: status %d (want %d) %s" % (argv[0], status, ok, err[-300:]))
            vals.append(secs * 1000.0)
    if errors:
        return "\n".join("ERROR " + e for e in errors)
    return bench_line(bench.row, mine, "ms", bench.peer, theirs)


def kvm_unusable():
    """Why /dev/kvm cannot be used, or None."""
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError as e:
        return "/dev/kvm: %s" % e.strerror
    return None


def collect(bindir, quick, log):
    """Run BENCHES; return (rows, skipped, errors); skipped: [(bench, reason)]."""
    rows, skipped, errors = [], [], []
    no_kvm = kvm_unusable()
    for bench in BENCHES:
        log("== %s" % bench.name)
        if bench.needs_kvm and no_kvm:
            skipped.append((bench, no_kvm))
            log("  SKIP: " + no_kvm)
            continue
        if isinstance(bench, WallBench):
            text = run_wall(bench, bindir, quick, log)
        else:
            argv = expand(bench.quick_argv if quick and bench.quick_argv else bench.argv, bindir)
            status, out, err, secs = run_program(bench, argv)
            log("  %s: status %d, %.1f s" % (" ".join(argv), status, secs))
            if status != 0:
                errors.append("%s: exit status %d: %s" % (bench.name, status, err[-500:]))
            if out.startswith("SKIP"):
                errors.append("%s: %s" % (bench.name, out.strip()))
            text = bench.convert(out, bench.name + "_" if bench.convert is ktap_to_bench else "")
        for line in text.splitlines():
            if line.startswith("ERROR "):
                errors.append("%s: %s" % (bench.name, line[6:]))
        try:
            rows += parse_bench(text, bench.name)
        except ValueError as e:
            errors.append(str(e))
    return rows, skipped, errors


def fmt(v):
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.3g" % v  # three significant digits: a ratio of 0.0546 must not read as 0.05


def judge(row):
    """-> (peer cell, ratio cell, target cell, met cell) for one row."""
    t = TARGETS.get(row["row"])
    peers = list(row["peers"])
    peer_cells, ratio_cells = [], []
    for name, val in peers:
        peer_cells.append("%s %s" % (name, fmt(val)))
        ratio_cells.append(fmt(row["value"] / val) if val else "-")
    if t and t.published:
        label, low, high, _ = t.published
        base = row.get("ns", row["value"]) if t.published_unit == "ns" else row["value"]
        unit = t.published_unit or row["unit"]
        rng = ("%g" % low) if low == high else "%g-%g" % (low, high)
        peer_cells.append("%s: %s %s ²" % (label, rng, unit))
        ratio_cells.append("%s (vs %g)" % (fmt(base / low), low))
    if not t:
        return " · ".join(peer_cells) or "-", " · ".join(ratio_cells) or "-", "-", "-"
    met = True
    for what, op, limit in t.conds:
        if what == "value":
            v = row["value"]
        elif what == "ns":
            v = row.get("ns")
        else:
            pv = dict(peers).get(what)
            v = row["value"] / pv if pv else None
        if v is None or not (v <= limit if op == "<=" else v >= limit):
            met = False
    return " · ".join(peer_cells), " · ".join(ratio_cells), t.text, "yes" if met else "**no**"


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    uname = platform.uname()
    kvm = "kvm_pvm" if os.path.exists("/sys/module/kvm_pvm") else "kvm"
    return cpu, os.cpu_count(), "%s %s" % (uname.release, uname.version), kvm


def table(rows, quick, skipped, errors):
    cpu, ncpu, kernel, kvm = machine()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        commit = ""
    out = ["# gmm benchmark results", "",
           "Produced by `tools/bench.sh%s` (bench/run.py) on %s%s." % (
               " --quick" if quick else "", now, ", commit " + commit if commit else ""),
           "", "- CPU: %s (%d CPUs)" % (cpu, ncpu), "- host kernel: %s (%s module)" % (kernel, kvm),
           "- load average when the run started: %.2f %.2f %.2f (other work on the machine "
           "shows as spread between min and max)" % LOAD_AT_START,
           "- every figure: median of several runs [min-max]; ratio = gmm / peer (for times and "
           "sizes below 1 means gmm is faster or smaller, for bandwidth above 1 means gmm is "
           "faster); peers without a note were measured in the same run", ""]
    if quick:
        out += ["**%s.**" % QUICK_NOTE, ""]
    out += ["| row | gmm: median [min-max] | peer | ratio | target | met |",
            "|---|---|---|---|---|---|"]
    guest, notes = False, []
    for r in rows:
        name = r["row"]
        if r["source"] == "guest":
            name += " ¹"
            guest = True
        if r["row"] in NOTES:
            notes.append(r["row"])
            name += " %d)" % len(notes)
        fig = "%s %s" % (fmt(r["value"]), r["unit"])
        if "min" in r:
            fig += " [%s-%s]" % (fmt(r["min"]), fmt(r.get("max", r["value"])))
        if "ns" in r and r["unit"] == "cycles":
            fig += " = %s ns" % fmt(r["ns"])
        peer, ratio, target, met = judge(r)
        out.append("| %s | %s | %s | %s | %s | %s |" % (name, fig, peer, ratio, target, met))
    out.append("")
    if guest:
        out.append("¹ Measured inside the test guest under gmm. This host's KVM is %s, which runs "
                   "only PVM guests natively and executes an ordinary guest like ours by "
                   "instruction emulation (a 2-instruction loop costs ~5,000 cycles), so "
                   "in-guest figures are ~10^3-10^4 times what the same code costs on hardware "
                   "virtualisation. They are reported as measured and their targets are not met "
                   "here; the hosted rows above run the same mm/ core natively." % kvm)
    for i, n in enumerate(notes):
        out += ["", "%d) %s: %s" % (i + 1, n, NOTES[n])]
    srcs = {t.published[0]: t.published[3] for t in TARGETS.values() if t.published}
    out.append("")
    out.append("² Published figures, not run here: " + "; ".join(
        "%s: %s" % (k, v) for k, v in srcs.items()) + ".")
    for bench, why in skipped:
        out.append("\nNot run: %s (%s)." % (bench.name, why))
    if errors:
        out += ["", "Errors:", ""] + ["- " + e.replace("\n", " ") for e in errors]
    return "\n".join(out) + "\n"


def check(rows, skipped, text):
    """Every expected row of every benchmark run present once; every table line has 6 cells."""
    problems = []
    names = [r["row"] for r in rows]
    ran = [b for b in BENCHES if b not in [s[0] for s in skipped]]
    for want in [row for b in ran for row in b.expect]:
        if names.count(want) != 1:
            problems.append("row %s appears %d times" % (want, names.count(want)))
    for line in text.splitlines():
        if line.startswith("|") and len(line.strip().strip("|").split("|")) != 6:
            problems.append("malformed table line: " + line)
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--bin", default="bazel-bin")
    ap.add_argument("--out", default="bench/RESULTS.md")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    bindir = os.path.abspath(args.bin)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    rows, skipped, errors = collect(bindir, args.quick, log)
    text = table(rows, args.quick, skipped, errors)
    print(text)
    if args.out != "-":
        with open(args.out, "w") as f:
            f.write(text)
    problems = check(rows, skipped, text) if args.check else []
    for p in problems:
        log("CHECK: " + p)
    return 1 if errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())
