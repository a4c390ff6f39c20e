// SPDX-License-Identifier: MIT
/*
 * vmm/devices/dma.c - the DMA device: QEMU's edu registers, scatter-gather, CRC, strict mode.
 *
 * Data structure: struct gmm_dma_dev (include/gmm/dma.h) - the edu registers, the 4 KiB edu buffer,
 * the extension registers and a 64 MiB device buffer mapped at first use.
 *
 * Every transfer is checked completely before a byte moves: bus mastering, the operation, each
 * descriptor (length, running total, DMA mask for its first and last byte, inside one RAM
 * region, strict rule), the device-buffer range. The descriptor tables are copied out of guest
 * RAM first, so a guest changing them meanwhile cannot make the move differ from the check.
 * Guest bytes are reached only through gmm_mem_ptr()/gmm_mem_read() after that check; a failed check
 * sets DMA_REG_ERROR and moves nothing. The guest is hostile: no guest value can make the
 * device loop for long (the factorial stops at 34, where n! mod 2^32 becomes 0) or allocate
 * more than one table copy of at most 1 MiB.
 *
 * Read once (docs/threat-model.md): descriptor tables are copied out of guest RAM and checked
 * in the copy; strict mode copies the page state's header once per command and validates it
 * (gmm_page_state_copy()), then asks it which block holds a page (gmm_page_state_block_of(),
 * which mm answers reading one struct page at a time, below the copy's max_pfn only). It fails closed: a
 * page state that is not valid, or inconsistent where a range lies, refuses the command with
 * DMA_ERR_PAGE_STATE and says why once.
 *
 * Locking: none here; the caller serialises accesses (gmm's runner holds its device lock). The
 * page state is read without the guest's zone lock; a guest's own DMA buffers are allocated
 * blocks whose entries do not change while they are, so this does not refuse honest DMA.
 */
#define _GNU_SOURCE
#include <gmm/dma.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <abi/crc32.h>
#include <abi/dma_regs.h>
#include <abi/page_state.h>
#include <abi/pci_regs.h>
#include <gmm/guest_page_state.h>

/* the public struct gmm_dma_dev sizes its members without the ABI headers */
_Static_assert(GMM_DMA_EDU_BUF_SIZE == DMA_EDU_BUF_SIZE, "edu buffer");
_Static_assert(sizeof(((struct gmm_dma_dev *)0)->crc_table) == sizeof(struct crc32_table),
	       "CRC table");
_Static_assert(GMM_DMA_DEFAULT_MASK_BITS == DMA_DEFAULT_MASK_BITS, "edu mask");

#define CRC_TABLE(d) ((struct crc32_table *)(d)->crc_table)

static void dma_log(struct gmm_dma_dev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void dma_log(struct gmm_dma_dev *d, const char *fmt, ...)
{
	va_list ap;

	if (!d->log || !d->log_left)
		return;
	va_start(ap, fmt);
	fputs("gmm: dma: ", d->log);
	vfprintf(d->log, fmt, ap);
	va_end(ap);
	if (--d->log_left == 0)
		fputs("gmm: dma: further refusals are only counted\n", d->log);
}

int gmm_dma_dev_init(struct gmm_dma_dev *d, const struct gmm_mem *mem, unsigned int mask_bits,
		     bool strict, void *log)
{
	int ret;

	if (!d || !mem || mask_bits < 12 || mask_bits > 64)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	ret = gmm_pci_func_init(&d->pci, GMM_DMA_DEV_DEVFN, DMA_PCI_VENDOR, DMA_PCI_DEVICE,
				DMA_PCI_REVISION, PCI_CLASS_OTHERS, DMA_BAR0_SIZE, gmm_dma_dev_mmio,
				d, true);
	if (ret)
		return ret;
	d->mem = mem;
	d->strict = strict;
	d->mask_bits = mask_bits;
	d->mask = mask_bits == 64 ? UINT64_MAX : (1ull << mask_bits) - 1;
	d->log = log;
	d->log_left = GMM_DMA_DEV_LOG_LINES;
	crc32_table_init(CRC_TABLE(d));
	return 0;
}

void gmm_dma_dev_destroy(struct gmm_dma_dev *d)
{
	if (!d)
		return;
	if (d->dev_buf)
		munmap(d->dev_buf, DMA_DEV_BUF_SIZE);
	d->dev_buf = NULL;
}

void gmm_dma_dev_set_page_state(struct gmm_dma_dev *d, uint64_t page_state_phys)
{
	if (d)
		d->page_state_phys = page_state_phys;
}

int gmm_dma_dev_add(struct gmm_dma_dev *d, struct gmm_pci_host *h)
{
	if (!d)
		return -EINVAL;
	return gmm_pci_host_add(h, &d->pci);
}

static void raise_irq(struct gmm_dma_dev *d, uint32_t bits)
{
	d->irq_status |= bits;
	if (d->irq_status && gmm_pci_func_irq(&d->pci, true))
		d->stats.irqs++;
}

static void lower_irq(struct gmm_dma_dev *d, uint32_t bits)
{
	d->irq_status &= ~bits;
	if (!d->irq_status)
		gmm_pci_func_irq(&d->pci, false);
}

/* ---- strict mode: which buddy block holds a page ---- */

static const char *const blk_names[] = {
	[GMM_PAGE_BLOCK_UNKNOWN] = "unknown",
	[GMM_PAGE_BLOCK_RESERVED] = "reserved",
	[GMM_PAGE_BLOCK_FREE] = "free",
	[GMM_PAGE_BLOCK_ALLOCATED] = "allocated",
};

static uint64_t blk_end(struct gmm_page_block b)
{
	return b.head + (1ull << b.order);
}

/* Fail closed: refuse, and say why once per run (the guest could otherwise flood the log). */
static enum dma_error refuse_page_state(struct gmm_dma_dev *d, const char *why)
{
	d->stats.strict_refusals++;
	if (!d->page_state_logged)
		dma_log(d,
			"strict: the guest's page state is not valid (%s): DMA is refused "
			"while it stays so; not reported again\n",
			why);
	d->page_state_logged = true;
	return DMA_ERR_PAGE_STATE;
}

/* Start of a strict command: the page state's header, copied once (read-once rule). */
static enum dma_error strict_begin(struct gmm_dma_dev *d)
{
	char why[160];

	if (!d->page_state_phys)
		return refuse_page_state(d, "gmm knows of no page state");
	if (gmm_page_state_copy(d->mem, d->page_state_phys, &d->strict_copy, why, sizeof(why)))
		return refuse_page_state(d, why);
	return DMA_ERR_NONE;
}

/* The strict rule for one range, against the copy strict_begin() made. */
static enum dma_error strict_range(struct gmm_dma_dev *d, uint64_t addr, uint64_t len)
{
	const struct gmm_page_state_copy *c = &d->strict_copy;
	uint64_t first = addr >> PAGE_SHIFT, last = (addr + len - 1) >> PAGE_SHIFT, pfn;
	struct gmm_page_block b = gmm_page_state_block_of(c, first), next;
	char why[96];

	switch (b.kind) {
	case GMM_PAGE_BLOCK_FREE:
		d->stats.strict_refusals++;
		dma_log(d, "strict: [%#" PRIx64 ", %#" PRIx64 ") starts in free block pfn %#" PRIx64
			   " order %u [%#" PRIx64 ", %#" PRIx64 ")\n",
			addr, addr + len, b.head, b.order, b.head << PAGE_SHIFT,
			blk_end(b) << PAGE_SHIFT);
		return DMA_ERR_FREE;
	case GMM_PAGE_BLOCK_ALLOCATED:
		if (last < blk_end(b))
			return DMA_ERR_NONE;
		next = gmm_page_state_block_of(c, blk_end(b));
		break;
	case GMM_PAGE_BLOCK_RESERVED:
		/* reserved memory (the image, boot data) is not the allocator's: stay inside it */
		pfn = gmm_page_state_reserved_end(c, first, last);
		if (pfn > last)
			return DMA_ERR_NONE;
		if (pfn == first) { /* reserved a moment ago, not now: the guest is changing it */
			snprintf(why, sizeof(why), "pfn %#" PRIx64 " changed while read", first);
			return refuse_page_state(d, why);
		}
		b.order = 0;
		b.head = pfn - 1;
		next = gmm_page_state_block_of(c, pfn);
		break;
	default: /* inside RAM, so below max_pfn: the array is inconsistent there */
		snprintf(why, sizeof(why), "no block holds pfn %#" PRIx64, first);
		return refuse_page_state(d, why);
	}
	d->stats.strict_refusals++;
	dma_log(d,
		"strict: [%#" PRIx64 ", %#" PRIx64 ") runs from %s block pfn %#" PRIx64
		" order %u [%#" PRIx64 ", %#" PRIx64 ") into %s block pfn %#" PRIx64
		" order %u [%#" PRIx64 ", %#" PRIx64 ")\n",
		addr, addr + len, blk_names[b.kind], b.head, b.order, b.head << PAGE_SHIFT,
		blk_end(b) << PAGE_SHIFT, blk_names[next.kind], next.head, next.order,
		next.head << PAGE_SHIFT, blk_end(next) << PAGE_SHIFT);
	return DMA_ERR_CROSSES;
}

int gmm_dma_dev_strict_check(struct gmm_dma_dev *d, uint64_t addr, uint64_t len)
{
	enum dma_error e;
	uint64_t last;

	if (!d)
		return DMA_ERR_PAGE_STATE;
	if (!len || __builtin_add_overflow(addr, len - 1, &last))
		return DMA_ERR_NOT_RAM;
	e = strict_begin(d);
	return e ? e : strict_range(d, addr, len);
}

/* ---- range checks ---- */

/*
 * [addr, addr + len) as a target in guest RAM: mask, RAM, strict. len >= 1. In strict mode
 * the command has called strict_begin() first.
 */
static enum dma_error check_ram(struct gmm_dma_dev *d, uint64_t addr, uint64_t len)
{
	uint64_t last;

	if (__builtin_add_overflow(addr, len - 1, &last) || (addr & ~d->mask) || (last & ~d->mask))
		return DMA_ERR_MASK;
	if (!gmm_mem_is_ram(d->mem, addr, len))
		return DMA_ERR_NOT_RAM;
	if (d->strict)
		return strict_range(d, addr, len);
	return DMA_ERR_NONE;
}

static void fail(struct gmm_dma_dev *d, enum dma_error e, const char *what, uint64_t a, uint64_t b)
{
	static const char *const names[] = {
		"ok",
		"beyond the DMA mask",
		"outside RAM",
		"crosses allocations",
		"bus mastering off",
		"bad descriptor table",
		"outside the device buffer",
		"bad command",
		"free memory",
		"page state not valid",
	};

	d->error = e;
	d->done = 0;
	d->stats.errors++;
	if (e != DMA_ERR_CROSSES && e != DMA_ERR_FREE && e != DMA_ERR_PAGE_STATE) /* logged */
		dma_log(d, "%s refused (%s): %#" PRIx64 ", %#" PRIx64 "\n", what,
			e < sizeof(names) / sizeof(names[0]) ? names[e] : "?", a, b);
}

/* ---- edu DMA ---- */

static void edu_dma(struct gmm_dma_dev *d)
{
	bool to_ram = d->cmd & DMA_CMD_TO_RAM;
	uint64_t ram = to_ram ? d->dst : d->src, dev = to_ram ? d->src : d->dst, n = d->cnt;
	enum dma_error e = DMA_ERR_NONE;
	void *p;

	d->stats.commands++;
	if (!gmm_pci_func_bus_master(&d->pci))
		e = DMA_ERR_BUS_MASTER;
	else if (n && (dev < DMA_EDU_BUF_ADDR || dev - DMA_EDU_BUF_ADDR > DMA_EDU_BUF_SIZE ||
		       n > DMA_EDU_BUF_SIZE - (dev - DMA_EDU_BUF_ADDR)))
		e = DMA_ERR_BUF_RANGE;
	else if (n && d->strict)
		e = strict_begin(d);
	if (!e && n)
		e = check_ram(d, ram, n);
	if (e) {
		fail(d, e, "edu transfer", ram, n);
	} else {
		p = n ? gmm_mem_ptr(d->mem, ram, n) : NULL;
		if (p && to_ram) {
			memcpy(p, d->buf + (dev - DMA_EDU_BUF_ADDR), n);
			d->crc =
				crc32_update(CRC_TABLE(d), 0, d->buf + (dev - DMA_EDU_BUF_ADDR), n);
		} else if (p) {
			memcpy(d->buf + (dev - DMA_EDU_BUF_ADDR), p, n);
			d->crc =
				crc32_update(CRC_TABLE(d), 0, d->buf + (dev - DMA_EDU_BUF_ADDR), n);
		}
		d->error = DMA_ERR_NONE;
		d->done = n;
		d->stats.bytes += n;
	}
	d->cmd &= ~(uint64_t)DMA_CMD_START;
	if (d->cmd & DMA_CMD_IRQ)
		raise_irq(d, DMA_IRQ_DMA);
}

/* ---- scatter-gather ---- */

struct sg_table {
	struct dma_desc *desc;
	uint32_t count;
	uint64_t total;
};

static enum dma_error load_table(struct gmm_dma_dev *d, uint64_t addr, uint32_t count,
				 struct sg_table *t)
{
	enum dma_error e;
	uint32_t i;

	if (count == 0 || count > DMA_SG_MAX_DESC)
		return DMA_ERR_BAD_TABLE;
	t->desc = malloc((size_t)count * sizeof(*t->desc));
	if (!t->desc)
		return DMA_ERR_BAD_TABLE;
	t->count = count;
	t->total = 0;
	if (gmm_mem_read(d->mem, addr, t->desc, (size_t)count * sizeof(*t->desc)))
		return DMA_ERR_BAD_TABLE;
	for (i = 0; i < count; i++) {
		uint64_t len = t->desc[i].len;

		if (len == 0 || len > DMA_SG_MAX_BYTES - t->total)
			return DMA_ERR_BAD_TABLE;
		t->total += len;
	}
	for (i = 0; i < count; i++) { /* the table is sound: now each range */
		e = check_ram(d, t->desc[i].addr, t->desc[i].len);
		if (e)
			return e;
	}
	return DMA_ERR_NONE;
}

/* A position in a table: descriptor @i, @off bytes into it. */
struct sg_cursor {
	const struct sg_table *t;
	uint32_t i;
	uint64_t off;
};

static uint64_t cursor_left(const struct sg_cursor *c)
{
	return c->t->desc[c->i].len - c->off;
}

/* The next contiguous piece of at most @max bytes; the table was checked, so gmm_mem_ptr works. */
static uint8_t *cursor_take(const struct gmm_dma_dev *d, struct sg_cursor *c, uint64_t max,
			    uint64_t *n)
{
	const struct dma_desc *desc = &c->t->desc[c->i];
	uint64_t left = desc->len - c->off;
	uint8_t *p;

	*n = left < max ? left : max;
	p = gmm_mem_ptr(d->mem, desc->addr + c->off, *n);
	c->off += *n;
	if (c->off == desc->len) {
		c->i++;
		c->off = 0;
	}
	return p;
}

static void sg_move(struct gmm_dma_dev *d, unsigned int op, const struct sg_table *src,
		    const struct sg_table *dst, bool want_crc)
{
	struct sg_cursor s = { src, 0, 0 }, t = { dst, 0, 0 };
	uint64_t total = src ? src->total : dst->total, moved = 0, n, m;
	uint8_t *dev = d->dev_buf ? d->dev_buf + d->dev_offset : NULL;
	uint32_t crc = 0;
	uint8_t *a, *b;

	while (moved < total) {
		switch (op) {
		case DMA_SG_OP_COPY:
			n = cursor_left(&s) < cursor_left(&t) ? cursor_left(&s) : cursor_left(&t);
			a = cursor_take(d, &s, n, &n);
			b = cursor_take(d, &t, n, &m);
			if (want_crc)
				crc = crc32_update(CRC_TABLE(d), crc, a, n);
			memmove(b, a, n);
			break;
		case DMA_SG_OP_TO_DEVICE:
		case DMA_SG_OP_READ:
			a = cursor_take(d, &s, UINT64_MAX, &n);
			if (op == DMA_SG_OP_TO_DEVICE) {
				memcpy(dev + moved, a, n);
				a = dev + moved; /* the CRC of what the device holds */
			}
			if (want_crc)
				crc = crc32_update(CRC_TABLE(d), crc, a, n);
			break;
		case DMA_SG_OP_FROM_DEVICE:
			b = cursor_take(d, &t, UINT64_MAX, &n);
			memcpy(b, dev + moved, n);
			if (want_crc)
				crc = crc32_update(CRC_TABLE(d), crc, dev + moved, n);
			break;
		case DMA_SG_OP_ZERO:
			b = cursor_take(d, &t, UINT64_MAX, &n);
			memset(b, 0, n);
			if (want_crc)
				crc = crc32_update(CRC_TABLE(d), crc, b, n);
			break;
		default: /* DMA_SG_OP_FILL */
			b = cursor_take(d, &t, UINT64_MAX, &n);
			for (m = 0; m < n; m++)
				b[m] = dma_fill_byte(d->pattern, moved + m);
			if (want_crc)
				crc = crc32_update(CRC_TABLE(d), crc, b, n);
			break;
		}
		moved += n;
	}
	d->crc = crc;
	d->done = total;
	d->error = DMA_ERR_NONE;
	d->stats.bytes += total;
}

static enum dma_error dev_buf_range(struct gmm_dma_dev *d, uint64_t total)
{
	if (d->dev_offset > DMA_DEV_BUF_SIZE || total > DMA_DEV_BUF_SIZE - d->dev_offset)
		return DMA_ERR_BUF_RANGE;
	if (!d->dev_buf) {
		void *p = mmap(NULL, DMA_DEV_BUF_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED)
			return DMA_ERR_BUF_RANGE;
		d->dev_buf = p;
	}
	return DMA_ERR_NONE;
}

static void sg_run(struct gmm_dma_dev *d)
{
	unsigned int op = DMA_SG_OP(d->sg_cmd);
	bool reads = op == DMA_SG_OP_COPY || op == DMA_SG_OP_TO_DEVICE || op == DMA_SG_OP_READ;
	bool writes = op == DMA_SG_OP_COPY || op == DMA_SG_OP_FROM_DEVICE || op == DMA_SG_OP_FILL ||
		      op == DMA_SG_OP_ZERO;
	struct sg_table src = { 0 }, dst = { 0 };
	enum dma_error e = DMA_ERR_NONE;

	d->stats.commands++;
	d->stats.sg_commands++;
	if (!gmm_pci_func_bus_master(&d->pci))
		e = DMA_ERR_BUS_MASTER;
	else if (op > DMA_SG_OP_ZERO)
		e = DMA_ERR_BAD_CMD;
	else if (d->strict)
		e = strict_begin(d); /* one copy of the page state for the whole command */
	if (!e && reads)
		e = load_table(d, d->sg_src_table, d->sg_src_count, &src);
	if (!e && writes)
		e = load_table(d, d->sg_dst_table, d->sg_dst_count, &dst);
	if (!e && op == DMA_SG_OP_COPY && src.total != dst.total)
		e = DMA_ERR_BAD_TABLE;
	if (!e && (op == DMA_SG_OP_TO_DEVICE || op == DMA_SG_OP_FROM_DEVICE))
		e = dev_buf_range(d, reads ? src.total : dst.total);
	if (e)
		fail(d, e, "scatter-gather command", d->sg_src_table, d->sg_dst_table);
	else
		sg_move(d, op, reads ? &src : NULL, writes ? &dst : NULL,
			(d->sg_cmd & DMA_SG_CRC) || op == DMA_SG_OP_READ);
	free(src.desc);
	free(dst.desc);
	d->sg_cmd &= ~DMA_SG_START;
	if (d->sg_cmd & DMA_SG_IRQ)
		raise_irq(d, DMA_IRQ_SG);
}

/* ---- registers ---- */

static uint32_t factorial(uint32_t n)
{
	uint32_t r = 1;

	if (n >= 34) /* 34! has 32 factors of two: 0 modulo 2^32, and so is every larger one */
		return 0;
	while (n > 1)
		r *= n--;
	return r;
}

static uint64_t *reg64(struct gmm_dma_dev *d, uint64_t off)
{
	switch (off) {
	case DMA_REG_SRC:
		return &d->src;
	case DMA_REG_DST:
		return &d->dst;
	case DMA_REG_COUNT:
		return &d->cnt;
	case DMA_REG_SG_SRC_TABLE:
		return &d->sg_src_table;
	case DMA_REG_SG_DST_TABLE:
		return &d->sg_dst_table;
	case DMA_REG_DEV_OFFSET:
		return &d->dev_offset;
	default:
		return NULL;
	}
}

static uint64_t reg_read(struct gmm_dma_dev *d, uint64_t off)
{
	uint64_t *r = reg64(d, off);

	if (r)
		return *r;
	switch (off) {
	case DMA_REG_ID:
		return DMA_EDU_ID;
	case DMA_REG_LIVENESS:
		return d->liveness;
	case DMA_REG_FACTORIAL:
		return d->fact;
	case DMA_REG_STATUS:
		return d->status;
	case DMA_REG_IRQ_STATUS:
		return d->irq_status;
	case DMA_REG_CMD:
		return d->cmd;
	case DMA_REG_EXT_ID:
		return DMA_EXT_MAGIC;
	case DMA_REG_EXT_CAPS:
		return DMA_CAP_SG | DMA_CAP_CRC | (d->strict ? DMA_CAP_STRICT : 0);
	case DMA_REG_SG_SRC_COUNT:
		return d->sg_src_count;
	case DMA_REG_SG_DST_COUNT:
		return d->sg_dst_count;
	case DMA_REG_SG_CMD:
		return d->sg_cmd;
	case DMA_REG_ERROR:
		return d->error;
	case DMA_REG_CRC:
		return d->crc;
	case DMA_REG_PATTERN:
		return d->pattern;
	case DMA_REG_DONE:
		return d->done;
	case DMA_REG_MASK_BITS:
		return d->mask_bits;
	default:
		return UINT64_MAX;
	}
}

static void reg_write(struct gmm_dma_dev *d, uint64_t off, uint64_t val)
{
	uint64_t *r = reg64(d, off);

	if (r) {
		*r = val;
		return;
	}
	switch (off) {
	case DMA_REG_LIVENESS:
		d->liveness = ~(uint32_t)val;
		break;
	case DMA_REG_FACTORIAL:
		d->fact = factorial((uint32_t)val);
		if (d->status & DMA_STATUS_IRQFACT)
			raise_irq(d, DMA_IRQ_FACT);
		break;
	case DMA_REG_STATUS:
		d->status = (uint32_t)val & DMA_STATUS_IRQFACT;
		break;
	case DMA_REG_IRQ_RAISE:
		raise_irq(d, (uint32_t)val);
		break;
	case DMA_REG_IRQ_ACK:
		lower_irq(d, (uint32_t)val);
		break;
	case DMA_REG_CMD:
		if (!(val & DMA_CMD_START)) /* edu ignores a command without the start bit */
			break;
		d->cmd = val;
		edu_dma(d);
		break;
	case DMA_REG_SG_SRC_COUNT:
		d->sg_src_count = (uint32_t)val;
		break;
	case DMA_REG_SG_DST_COUNT:
		d->sg_dst_count = (uint32_t)val;
		break;
	case DMA_REG_SG_CMD:
		d->sg_cmd = (uint32_t)val;
		if (val & DMA_SG_START)
			sg_run(d);
		break;
	case DMA_REG_ERROR:
		d->error = DMA_ERR_NONE;
		break;
	case DMA_REG_PATTERN:
		d->pattern = (uint32_t)val;
		break;
	default:
		break; /* read-only or nothing there */
	}
}

int gmm_dma_dev_mmio(void *dev, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct gmm_dma_dev *d = dev;
	uint64_t v = 0;

	if (!d || !data || len - 1 > 7) /* see gmm_bus_io_fn: nothing filled */
		return GMM_BUS_CONTINUE;
	d->stats.mmio++;
	/* edu: 4-byte accesses below 0x80, 4 or 8 from there; others read all-ones */
	if (!(len == 4 || (len == 8 && offset >= 0x80)) || (offset & (len - 1))) {
		if (!is_write)
			memset(data, 0xff, len);
		return GMM_BUS_CONTINUE;
	}
	if (is_write) {
		memcpy(&v, data, len);
		reg_write(d, offset, v);
	} else {
		v = reg_read(d, offset);
		memcpy(data, &v, len);
	}
	return GMM_BUS_CONTINUE;
}
