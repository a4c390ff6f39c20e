/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/version.h - which libgmm these headers describe, at compile time and at run time.
 *
 * The numbers follow semantic versioning. The shared library's SONAME carries the major number
 * (libgmm.so.0): while it is 0, nothing beyond the SONAME is promised from one version to the
 * next (docs/embedding.md, "What is stable"). A program compiled against these headers can
 * compare GMM_VERSION_* with what gmm_version() reports from the library it was loaded with.
 * tools/install.sh reads GMM_VERSION_STRING for the library's file name and gmm.pc's Version.
 */
#ifndef GMM_GMM_VERSION_H
#define GMM_GMM_VERSION_H

#define GMM_VERSION_MAJOR  0
#define GMM_VERSION_MINOR  1
#define GMM_VERSION_PATCH  0
#define GMM_VERSION_STRING "0.1.0"

/* A number that grows with every version, for #if: GMM_VERSION_NUMBER >= GMM_VERSION_AT(0, 1, 0) */
#define GMM_VERSION_AT(major, minor, patch) ((major)*10000 + (minor)*100 + (patch))
#define GMM_VERSION_NUMBER		    GMM_VERSION_AT(GMM_VERSION_MAJOR, GMM_VERSION_MINOR, GMM_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/**
 * gmm_version - the version of the libgmm this program runs with
 *
 * Return: GMM_VERSION_STRING of the library (not of the headers the caller was compiled
 * with), a static string. Never fails.
 */
const char *gmm_version(void);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_VERSION_H */
