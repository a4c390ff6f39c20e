/* SPDX-License-Identifier: MIT */
/*
 * guests/kernel/kernel.h - what the guest kernel's files share: printk, formatting, the
 * string functions, the exit port, and the boot entry points.
 */
#ifndef GMM_GUESTS_KERNEL_KERNEL_H
#define GMM_GUESTS_KERNEL_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bootinfo;

/* string.c */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);

/* vsprintf.c: %d %i %u %x %X %o %p %s %c %%, flags - 0 # +, width, .precision, h hh l ll z t */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* printk.c: to the console; the capture lets tests see what was reported */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);
void printk_capture_start(void);
const char *printk_capture_text(void);
void printk_capture_stop(void);

/* console.c: gmm's console port if the boot info (may be NULL) lists one, else serial.c */
struct bootinfo;
void console_init(const struct bootinfo *bi);
void console_write(const char *s, size_t n);

/* serial.c: the 16550 at @base */
void serial_init(uint16_t base);
void serial_write(const char *s, size_t n);

/* exit.c: end the run; gmm's exit status (QEMU's isa-debug-exit: code * 2 + 1) */
#define GUEST_EXIT_PORT 0xf4
#define GUEST_VERDICT_PASS 0
#define GUEST_VERDICT_FAIL 1
#define GUEST_VERDICT_PANIC 2
__attribute__((noreturn)) void guest_exit(uint32_t verdict);
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* main.c: where both entry paths meet */
__attribute__((noreturn)) void kernel_main(const struct bootinfo *bi);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* GMM_GUESTS_KERNEL_KERNEL_H */
