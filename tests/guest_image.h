// SPDX-License-Identifier: MIT
// tests/guest_image.h - the bytes of a small test guest (tests/e2e/guests/NAME.elf, a data
// dependency of the test), read as gmm reads a kernel image: whole, once. Empty if missing.
#ifndef GMM_TESTS_GUEST_IMAGE_H
#define GMM_TESTS_GUEST_IMAGE_H

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

inline std::vector<uint8_t> ReadGuest(const char *name)
{
	std::ifstream f(std::string("tests/e2e/guests/") + name + ".elf", std::ios::binary);
	return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)),
				    std::istreambuf_iterator<char>());
}

#endif // GMM_TESTS_GUEST_IMAGE_H
