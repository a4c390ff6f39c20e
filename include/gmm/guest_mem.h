/* SPDX-License-Identifier: MIT */
/*
 * include/gmm/guest_mem.h - guest RAM: layout, host mapping, KVM memslots, bounds-checked access.
 *
 * Guest RAM is one memfd whose file offset is the guest-physical address (holes are never
 * touched, so they cost nothing). The host maps it in one reserved address range, the linear
 * view: host = base + gpa for every RAM byte. Everything in that range that is not RAM (the
 * page before gpa 0, the legacy and PCI holes, the page after the end) is PROT_NONE, so every
 * region has an inaccessible guard page on both sides.
 *
 * The only ways from a guest-physical address to host memory are the gmem_* calls below; each
 * checks the whole range [gpa, gpa + len) with overflow-checked arithmetic and refuses it unless
 * it lies inside one RAM region. Nothing outside guest RAM is reachable through them.
 */
#ifndef GMM_GMM_GUEST_MEM_H
#define GMM_GMM_GUEST_MEM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GMM_MEM_MAX_REGIONS 4

/* How guest RAM is backed in the host. */
enum gmm_mem_backing {
	GMM_MEM_BACKING_SHMEM = 0, /* memfd on shmem, 4 KiB pages */
	GMM_MEM_BACKING_THP = 1,   /* the same with MADV_HUGEPAGE (needs shmem_enabled=advise) */
};

struct gmm_mem_region {
	uint64_t gpa;  /* first guest-physical address, page-aligned */
	uint64_t size; /* bytes, a multiple of the page size */
	uint8_t *host; /* base + gpa */
};

struct gmm_mem {
	int memfd;	  /* file offset == guest-physical address */
	uint8_t *reserve; /* the whole reserved host range, guards included */
	size_t reserve_len;
	uint8_t *base;	    /* host address of guest-physical 0 */
	uint64_t ram_bytes; /* sum of region sizes */
	uint64_t end;	    /* one past the highest RAM address */
	unsigned int nr_regions;
	struct gmm_mem_region regions[GMM_MEM_MAX_REGIONS]; /* sorted, disjoint, not adjacent */
	pthread_t prefault_thread;			    /* gmm_mem_prefault_start() */
	bool prefault_pending;
	void *prefault_addr;
	size_t prefault_len;
};

/**
 * gmm_mem_layout - where @ram_bytes of RAM go in the guest-physical address space
 * @ram_bytes: RAM size; rounded down to whole pages
 * @regions: receives up to GMM_MEM_MAX_REGIONS regions (host pointers left NULL)
 *
 * RAM starts at 0, skips the legacy hole and the PCI hole below 4 GiB and continues above 4 GiB
 * (include/abi/guest_layout.h). Pure: used by gmm_mem_create() and by tests.
 * Return: the number of regions, or -EINVAL if @ram_bytes is below the minimum (2 MiB) or
 * beyond the maximum (GMM_MEM_MAX_RAM).
 */
int gmm_mem_layout(uint64_t ram_bytes, struct gmm_mem_region *regions);

#define GMM_MEM_MIN_RAM (2ull << 20)
#define GMM_MEM_MAX_RAM (64ull << 30)

/**
 * gmm_mem_create - allocate and map guest RAM
 * @gm: filled in
 * @ram_bytes: RAM size (see gmm_mem_layout())
 * @backing: enum gmm_mem_backing
 *
 * Return: 0 or a negative errno.
 */
int gmm_mem_create(struct gmm_mem *gm, uint64_t ram_bytes, enum gmm_mem_backing backing);

/**
 * gmm_mem_set_dumpable - whether guest RAM goes into a core dump of the VMM
 * @gm: guest RAM
 * @dumpable: true: MADV_DODUMP; false: MADV_DONTDUMP (the state after gmm_mem_create())
 * Return: 0 or a negative errno.
 */
int gmm_mem_set_dumpable(const struct gmm_mem *gm, bool dumpable);

/** gmm_mem_destroy - unmap and close; @gm may be zeroed or half-created */
void gmm_mem_destroy(struct gmm_mem *gm);

/**
 * gmm_mem_register - tell KVM about every RAM region (one memslot each)
 * @gm: guest RAM
 * @vm_fd: the VM
 * Return: 0 or a negative errno.
 */
int gmm_mem_register(const struct gmm_mem *gm, int vm_fd);

/**
 * gmm_mem_region_of - the RAM region holding all of [@gpa, @gpa + @len)
 * @gm: guest RAM
 * @gpa: first byte
 * @len: length, at least 1
 * Return: the region, or NULL if the range is empty, wraps, or is not inside one region.
 */
const struct gmm_mem_region *gmm_mem_region_of(const struct gmm_mem *gm, uint64_t gpa,
					       uint64_t len);

/** gmm_mem_is_ram - whether [@gpa, @gpa + @len) lies inside one RAM region */
bool gmm_mem_is_ram(const struct gmm_mem *gm, uint64_t gpa, uint64_t len);

/**
 * gmm_mem_ptr - host pointer for [@gpa, @gpa + @len) in the linear view
 * @gm: guest RAM
 * @gpa: first byte
 * @len: length, at least 1
 * Return: the pointer, or NULL under the rule of gmm_mem_region_of().
 */
void *gmm_mem_ptr(const struct gmm_mem *gm, uint64_t gpa, uint64_t len);

/**
 * gmm_mem_read - copy guest [@gpa, @gpa + @len) to @buf; 0 or -EFAULT (nothing copied)
 *
 * The one way the VMM reads a structure that a running guest may change: each byte of guest
 * RAM is read once, then the caller validates the copy and uses nothing else (the read-once
 * rule, docs/threat-model.md). gmm_mem_ptr() is for bulk data that is moved, not interpreted.
 */
int gmm_mem_read(const struct gmm_mem *gm, uint64_t gpa, void *buf, size_t len);

/** gmm_mem_write - copy @buf to guest [@gpa, @gpa + @len); 0 or -EFAULT (nothing copied) */
int gmm_mem_write(const struct gmm_mem *gm, uint64_t gpa, const void *buf, size_t len);

/**
 * gmm_mem_copy - memmove inside guest RAM
 * @gm: guest RAM
 * @dst: destination guest-physical address
 * @src: source guest-physical address
 * @len: bytes
 *
 * Each of the two ranges must lie inside one region (not necessarily the same one).
 * Return: 0 or -EFAULT (nothing copied).
 */
int gmm_mem_copy(const struct gmm_mem *gm, uint64_t dst, uint64_t src, size_t len);

/**
 * gmm_mem_prefault_start - fault in [@gpa, @gpa + @len) on a thread of its own
 * @gm: guest RAM
 * @gpa: start
 * @len: length
 *
 * For a range the VMM is about to write in full (the page state): allocating fresh pages is the
 * largest part of writing them, and it can overlap other set-up work. Only one at a time;
 * gmm_mem_prefault_wait() and gmm_mem_destroy() join it.
 * Return: 0, -EFAULT if the range is not RAM, -EBUSY if one is pending, or a pthread error.
 */
int gmm_mem_prefault_start(struct gmm_mem *gm, uint64_t gpa, uint64_t len);

/** gmm_mem_prefault_wait - wait for gmm_mem_prefault_start()'s thread, if any */
void gmm_mem_prefault_wait(struct gmm_mem *gm);

/**
 * gmm_mem_resident_bytes - how much guest RAM has been allocated in the host (touched, by the
 * guest or the VMM); from the memfd's allocated blocks
 * @gm: guest RAM
 */
uint64_t gmm_mem_resident_bytes(const struct gmm_mem *gm);

#ifdef __cplusplus
}
#endif

#endif /* GMM_GMM_GUEST_MEM_H */
