// SPDX-License-Identifier: MIT
/*
 * vmm/version.c - gmm_version(): the library's own version, compiled in from gmm/version.h,
 * so a program can tell which libgmm.so it was loaded with (the headers it was compiled with
 * say GMM_VERSION_STRING).
 */
#include <gmm/version.h>

const char *gmm_version(void)
{
	return GMM_VERSION_STRING;
}
