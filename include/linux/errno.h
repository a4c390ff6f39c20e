/* SPDX-License-Identifier: MIT */
/* include/linux/errno.h - the error numbers the core returns (negated), with Linux's values. */
#ifndef GMM_LINUX_ERRNO_H
#define GMM_LINUX_ERRNO_H

/*
 * Hosted builds also see the system's <linux/errno.h> (libc's <errno.h> includes it), which
 * this file shadows: pull it in so both agree. The values are Linux's either way.
 */
#if defined(__has_include_next)
#if __has_include_next(<linux/errno.h>)
#include_next <linux/errno.h>
#endif
#endif

#ifndef EPERM
#define EPERM 1
#define ENOENT 2
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENOSYS 38
#define EOVERFLOW 75
#define ETIMEDOUT 110
#endif
#ifndef EUCLEAN
#define EUCLEAN 117 /* "Structure needs cleaning": an inconsistent page state */
#endif

#endif /* GMM_LINUX_ERRNO_H */
