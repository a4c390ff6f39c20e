// SPDX-License-Identifier: MIT
/*
 * vmm/guest_mem.c - guest RAM: one memfd, one reserved host range, guard pages, memslots.
 *
 * Host address space of one struct gmm_mem (G = a PROT_NONE page):
 *
 *   reserve                base = reserve + PAGE_SIZE
 *   | G | region 0 | hole (PROT_NONE) | region 1 | hole ... | region n-1 | G |
 *
 * Invariants: regions are sorted, disjoint and never adjacent (a hole separates them), so each
 * has a PROT_NONE page on both sides; region i is mapped MAP_SHARED from the memfd at file
 * offset regions[i].gpa, hence host == base + gpa everywhere. Range checks are done in
 * guest-physical addresses with overflow-checked arithmetic before a host pointer is formed.
 * The whole reservation is MADV_DONTDUMP from creation: a core dump of the VMM carries no guest
 * memory unless gmm_mem_set_dumpable() puts it back (gmm --dump-guest-memory).
 */
#define _GNU_SOURCE
#include <gmm/guest_mem.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE /* Linux 5.14; musl 1.2.3's headers (the gmm program) lack it */
#define MADV_POPULATE_WRITE 23
#endif

#include <abi/page_state.h>

#include "vmm/layout.h"
#include "vmm/read_once.h"

int gmm_mem_layout(uint64_t ram_bytes, struct gmm_mem_region *regions)
{
	uint64_t left, low_end;
	int n = 0;

	ram_bytes &= PAGE_MASK;
	if (!regions || ram_bytes < GMM_MEM_MIN_RAM || ram_bytes > GMM_MEM_MAX_RAM)
		return -EINVAL;
	memset(regions, 0, sizeof(*regions) * GMM_MEM_MAX_REGIONS);

	/* [0, legacy hole): conventional memory */
	regions[n].gpa = 0;
	regions[n].size = GUEST_LEGACY_HOLE_START;
	left = ram_bytes - regions[n++].size;

	/* [1 MiB, PCI hole) */
	low_end = GUEST_LEGACY_HOLE_END + left;
	if (low_end > GUEST_PCI_HOLE_START)
		low_end = GUEST_PCI_HOLE_START;
	regions[n].gpa = GUEST_LEGACY_HOLE_END;
	regions[n].size = low_end - GUEST_LEGACY_HOLE_END;
	left -= regions[n++].size;

	/* the rest above 4 GiB */
	if (left) {
		regions[n].gpa = GUEST_HIGH_RAM_START;
		regions[n].size = left;
		n++;
	}
	return n;
}

int gmm_mem_create(struct gmm_mem *gm, uint64_t ram_bytes, enum gmm_mem_backing backing)
{
	struct gmm_mem_region regions[GMM_MEM_MAX_REGIONS];
	unsigned int i;
	int n, err;

	if (!gm)
		return -EINVAL;
	memset(gm, 0, sizeof(*gm));
	gm->memfd = -1;
	n = gmm_mem_layout(ram_bytes, regions);
	if (n < 0)
		return n;
	gm->end = regions[n - 1].gpa + regions[n - 1].size;

	gm->memfd = memfd_create("gmm-guest-ram", MFD_CLOEXEC);
	if (gm->memfd < 0)
		return -errno;
	if (ftruncate(gm->memfd, (off_t)gm->end) < 0) {
		err = -errno;
		goto err_close_memfd;
	}

	/* One reservation: a guard page, [0, end), a guard page. Holes stay PROT_NONE. */
	gm->reserve_len = gm->end + 2 * PAGE_SIZE;
	gm->reserve = mmap(NULL, gm->reserve_len, PROT_NONE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (gm->reserve == MAP_FAILED) {
		err = -errno;
		gm->reserve = NULL;
		goto err_close_memfd;
	}
	gm->base = gm->reserve + PAGE_SIZE;

	for (i = 0; i < (unsigned int)n; i++) {
		uint8_t *host = gm->base + regions[i].gpa;
		void *p = mmap(host, regions[i].size, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_FIXED, gm->memfd, (off_t)regions[i].gpa);

		if (p == MAP_FAILED) {
			err = -errno;
			goto err_unmap;
		}
		if (backing == GMM_MEM_BACKING_THP)
			madvise(host, regions[i].size, MADV_HUGEPAGE);
		regions[i].host = host;
		gm->regions[i] = regions[i];
		gm->ram_bytes += regions[i].size;
	}
	gm->nr_regions = (unsigned int)n;
	/* guest RAM stays out of core dumps unless the VMM asks (gmm_mem_set_dumpable()) */
	gmm_mem_set_dumpable(gm, false);
	return 0;

err_unmap:
	munmap(gm->reserve, gm->reserve_len);
	gm->reserve = NULL;
	gm->base = NULL;
err_close_memfd:
	close(gm->memfd);
	gm->memfd = -1;
	return err;
}

int gmm_mem_set_dumpable(const struct gmm_mem *gm, bool dumpable)
{
	if (!gm || !gm->reserve)
		return -EINVAL;
	if (madvise(gm->reserve, gm->reserve_len, dumpable ? MADV_DODUMP : MADV_DONTDUMP) < 0)
		return -errno;
	return 0;
}

static void *prefault_thread(void *p)
{
	struct gmm_mem *gm = p;

	/* one call instead of a page fault per page; without it (old kernels) nothing happens */
	madvise(gm->prefault_addr, gm->prefault_len, MADV_POPULATE_WRITE);
	return NULL;
}

int gmm_mem_prefault_start(struct gmm_mem *gm, uint64_t gpa, uint64_t len)
{
	void *p = gmm_mem_ptr(gm, gpa, len);
	int ret;

	if (!gm)
		return -EINVAL;
	if (!p)
		return -EFAULT;
	if (gm->prefault_pending)
		return -EBUSY;
	gm->prefault_addr = p;
	gm->prefault_len = len;
	ret = pthread_create(&gm->prefault_thread, NULL, prefault_thread, gm);
	if (ret)
		return -ret;
	gm->prefault_pending = true;
	return 0;
}

void gmm_mem_prefault_wait(struct gmm_mem *gm)
{
	if (!gm)
		return;
	if (gm->prefault_pending)
		pthread_join(gm->prefault_thread, NULL);
	gm->prefault_pending = false;
}

void gmm_mem_destroy(struct gmm_mem *gm)
{
	if (!gm)
		return;
	gmm_mem_prefault_wait(gm);
	if (gm->reserve)
		munmap(gm->reserve, gm->reserve_len);
	if (gm->memfd >= 0)
		close(gm->memfd);
	memset(gm, 0, sizeof(*gm));
	gm->memfd = -1;
}

int gmm_mem_register(const struct gmm_mem *gm, int vm_fd)
{
	unsigned int i;

	if (!gm || vm_fd < 0)
		return -EINVAL;
	for (i = 0; i < gm->nr_regions; i++) {
		struct kvm_userspace_memory_region r = {
			.slot = i,
			.guest_phys_addr = gm->regions[i].gpa,
			.memory_size = gm->regions[i].size,
			.userspace_addr = (uintptr_t)gm->regions[i].host,
		};

		if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
			return -errno;
	}
	return 0;
}

const struct gmm_mem_region *gmm_mem_region_of(const struct gmm_mem *gm, uint64_t gpa, uint64_t len)
{
	uint64_t last;
	unsigned int i;

	if (!gm || len == 0 || __builtin_add_overflow(gpa, len - 1, &last))
		return NULL;
	for (i = 0; i < gm->nr_regions; i++) {
		const struct gmm_mem_region *r = &gm->regions[i];

		/* region sizes are >= 1 page, so r->gpa + r->size - 1 cannot wrap */
		if (gpa >= r->gpa && last <= r->gpa + (r->size - 1))
			return r;
	}
	return NULL;
}

bool gmm_mem_is_ram(const struct gmm_mem *gm, uint64_t gpa, uint64_t len)
{
	return gmm_mem_region_of(gm, gpa, len) != NULL;
}

void *gmm_mem_ptr(const struct gmm_mem *gm, uint64_t gpa, uint64_t len)
{
	const struct gmm_mem_region *r = gmm_mem_region_of(gm, gpa, len);

	return r ? r->host + (gpa - r->gpa) : NULL;
}

int gmm_mem_read(const struct gmm_mem *gm, uint64_t gpa, void *buf, size_t len)
{
	const void *p;

	if (!gm || (!buf && len))
		return -EINVAL;
	if (len == 0)
		return 0;
	p = gmm_mem_ptr(gm, gpa, len);
	if (!p)
		return -EFAULT;
	copy_once(buf, p, len); /* the caller validates and uses @buf only */
	return 0;
}

int gmm_mem_write(const struct gmm_mem *gm, uint64_t gpa, const void *buf, size_t len)
{
	void *p;

	if (!gm || (!buf && len))
		return -EINVAL;
	if (len == 0)
		return 0;
	p = gmm_mem_ptr(gm, gpa, len);
	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

int gmm_mem_copy(const struct gmm_mem *gm, uint64_t dst, uint64_t src, size_t len)
{
	void *d, *s;

	if (!gm)
		return -EINVAL;
	if (len == 0)
		return 0;
	d = gmm_mem_ptr(gm, dst, len);
	s = gmm_mem_ptr(gm, src, len);
	if (!d || !s)
		return -EFAULT;
	memmove(d, s, len);
	return 0;
}

uint64_t gmm_mem_resident_bytes(const struct gmm_mem *gm)
{
	struct stat st;

	/* shmem allocates a page on first touch and gmm never punches holes: the file's
	 * allocated blocks are exactly the guest RAM ever touched (O(1), unlike mincore) */
	if (!gm || fstat(gm->memfd, &st) < 0)
		return 0;
	return (uint64_t)st.st_blocks * 512;
}
