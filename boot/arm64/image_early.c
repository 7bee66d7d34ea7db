/*
 * First page tables of the Image entry, built with the MMU and caches
 * off. Runs before anything else in C: no library calls, only aligned
 * accesses, nothing but its arguments and the stack. It maps the
 * gigabytes holding the image and the device tree as normal memory and
 * the rest of their 512 GiB as device memory; kernel_main later builds
 * the real map from the device tree.
 */
#include <stdint.h>

#include <arch/mmu.h>
#include <vmb/sizes.h>

uint64_t image_early_map(uint64_t image, uint64_t dtb, uint64_t *l0, uint64_t *l1);

/* Returns the TCR value for the EL we run at. Entered at EL2 with
 * HCR_EL2.E2H already set (VHE-only CPUs), the EL1 layouts apply. */
uint64_t image_early_map(uint64_t image, uint64_t dtb, uint64_t *l0, uint64_t *l1)
{
	bool el2 = mmu_el2_regime();
	uint64_t region = image & ~(SZ_512G - 1);
	uint64_t normal = mmu_normal_block(el2);
	uint64_t device = mmu_device_block(el2);

	for (unsigned i = 0; i < 512; i++) {
		l0[i] = 0;
		l1[i] = (region + i * SZ_1G) | device;
	}
	l0[(image >> 39) & 511] = (uint64_t)(uintptr_t)l1 | PTE_TABLE;
	l1[(image >> 30) & 511] = (image & ~(SZ_1G - 1)) | normal;
	if ((dtb & ~(SZ_512G - 1)) == region && dtb)
		l1[(dtb >> 30) & 511] = (dtb & ~(SZ_1G - 1)) | normal;

	return mmu_tcr(el2, mmu_pa_range());
}
