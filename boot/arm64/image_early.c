/*
 * First page tables of the Image entry, built with the MMU and caches
 * off. Runs before anything else in C: no library calls, only aligned
 * accesses, nothing but its arguments and the stack. It maps the
 * gigabytes holding the image and the device tree as normal memory and
 * the rest of their 512 GiB as device memory; kernel_main later builds
 * the real map from the device tree.
 */
#include <stdint.h>

#include <arch/sysreg.h>

#define SZ_1G (1ull << 30)

#define DESC_TABLE 3ull
#define DESC_BLOCK 1ull
#define DESC_AF (1ull << 10)
#define DESC_SH_INNER (3ull << 8)
#define DESC_AP1 (1ull << 6)
#define DESC_PXN (1ull << 53)
#define DESC_XN (1ull << 54)

/* Same MAIR layout as kernel/arch/arm64/mmu.c: 0 device, 1 normal. */
#define ATTR_DEVICE 0ull
#define ATTR_NORMAL 1ull

uint64_t image_early_map(uint64_t image, uint64_t dtb, uint64_t *l0, uint64_t *l1);

/* Returns the TCR value for the EL we run at. */
uint64_t image_early_map(uint64_t image, uint64_t dtb, uint64_t *l0, uint64_t *l1)
{
	int el = current_el();
	uint64_t ps = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	uint64_t region = image & ~((512 * SZ_1G) - 1);
	uint64_t normal = DESC_BLOCK | DESC_AF | DESC_SH_INNER | (ATTR_NORMAL << 2);
	uint64_t device = DESC_BLOCK | DESC_AF | (ATTR_DEVICE << 2) | DESC_XN;

	if (ps > 5)
		ps = 5;
	if (el == 2) {
		normal |= DESC_AP1;
		device |= DESC_AP1;
	} else {
		device |= DESC_PXN;
	}
	for (unsigned i = 0; i < 512; i++) {
		l0[i] = 0;
		l1[i] = (region + i * SZ_1G) | device;
	}
	l0[(image >> 39) & 511] = (uint64_t)(uintptr_t)l1 | DESC_TABLE;
	l1[(image >> 30) & 511] = (image & ~(SZ_1G - 1)) | normal;
	if ((dtb & ~((512 * SZ_1G) - 1)) == region && dtb)
		l1[(dtb >> 30) & 511] = (dtb & ~(SZ_1G - 1)) | normal;

	uint64_t tcr = 16 | (1ull << 8) | (1ull << 10) | (3ull << 12);
	if (el == 2)
		return tcr | (ps << 16) | (1ull << 23) | (1ull << 31);
	return tcr | (ps << 32) | (1ull << 23) | (2ull << 30);
}
