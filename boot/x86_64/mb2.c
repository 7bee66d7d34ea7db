/*
 * The multiboot2 boot information in C: a list of 8-byte aligned tags
 * after an 8-byte header (total_size, reserved), ended by a tag of type 0.
 * Nothing in it is trusted: every size is checked against the MBI's own
 * total_size and that against what may be read. Plain C, also built on the
 * host (tests/unit/test_mb2.c, tests/fuzz/fuzz_mb2.c).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <vmb/boot_info.h>

#include "elf_boot.h"
#include "mb2.h"

#define MB2_TAG_HEADER 8u
#define MB2_MMAP_HEADER 16u /* tag header, entry_size, entry_version */
#define MB2_MMAP_ENTRY 24u  /* base_addr, length, type, reserved */

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void notef(struct boot_info *bi, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void notef(struct boot_info *bi, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	boot_note(bi, msg);
}

/* The command line: up to the tag's end, a NUL, or the buffer's end. */
static void read_cmdline(struct boot_info *bi, const uint8_t *s, uint32_t len)
{
	size_t n = 0;

	while (n < len && n + 1 < sizeof(bi->cmdline) && s[n]) {
		bi->cmdline[n] = (char)s[n];
		n++;
	}
	bi->cmdline[n] = 0;
}

static int read_mmap(struct boot_info *bi, const uint8_t *tag, uint32_t size)
{
	if (size < MB2_MMAP_HEADER) {
		notef(bi, "multiboot2 memory map tag of %u bytes: ignored", (unsigned)size);
		return 1;
	}
	uint32_t esize = rd32(tag + 8);
	if (esize < MB2_MMAP_ENTRY) {
		notef(bi, "multiboot2 memory map entries of %u bytes (below %u): ignored",
		      (unsigned)esize, MB2_MMAP_ENTRY);
		return 1;
	}
	for (uint32_t off = MB2_MMAP_HEADER; esize <= size - off; off += esize) {
		const uint8_t *e = tag + off;
		uint64_t base = rd64(e), len = rd64(e + 8);

		if (!len || base + len < base)
			continue;
		if (bi->nmem == BOOT_MAX_MEM) {
			bi->mem_dropped++;
			continue;
		}
		bi->mem[bi->nmem++] = (struct mem_region){ base, len, e820_kind(rd32(e + 16)) };
	}
	return 0;
}

/* An RSDP of at least need bytes, copied: the MBI does not last. */
static int read_rsdp(struct boot_info *bi, const uint8_t *r, uint32_t len, uint32_t need,
		     struct mb2_copy *copy)
{
	if (len < need || memcmp(r, "RSD PTR ", 8)) {
		notef(bi, "multiboot2 ACPI tag of %u bytes without an RSDP: ignored",
		      (unsigned)len);
		return 1;
	}
	memset(copy->rsdp, 0, sizeof(copy->rsdp));
	memcpy(copy->rsdp, r, need);
	bi->acpi_rsdp = (uintptr_t)copy->rsdp;
	return 0;
}

int mb2_parse(struct boot_info *bi, const void *mbi, size_t avail, struct mb2_copy *copy)
{
	const uint8_t *p = mbi;
	int bad = 0, have_mmap = 0, have_new = 0, ended = 0;

	if (!p || avail < MB2_TAG_HEADER || (uintptr_t)p % 8) {
		boot_note(bi,
			  "multiboot2 information missing or misaligned: no options, no tables");
		return -1;
	}
	uint32_t total = rd32(p);
	if (total < MB2_TAG_HEADER || total > avail) {
		notef(bi, "multiboot2 information of %u bytes (%llu readable): ignored",
		      (unsigned)total, (unsigned long long)avail);
		return -1;
	}
	size_t off = MB2_TAG_HEADER;
	while (!ended && total - off >= MB2_TAG_HEADER) {
		const uint8_t *tag = p + off;
		uint32_t type = rd32(tag), size = rd32(tag + 4);

		if (size < MB2_TAG_HEADER || size > total - off) {
			notef(bi,
			      "multiboot2 tag %u at offset %u has a size of %u: the rest ignored",
			      (unsigned)type, (unsigned)off, (unsigned)size);
			return bad + 1;
		}
		const uint8_t *body = tag + MB2_TAG_HEADER;
		uint32_t len = size - MB2_TAG_HEADER;
		switch (type) {
		case MB2_TAG_END:
			ended = 1;
			break;
		case MB2_TAG_CMDLINE:
			read_cmdline(bi, body, len);
			break;
		case MB2_TAG_MMAP:
			/* One map: a second one would only repeat or contradict it. */
			if (!have_mmap)
				bad += read_mmap(bi, tag, size);
			have_mmap = 1;
			break;
		case MB2_TAG_ACPI_NEW:
			if (!read_rsdp(bi, body, len, 36, copy))
				have_new = 1;
			else
				bad++;
			break;
		case MB2_TAG_ACPI_OLD:
			/* The ACPI 2.0 RSDP, when there is one, wins. */
			if (!have_new)
				bad += read_rsdp(bi, body, len, 20, copy);
			break;
		default:
			break;
		}
		/* Tags start 8-byte aligned; size <= total - off, so no wrap. */
		off += ((size_t)size + 7) & ~(size_t)7;
		if (off > total)
			off = total;
	}
	if (!ended) {
		boot_note(bi, "multiboot2 information has no end tag");
		bad++;
	}
	if (!have_mmap)
		boot_note(bi, "multiboot2 information has no memory map");
	return bad;
}
