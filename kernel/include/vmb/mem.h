/*
 * Memory for the kernel: one block of RAM from the boot path, pages
 * handed out from its top (stacks, page tables), the malloc heap growing
 * from its bottom through sbrk.
 */
#ifndef VMB_MEM_H
#define VMB_MEM_H

#include <stddef.h>
#include <stdint.h>

struct boot_info;

/* (Not mem_init: lwIP has one.) */
void mem_take_ram(const struct boot_info *bi);
/* Zeroed, page-aligned; NULL when the block is exhausted. */
void *mem_alloc_pages(size_t npages);
/* The same at an address that is a multiple of align (a power of two,
 * in bytes): a GIC's tables want up to 64 KiB. */
void *mem_alloc_aligned(size_t npages, size_t align);
void *mem_sbrk(intptr_t incr);

/* The heap every boot entry sets aside: at most HEAP_MAX, and a boot
 * with less than HEAP_MIN of RAM below the entries' limits stops. */
#define HEAP_MAX (256ull << 20)
#define HEAP_MIN (8ull << 20)

#endif
