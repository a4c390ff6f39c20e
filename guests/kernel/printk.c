// SPDX-License-Identifier: MIT
/*
 * guests/kernel/printk.c - printk to the console (console.c), with a capture buffer for tests.
 *
 * A test that wants to see what the kernel reported (a "BUG: ..." line from the allocator)
 * starts a capture, provokes it, and reads printk_capture_text(). The capture keeps the first
 * 8 KiB; output always reaches the console as well. Interrupts are off while a line is
 * formatted and written, so lines from an interrupt handler do not tear other lines.
 *
 * Every line printed is also handed to ktap_console_line(), which counts kernel reports
 * ("BUG: ...") against what the running test case announced; `at_line_start` says whether the
 * next printk begins a line (a printk may print part of a line, or several lines).
 */
#include "guests/arch/x86/processor.h"
#include "guests/kernel/kernel.h"
#include "guests/kernel/ktap.h"

static char capture[8192];
static size_t capture_len;
static bool capturing;
static bool at_line_start = true;

static void report_lines(const char *text, size_t len)
{
	const char *end = text + len, *nl;

	while (text < end) {
		for (nl = text; nl < end && *nl != '\n'; nl++)
			;
		if (at_line_start)
			ktap_console_line(text, (size_t)(nl - text));
		at_line_start = nl < end;
		text = nl < end ? nl + 1 : end;
	}
}

int vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	unsigned long flags = native_save_fl();
	int n;

	local_irq_disable();
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	console_write(line, (size_t)n);
	report_lines(line, (size_t)n);
	if (capturing && capture_len + (size_t)n < sizeof(capture)) {
		memcpy(capture + capture_len, line, (size_t)n);
		capture_len += (size_t)n;
		capture[capture_len] = '\0';
	}
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void printk_capture_start(void)
{
	capture_len = 0;
	capture[0] = '\0';
	capturing = true;
}

const char *printk_capture_text(void)
{
	return capture;
}

void printk_capture_stop(void)
{
	capturing = false;
}
