// SPDX-License-Identifier: MIT
// tests/fd_text.h - everything a file descriptor holds from an offset on, as a string: how the
// tests read what a guest or a device wrote into a memfd or temp file standing in for a
// console. pread() leaves the file offset alone, so the writer can go on appending.
#ifndef GMM_TESTS_FD_TEXT_H
#define GMM_TESTS_FD_TEXT_H

#include <sys/types.h>
#include <unistd.h>

#include <string>

inline std::string FdText(int fd, off_t from = 0)
{
	std::string s;
	char buf[65536];
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), from + (off_t)s.size())) > 0)
		s.append(buf, (size_t)n);
	return s;
}

#endif // GMM_TESTS_FD_TEXT_H
