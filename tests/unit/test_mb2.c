/*
 * The multiboot2 information parser (boot/x86_64/mb2.c) on hand-built
 * MBIs: what GRUB hands over on a BIOS machine, and malformed ones that
 * must be skipped or rejected without a read outside the MBI (ASan: each
 * MBI lies in a heap block of exactly its size).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vmb/boot_info.h>

#include "../../boot/x86_64/mb2.h"
#include "check.h"

struct mbi {
	uint8_t b[1024];
	uint32_t n;
};

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void begin(struct mbi *m)
{
	memset(m, 0, sizeof(*m));
	m->n = 8;
}

/* A tag of type with len bytes of body, padded to 8 bytes. */
static uint8_t *tag(struct mbi *m, uint32_t type, uint32_t len)
{
	uint8_t *t = m->b + m->n;

	put32(t, type);
	put32(t + 4, 8 + len);
	m->n += (8 + len + 7) & ~7u;
	return t + 8;
}

static void end(struct mbi *m)
{
	tag(m, MB2_TAG_END, 0);
	put32(m->b, m->n);
}

static void mmap_entry(uint8_t *e, uint64_t base, uint64_t len, uint32_t type)
{
	put64(e, base);
	put64(e + 8, len);
	put32(e + 16, type);
}

static uint8_t *rsdp(struct mbi *m, uint32_t type, unsigned len, uint8_t rev)
{
	uint8_t *r = tag(m, type, len);

	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BOCHS ", 6);
	r[15] = rev;
	put32(r + 16, 0x1fff0000);
	if (len >= 36) {
		put32(r + 20, 36);
		put64(r + 24, 0x1fff0100);
	}
	return r;
}

/* The MBI as GRUB lays it out on a BIOS machine with 512 MiB. */
static void grub_like(struct mbi *m, const char *cmdline)
{
	begin(m);
	memcpy(tag(m, MB2_TAG_CMDLINE, strlen(cmdline) + 1), cmdline, strlen(cmdline) + 1);
	memcpy(tag(m, 2, 5), "GRUB", 5); /* boot loader name: unknown to the parser */
	uint8_t *mm = tag(m, MB2_TAG_MMAP, 8 + 3 * 24);
	put32(mm, 24);
	mmap_entry(mm + 8, 0, 0x9fc00, 1);
	mmap_entry(mm + 8 + 24, 0xf0000, 0x10000, 2);
	mmap_entry(mm + 8 + 48, 0x100000, 0x1fef0000, 1);
	rsdp(m, MB2_TAG_ACPI_OLD, 20, 0);
	end(m);
}

/* Parse m from a heap block of exactly avail bytes (ASan's bound). */
static int parse(const struct mbi *m, size_t avail, struct boot_info *bi, struct mb2_copy *c)
{
	/* malloc's blocks are 16-byte aligned: the MBI's own alignment. */
	uint8_t *p = malloc(avail ? avail : 1);
	int r;

	memcpy(p, m->b, avail);
	memset(bi, 0, sizeof(*bi));
	memset(c, 0, sizeof(*c));
	r = mb2_parse(bi, p, avail, c);
	free(p);
	return r;
}

int main(void)
{
	static struct boot_info bi;
	static struct mb2_copy copy;
	struct mbi m;

	/* The usual case: everything read, the RSDP copied out. */
	grub_like(&m, "bench=null,cpuid iters=300");
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 0);
	CHECK_STR(bi.cmdline, "bench=null,cpuid iters=300");
	CHECK_EQ_U(bi.nmem, 3);
	CHECK_EQ_U(bi.mem[0].base, 0);
	CHECK_EQ_U(bi.mem[0].size, 0x9fc00);
	CHECK_EQ_U(bi.mem[0].kind, MEM_RAM);
	CHECK_EQ_U(bi.mem[1].kind, MEM_MMIO);
	CHECK_EQ_U(bi.mem[2].base, 0x100000);
	CHECK_EQ_U(bi.acpi_rsdp, (uintptr_t)copy.rsdp);
	CHECK(!memcmp(copy.rsdp, "RSD PTR ", 8));
	CHECK_EQ_U(copy.rsdp[15], 0);
	CHECK_STR(bi.notes, "");

	/* An ACPI 2.0 RSDP wins over the 1.0 one, in either order. */
	grub_like(&m, "");
	m.n -= 8;
	rsdp(&m, MB2_TAG_ACPI_NEW, 36, 2)[35] = 0x5a;
	end(&m);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 0);
	CHECK_EQ_U(copy.rsdp[15], 2);
	CHECK_EQ_U(copy.rsdp[35], 0x5a);
	CHECK_STR(bi.cmdline, "");
	begin(&m);
	rsdp(&m, MB2_TAG_ACPI_NEW, 36, 2);
	rsdp(&m, MB2_TAG_ACPI_OLD, 20, 0);
	end(&m);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 0);
	CHECK_EQ_U(copy.rsdp[15], 2);
	CHECK(strstr(bi.notes, "no memory map") != NULL);

	/* An ACPI tag too short for its RSDP, or without the signature. */
	begin(&m);
	rsdp(&m, MB2_TAG_ACPI_NEW, 20, 2);
	memcpy(tag(&m, MB2_TAG_ACPI_OLD, 20), "RSD PTX ", 8);
	end(&m);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 2);
	CHECK_EQ_U(bi.acpi_rsdp, 0);

	/* A command line without its NUL ends with the tag. */
	begin(&m);
	memcpy(tag(&m, MB2_TAG_CMDLINE, 5), "iters", 5);
	m.b[m.n - 3] = 'X'; /* padding after the tag: not part of it */
	end(&m);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 0);
	CHECK_STR(bi.cmdline, "iters");

	/* A command line longer than the buffer is cut, NUL-terminated. */
	{ /* larger than struct mbi: built by hand */
		size_t len = BOOT_CMDLINE_MAX + 100, total = 8 + ((8 + len + 7) & ~7u) + 8;
		uint8_t *p = calloc(1, total);
		put32(p, total);
		put32(p + 8, MB2_TAG_CMDLINE);
		put32(p + 12, 8 + len);
		memset(p + 16, 'a', len);
		put32(p + total - 8, MB2_TAG_END);
		put32(p + total - 4, 8);
		memset(&bi, 0, sizeof(bi));
		CHECK_EQ_U(mb2_parse(&bi, p, total, &copy), 0);
		CHECK_EQ_U(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
		free(p);
	}

	/* Memory map entries larger than 24 bytes are stepped over; smaller
	 * ones, or a tag too short for its header, are refused. Empty and
	 * wrapping entries are dropped. */
	begin(&m);
	{
		uint8_t *mm = tag(&m, MB2_TAG_MMAP, 8 + 3 * 32);
		put32(mm, 32);
		mmap_entry(mm + 8, 0x100000, 0x100000, 1);
		mmap_entry(mm + 8 + 32, 0x200000, 0, 1);
		mmap_entry(mm + 8 + 64, UINT64_MAX - 10, 0x1000, 1);
	}
	end(&m);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 0);
	CHECK_EQ_U(bi.nmem, 1);
	CHECK_EQ_U(bi.mem[0].size, 0x100000);
	begin(&m);
	put32(tag(&m, MB2_TAG_MMAP, 8 + 24), 16);
	end(&m);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 1);
	CHECK_EQ_U(bi.nmem, 0);
	begin(&m);
	tag(&m, MB2_TAG_MMAP, 4);
	end(&m);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 1);
	CHECK_EQ_U(bi.nmem, 0);
	/* A partial last entry is not read. */
	begin(&m);
	{
		uint8_t *mm = tag(&m, MB2_TAG_MMAP, 8 + 24 + 20);
		put32(mm, 24);
		mmap_entry(mm + 8, 0x100000, 0x100000, 1);
	}
	end(&m);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 0);
	CHECK_EQ_U(bi.nmem, 1);
	/* More entries than boot_info holds: counted as dropped. */
	{
		size_t n = BOOT_MAX_MEM + 3;
		uint8_t *p = calloc(1, 8 + 16 + n * 24 + 8);
		put32(p, 8 + 16 + n * 24 + 8);
		put32(p + 8, MB2_TAG_MMAP);
		put32(p + 12, 16 + n * 24);
		put32(p + 16, 24);
		for (size_t i = 0; i < n; i++)
			mmap_entry(p + 24 + i * 24, i << 20, 1 << 20, 1);
		put32(p + 24 + n * 24, MB2_TAG_END);
		put32(p + 28 + n * 24, 8);
		memset(&bi, 0, sizeof(bi));
		CHECK_EQ_U(mb2_parse(&bi, p, 8 + 16 + n * 24 + 8, &copy), 0);
		CHECK_EQ_U(bi.nmem, BOOT_MAX_MEM);
		CHECK_EQ_U(bi.mem_dropped, 3);
		free(p);
	}

	/* Unknown tags are skipped, whatever their size. */
	begin(&m);
	memset(tag(&m, 0x7777, 13), 0xff, 13);
	memcpy(tag(&m, MB2_TAG_CMDLINE, 6), "iters", 6);
	end(&m);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 0);
	CHECK_STR(bi.cmdline, "iters");

	/* A tag running past total_size: the walk stops before reading it. */
	grub_like(&m, "bench=null");
	put32(m.b + 8 + 4, m.n); /* the command line tag claims everything */
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 1);
	CHECK_STR(bi.cmdline, "");
	CHECK_EQ_U(bi.nmem, 0);
	CHECK(strstr(bi.notes, "the rest ignored") != NULL);

	/* A tag smaller than a tag header: rejected, never stepped by 0. */
	grub_like(&m, "bench=null");
	put32(m.b + 8 + 24 + 4, 4); /* the loader name tag, after the command line */
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 1);
	CHECK_STR(bi.cmdline, "bench=null");
	CHECK_EQ_U(bi.nmem, 0);
	put32(m.b + 8 + 24 + 4, 0);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 1);

	/* No end tag: what came before is kept, the lack noted. */
	grub_like(&m, "bench=null");
	m.n -= 8;
	put32(m.b, m.n);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), 1);
	CHECK_EQ_U(bi.nmem, 3);
	CHECK(strstr(bi.notes, "no end tag") != NULL);

	/* total_size beyond what may be read, or below a header: no MBI. */
	grub_like(&m, "bench=null");
	CHECK_EQ_U(parse(&m, m.n - 1, &bi, &copy), (unsigned long long)-1);
	CHECK_STR(bi.cmdline, "");
	put32(m.b, 4);
	CHECK_EQ_U(parse(&m, m.n, &bi, &copy), (unsigned long long)-1);
	CHECK_EQ_U(mb2_parse(&bi, NULL, 0, &copy), (unsigned long long)-1);
	CHECK(strstr(bi.notes, "missing") != NULL);

	/* Every truncation of a good MBI, its total_size kept: no read past
	 * the end, and never more than the whole MBI gives. */
	grub_like(&m, "bench=null,cpuid iters=300");
	int bad = 0;
	for (uint32_t n = 8; n < m.n; n++) {
		struct mbi t = m;
		put32(t.b, n);
		if (parse(&t, n, &bi, &copy) < 0 || bi.nmem > 3)
			bad++;
	}
	CHECK_EQ_U(bad, 0);
	return check_report("mb2");
}
