// SPDX-License-Identifier: MIT
/*
 * vmm/devices/console.c - the host end of the guest's console: buffered, rate-limited output.
 *
 * The serial port (a byte per access) and the console port (a message per access) both write
 * here, so their output keeps the guest's order and shares one budget.
 *
 * Invariants: buf holds at most GMM_CONSOLE_BUF_SIZE bytes not yet written to out_fd; it is
 * written out when it fills, after a write that held a newline, and by gmm_console_flush().
 * A token bucket (GMM_CONSOLE_BURST bytes, refilled at GMM_CONSOLE_RATE per second) bounds what a
 * flooding guest can push to the host: bytes beyond it are dropped and counted, and one
 * notice marks where a flood starts. written + dropped is every byte the guest wrote.
 * A failed write to out_fd (the reader went away) drops output; the guest never notices.
 */
#define _GNU_SOURCE
#include <gmm/devices.h>

#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t console_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void gmm_console_init(struct gmm_console *c, int out_fd, uint64_t (*now_ns)(void))
{
	if (!c)
		return;
	memset(c, 0, sizeof(*c));
	c->out_fd = out_fd;
	c->now_ns = now_ns ? now_ns : console_clock;
	c->tokens = GMM_CONSOLE_BURST;
	c->last_ns = c->now_ns();
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return; /* the console is gone: drop, the guest must not notice */
		p += w;
		n -= (size_t)w;
	}
}

void gmm_console_flush(struct gmm_console *c)
{
	if (!c)
		return;
	if (c->buf_len)
		write_all(c->out_fd, c->buf, c->buf_len);
	c->buf_len = 0;
}

/* How many of @want bytes the budget allows now. */
static size_t console_take_tokens(struct gmm_console *c, size_t want)
{
	uint64_t now = c->now_ns();
	uint64_t refill = (now - c->last_ns) * GMM_CONSOLE_RATE / 1000000000ull;

	if (refill) {
		c->tokens = c->tokens + refill > GMM_CONSOLE_BURST ? GMM_CONSOLE_BURST :
								     c->tokens + refill;
		c->last_ns = now;
	}
	if (want > c->tokens)
		want = (size_t)c->tokens;
	c->tokens -= want;
	return want;
}

void gmm_console_write(struct gmm_console *c, const void *bytes, size_t len)
{
	static const char notice[] = "\n[gmm: console output rate-limited, dropping]\n";
	const char *p = bytes;
	size_t allowed;
	bool newline = false;

	if (!c || !bytes || !len)
		return;
	allowed = console_take_tokens(c, len);
	if (allowed)
		c->limited = false;
	c->written += allowed;
	while (allowed) {
		size_t n = GMM_CONSOLE_BUF_SIZE - c->buf_len;

		if (n > allowed)
			n = allowed;
		memcpy(c->buf + c->buf_len, p, n);
		newline =
			newline || memchr(c->buf + c->buf_len, '\n', n); /* the copy, not @bytes */
		c->buf_len += (uint32_t)n;
		p += n;
		allowed -= n;
		if (c->buf_len == GMM_CONSOLE_BUF_SIZE)
			gmm_console_flush(c);
	}
	if (newline)
		gmm_console_flush(c);
	if (p == (const char *)bytes + len)
		return;
	c->dropped += (uint64_t)((const char *)bytes + len - p);
	if (!c->limited) {
		c->limited = true;
		gmm_console_flush(c);
		write_all(c->out_fd, notice, sizeof(notice) - 1);
	}
}
